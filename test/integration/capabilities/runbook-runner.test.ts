import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { RunbookRunnerImpl, type RunbookDefinitions } from '../../../src/capabilities/runbooks/runbook-runner.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

const NODE = process.execPath;
const PRINT_ARGS = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';

/** A runbook running `node -e <script> -- args...`; the schema's defaults fill the rest. */
function nodeRunbook(script: string, args: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { argv: [NODE, '-e', script, '--', ...args], ...extra };
}

/** True once the process is gone (or a zombie nobody reaps, which runs nothing). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return /^State:\s+Z/m.test(status);
}

describe('RunbookRunner', () => {
  let logger: TestLogger;
  let dir: string;

  beforeEach(async () => {
    logger = createTestLogger();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'opsroom-runbook-')));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
  });
  afterEach(() => logger.assertNoErrors());

  const runner = (definitions: Record<string, unknown>): RunbookRunnerImpl =>
    new RunbookRunnerImpl(definitions as unknown as RunbookDefinitions, logger);

  it('runs the program with each parameter as exactly one argv element and returns its output', async () => {
    const runbooks = runner({
      'restart-app': nodeRunbook(PRINT_ARGS, ['restart', '{app}', '--replicas', '{replicas}', '{env}'], {
        params: { app: { type: 'string', pattern: '[a-z][a-z0-9 -]*' }, replicas: { type: 'int', default: 2 }, env: { type: 'enum', values: ['staging', 'prod'], required: true } },
      }),
    });
    const result = await runbooks.run('restart-app', { app: 'web app', env: 'prod' });
    expect(JSON.parse(result.stdout)).toEqual(['restart', 'web app', '--replicas', '2', 'prod']);
    expect(result).toMatchObject({ exitCode: 0, signal: null, stderr: '', truncated: false, timedOut: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse((await runbooks.run('restart-app', { app: 'api', env: 'staging', replicas: '5' })).stdout)).toEqual(['restart', 'api', '--replicas', '5', 'staging']);
  });

  it('never involves a shell: shell syntax in a parameter arrives as plain text and runs nothing', async () => {
    const runbooks = runner({ echo: { argv: ['/bin/echo', '{text}'], params: { text: { type: 'string' } } } });
    const attacks = [`$(touch ${dir}/a)`, `\`touch ${dir}/b\``, `x; touch ${dir}/c`, `x && touch ${dir}/d`, `x | tee ${dir}/e`, `x > ${dir}/f`, '$(rm -rf /)', '*'];
    for (const text of attacks) {
      const result = await runbooks.run('echo', { text });
      expect(result.stdout).toBe(`${text}\n`);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('substitutes only elements that are exactly {param}, and drops an optional one with no value', async () => {
    const runbooks = runner({
      flags: nodeRunbook(PRINT_ARGS, ['--ref={ref}', '{ref}', '{}', '{verbose}'], { params: { ref: { type: 'string' }, verbose: { type: 'enum', values: ['-v'] } } }),
    });
    expect(JSON.parse((await runbooks.run('flags', { ref: 'main' })).stdout)).toEqual(['--ref={ref}', 'main', '{}']);
    expect(JSON.parse((await runbooks.run('flags', { ref: 'main', verbose: '-v' })).stdout)).toEqual(['--ref={ref}', 'main', '{}', '-v']);
  });

  it('passes PATH and the allow-listed environment variables, and nothing else', async () => {
    process.env.OPSROOM_TEST_ALLOWED = 'shared';
    process.env.OPSROOM_TEST_SECRET = 'hunter2';
    onTestFinished(() => {
      delete process.env.OPSROOM_TEST_ALLOWED;
      delete process.env.OPSROOM_TEST_SECRET;
    });
    const runbooks = runner({ env: nodeRunbook('process.stdout.write(JSON.stringify(process.env))', [], { env: ['OPSROOM_TEST_ALLOWED', 'OPSROOM_TEST_UNSET'] }) });
    const result = await runbooks.run('env', {});
    expect(JSON.parse(result.stdout)).toEqual({ PATH: process.env.PATH, OPSROOM_TEST_ALLOWED: 'shared' });
  });

  it('runs in the configured folder', async () => {
    const runbooks = runner({ pwd: nodeRunbook('process.stdout.write(process.cwd())', [], { cwd: dir }) });
    expect((await runbooks.run('pwd', {})).stdout).toBe(dir);
  });

  it('stops a runbook at its timeout with SIGTERM', async () => {
    const runbooks = runner({ slow: nodeRunbook('process.stdout.write("started"); setInterval(() => {}, 1000)', [], { timeoutMs: 300 }) });
    const result = await runbooks.run('slow', {});
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM', stdout: 'started' });
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
    expect(result.durationMs).toBeLessThan(2_000);
    expect(logger.entries().some((entry) => entry.msg === 'runbook timed out and was stopped')).toBe(true);
  });

  it('kills a runbook that ignores SIGTERM two seconds later, with its whole process group', async () => {
    const script = [
      'const { spawn } = require("node:child_process");',
      'const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
      'process.on("SIGTERM", () => {});',
      'process.stdout.write(String(child.pid));',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const runbooks = runner({ stubborn: nodeRunbook(script, [], { timeoutMs: 500 }) });
    const result = await runbooks.run('stubborn', {});
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeGreaterThanOrEqual(2_400);
    expect(result.durationMs).toBeLessThan(4_500);
    const grandchild = Number(result.stdout);
    expect(grandchild).toBeGreaterThan(0);
    await expect.poll(() => isGone(grandchild), { timeout: 2_000 }).toBe(true);
  });

  it('caps each stream at maxOutputKb, keeps reading to the end, and marks the result truncated', async () => {
    const flood = 'process.stdout.write("x".repeat(1 << 20)); process.stderr.write("é".repeat(2000)); process.stderr.write("!")';
    const runbooks = runner({ flood: nodeRunbook(flood, [], { maxOutputKb: 1 }) });
    const result = await runbooks.run('flood', {});
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe('x'.repeat(1024));
    expect(result.stderr).toBe('é'.repeat(512));

    const odd = runner({ odd: nodeRunbook('process.stdout.write("x" + "é".repeat(2000))', [], { maxOutputKb: 1 }) });
    expect((await odd.run('odd', {})).stdout).toBe(`x${'é'.repeat(511)}`);
  });

  it('reports a failing program\'s exit code and stderr', async () => {
    const runbooks = runner({ fail: nodeRunbook('process.stderr.write("disk full"); process.exit(3)', []) });
    expect(await runbooks.run('fail', {})).toMatchObject({ exitCode: 3, signal: null, stderr: 'disk full', stdout: '', timedOut: false, truncated: false });
  });

  it('returns when the program exits even if a background child keeps its output open', async () => {
    const script = 'require("node:child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 3000)"], { stdio: "inherit" }).unref(); process.stdout.write("done")';
    const runbooks = runner({ daemon: nodeRunbook(script, [], { timeoutMs: 10_000 }) });
    const result = await runbooks.run('daemon', {});
    expect(result).toMatchObject({ exitCode: 0, stdout: 'done', timedOut: false });
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('answers each kind of bad parameter with its own message', async () => {
    const runbooks = runner({
      deploy: nodeRunbook(PRINT_ARGS, ['{app}', '{count}', '{env}', '{offset}'], {
        params: {
          app: { type: 'string', pattern: '[a-z]+', required: true },
          count: { type: 'int' },
          env: { type: 'enum', values: ['staging', 'prod'] },
          offset: { type: 'int', pattern: '-?[0-9]+' },
        },
      }),
      free: { argv: ['/bin/echo', '{text}'], params: { text: { type: 'string' } } },
    });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['deploy', { app: 'web', colour: 'red' }, 'runbook deploy has no parameter "colour" (its parameters are app, count, env, offset)'],
      ['deploy', {}, 'runbook deploy: the parameter "app" is required'],
      ['deploy', { app: 'web', env: 'dev' }, 'runbook deploy: parameter "env" must be one of staging, prod, got "dev"'],
      ['deploy', { app: 'Web' }, 'runbook deploy: parameter "app" does not match the pattern [a-z]+, got "Web"'],
      ['deploy', { app: 'web', count: 2.5 }, 'runbook deploy: parameter "count" must be a whole number, got 2.5'],
      ['deploy', { app: 'web', count: 'two' }, 'runbook deploy: parameter "count" must be a whole number, got "two"'],
      ['deploy', { app: 'web', count: -1 }, 'runbook deploy: parameter "count" may not start with "-" (a program would read it as an option), got -1'],
      ['deploy', { app: 42 }, 'runbook deploy: parameter "app" must be a string, got 42'],
      ['free', { text: '-rf' }, 'runbook free: parameter "text" may not start with "-"'],
      ['free', { text: 'a\u0000b' }, 'runbook free: parameter "text" contains a NUL character'],
      ['free', ['x'] as unknown as Record<string, unknown>, 'runbook free: parameters must be an object of name -> value, got a list'],
    ];
    for (const [name, params, message] of cases) {
      const run = runbooks.run(name, params);
      await expect(run).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
      await expect(runbooks.run(name, params)).rejects.toThrow(message);
    }
    expect(JSON.parse((await runbooks.run('deploy', { app: 'web', offset: -5 })).stdout)).toEqual(['web', '-5']);
  });

  it('names the known runbooks when asked for an unknown one', async () => {
    const runbooks = runner({ b: { argv: ['/bin/true'] }, a: { argv: ['/bin/true'] } });
    await expect(runbooks.run('c', {})).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'there is no runbook "c" (known runbooks: a, b)' });
    await expect(runbooks.run('toString', {})).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(runner({}).run('a', {})).rejects.toThrow('there is no runbook "a" (no runbooks are configured)');
  });

  it('reports a program or folder that does not exist as a configuration problem', async () => {
    const runbooks = runner({ missing: { argv: [join(dir, 'nope')] }, nowhere: { argv: ['/bin/true'], cwd: join(dir, 'gone') } });
    await expect(runbooks.run('missing', {})).rejects.toMatchObject({
      code: 'E_CONFIG', message: `runbook missing: cannot start ${join(dir, 'nope')} (ENOENT); check runbooks.missing.argv[0] in the configuration`,
    });
    await expect(runbooks.run('nowhere', {})).rejects.toThrow(`runbook nowhere: the working folder ${join(dir, 'gone')} does not exist or is not a folder`);
  });

  it('refuses definitions with problems, naming each by its configuration path', () => {
    expect(() => runner({ 'restart-app': { argv: ['/bin/echo', '{app}', '{env}'], params: { app: { type: 'string' } } } }))
      .toThrow(expect.objectContaining({
        code: 'E_CONFIG',
        problems: ['runbooks.restart-app.argv[2]: {env} refers to no declared parameter (expected one of {app})'],
      }));
  });
});

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { RunbookRunnerImpl, type RunbookDefinitions } from '../../../src/capabilities/runbooks/runbook-runner.js';
import { BUNDLED_GRANTS, BUNDLED_NET_ALLOW_PRIVATE, BUNDLED_PLUGIN_CONFIG, BUNDLED_RUNBOOKS, DEMO_OPS_PROGRAM } from '../../../src/config/bundled-defaults.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { BUNDLED_PLUGINS_DIR } from '../../../src/plugins/plugin-manager.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

const run = promisify(execFile);

function runbooksAskedFor(): string[] {
  return readdirSync(BUNDLED_PLUGINS_DIR)
    .filter((name) => existsSync(join(BUNDLED_PLUGINS_DIR, name, 'plugin.json')))
    .flatMap((name) => (JSON.parse(readFileSync(join(BUNDLED_PLUGINS_DIR, name, 'plugin.json'), 'utf8')) as { capabilities?: { runbooks?: string[] } }).capabilities?.runbooks ?? [])
    .sort();
}

/** Runs the demo program directly, so a test can set its environment; resolves to the exit code and output. */
async function demo(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DEMO_OPS_PROGRAM, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the embedded default runbooks', () => {
  it('define exactly the runbooks the bundled plugins ask for', () => {
    expect(Object.keys(BUNDLED_RUNBOOKS).sort()).toEqual(runbooksAskedFor());
  });

  it('mark restart-app, users-add, users-remove and db-upgrade high-risk, and nothing else', () => {
    const high = Object.entries(BUNDLED_RUNBOOKS).filter(([, runbook]) => runbook.risk === 'high').map(([name]) => name).sort();
    expect(high).toEqual(['db-upgrade', 'restart-app', 'users-add', 'users-remove']);
  });

  it('run the demo program by absolute path with the Node running opsroom, so any working folder will do', () => {
    for (const runbook of Object.values(BUNDLED_RUNBOOKS)) {
      expect(runbook.argv[0]).toBe(process.execPath);
      expect(runbook.argv[1]).toBe(DEMO_OPS_PROGRAM);
    }
    expect(isAbsolute(DEMO_OPS_PROGRAM) && existsSync(DEMO_OPS_PROGRAM)).toBe(true);
  });

  it('are the default of the runbooks section, next to grants and plugin settings that make status and logs work', () => {
    const config = validateConfig({}, 'an empty configuration');
    expect(Object.keys(config.runbooks).sort()).toEqual(Object.keys(BUNDLED_RUNBOOKS).sort());
    expect(config.runbooks['tail-log']).toMatchObject({ argv: [process.execPath, DEMO_OPS_PROGRAM, 'tail-log', '{lines}'], timeoutMs: 15_000, risk: 'low' });
    expect(config.plugins.grants).toEqual(BUNDLED_GRANTS);
    expect(config.plugins.config).toEqual(BUNDLED_PLUGIN_CONFIG);
    expect(BUNDLED_GRANTS.status).toEqual(['net:127.0.0.1:3000']);
    expect(BUNDLED_NET_ALLOW_PRIVATE).toEqual(['127.0.0.1:3000']);
    expect(BUNDLED_PLUGIN_CONFIG.status).toEqual({ services: { opsroom: `http://127.0.0.1:${config.http.port}/healthz` } });
    expect(validateConfig({ runbooks: {} }, 'a configuration without runbooks').runbooks).toEqual({});
  });
});

describe('the demo runbook program behind them', () => {
  let logger: TestLogger;
  let dir: string;
  let runner: RunbookRunnerImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    dir = await realpath(await mkdtemp(join(tmpdir(), 'opsroom-demo-ops-')));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const definitions = Object.fromEntries(Object.entries(BUNDLED_RUNBOOKS).map(([name, runbook]) => [name, { ...runbook, cwd: dir }]));
    runner = new RunbookRunnerImpl(definitions as unknown as RunbookDefinitions, logger);
  });
  afterEach(() => logger.assertNoErrors());

  it('restarts known services, counting restarts, and refuses unknown ones with exit code 2', async () => {
    expect(await runner.run('restart-app', { service: 'web' })).toMatchObject({ exitCode: 0, stdout: 'web restarted (restart #1 since the demo began)\n' });
    expect(await runner.run('restart-app', { service: 'web' })).toMatchObject({ exitCode: 0, stdout: 'web restarted (restart #2 since the demo began)\n' });
    const unknown = await runner.run('restart-app', { service: 'nope' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('demo-ops: unknown service nope (known: opsroom, web, worker)');
    await expect(runner.run('restart-app', { service: 'Web; reboot' })).rejects.toThrow('does not match the pattern');
  });

  it('adds and removes users, refusing a duplicate or a missing user with exit code 1', async () => {
    expect(await runner.run('users-add', { name: 'carol' })).toMatchObject({ exitCode: 0, stdout: 'user carol added (3 users)\n' });
    expect(await runner.run('users-add', { name: 'carol' })).toMatchObject({ exitCode: 1, stderr: 'demo-ops: user carol already exists\n' });
    expect(await runner.run('users-remove', { name: 'bob' })).toMatchObject({ exitCode: 0, stdout: 'user bob removed (2 users)\n' });
    expect(await runner.run('users-remove', { name: 'dave' })).toMatchObject({ exitCode: 1, stderr: 'demo-ops: there is no user dave (users: alice, carol)\n' });
  });

  it('reports the schema version and applies the pending migrations once', async () => {
    expect((await runner.run('db-version', {})).stdout).toMatch(/^schema version 3, last migration 0003-create-orders applied .*; 2 pending\n$/);
    expect((await runner.run('db-upgrade', {})).stdout).toBe('schema upgraded from version 3 to 5: applied 0004-index-orders-by-account, 0005-add-order-status\n');
    expect((await runner.run('db-upgrade', {})).stdout).toBe('schema version 5 is already the latest; nothing to do\n');
    expect((await runner.run('db-version', {})).stdout).toMatch(/^schema version 5, last migration 0005-add-order-status applied .*; up to date\n$/);
  });

  it('starts batch jobs that complete a few seconds later, one run of a job at a time', async () => {
    expect((await runner.run('batch-status', {})).stdout).toBe('no batch jobs have run yet\n');
    expect(await demo(dir, ['batch-start', 'nightly'], { DEMO_OPS_JOB_SECONDS: '2' })).toMatchObject({ code: 0, stdout: 'batch job nightly started; it completes in about 2s\n' });
    expect(await runner.run('batch-start', { job: 'nightly' })).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('batch job nightly is already running') });
    expect((await runner.run('batch-status', {})).stdout).toMatch(/^nightly {2}running {4}started \S+, [01]s so far\n$/);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await runner.run('batch-status', {})).stdout).toMatch(/^nightly {2}completed {2}started \S+, took 2s\n$/);
  });

  it('prints the newest lines of its log, as many as asked', async () => {
    await runner.run('restart-app', { service: 'worker' });
    await runner.run('users-add', { name: 'carol' });
    expect((await runner.run('tail-log', { lines: 2 })).stdout).toMatch(/^\S+ worker: restarted \(restart #1\)\n\S+ users: added carol\n$/);
    expect((await runner.run('tail-log', {})).stdout.split('\n').filter(Boolean)).toHaveLength(3);
    await expect(runner.run('tail-log', { lines: 0 })).rejects.toThrow('does not match the pattern');
  });

  it('exits 2 with the usage for a bad subcommand or argument count, and 1 for a damaged state file', async () => {
    const unknown = await demo(dir, ['reboot']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('demo-ops: unknown subcommand "reboot"\nusage: demo-ops.mjs restart <service>');
    expect((await demo(dir, ['db-version', 'now'])).stderr).toContain('demo-ops: db-version takes no arguments, got 1');
    expect((await demo(dir, ['tail-log', '5000'])).stderr).toContain('the number of lines must be a whole number from 1 to 1000');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'demo-ops.json'), '{ not json');
    const damaged = await demo(dir, ['db-version']);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^demo-ops: .*demo-ops\.json is damaged \(.*\); delete it to start the demo afresh\n$/);
  });
});

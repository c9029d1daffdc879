import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stringify } from 'yaml';
import { OPSROOM_BIN, runCli } from '../../support/run-cli.js';

const ECHO = [process.execPath, '-e', 'process.stdout.write("up " + process.argv[1])', '{service}'];

function configTree(dir: string, commands: Record<string, unknown>): Record<string, unknown> {
  return {
    storage: { sqlitePath: join(dir, 'data', 'opsroom.db') },
    plugins: { bundled: false, installDir: join(dir, 'plugins') },
    logging: { level: 'warn', file: join(dir, 'opsroom.log') },
    runbooks: { uptime: { argv: ECHO, params: { service: { type: 'string', pattern: '[a-z]+', required: true } } } },
    commands,
  };
}

const UPTIME = { description: 'Shows how long a service is up', args: [{ name: 'service', type: 'string', required: true }], runbook: { name: 'uptime', params: { service: '{{args.service}}' } } };

/** `opsroom shell -c file` as its own process, its stdin held open; stopped when the test finishes. */
async function startShell(dir: string, file: string): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, [OPSROOM_BIN, 'shell', '-c', file], {
    cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  onTestFinished(async () => {
    if (child.exitCode === null) {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.stdin.end();
      await closed;
    }
  });
  const pidFile = join(dir, 'data', 'opsroom.pid');
  const deadline = Date.now() + 20_000;
  while (!existsSync(pidFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the shell did not start; output: ${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => stdout };
}

describe('opsroom config reload', () => {
  it('asks the running opsroom to reload and prints what it added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-reload-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'opsroom.yaml');
    writeFileSync(file, stringify(configTree(dir, {})));
    const shell = await startShell(dir, file);
    writeFileSync(file, stringify(configTree(dir, { uptime: UPTIME })));
    const result = await runCli(['config', 'reload', '-c', file], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('added: `uptime`');
    shell.child.stdin.write('uptime web\n');
    const deadline = Date.now() + 10_000;
    while (!shell.output().includes('up web') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shell.output()).toContain('up web');
  }, 60_000);

  it('reports a bad file itself and sends nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-reload-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'opsroom.yaml');
    writeFileSync(file, stringify(configTree(dir, { uptime: { ...UPTIME, reply: '{{stdout' } })));
    const result = await runCli(['config', 'reload', '-c', file], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('commands.uptime.reply: has a {{ or }} that is not a reference');
  }, 30_000);

  it('says so when no opsroom runs with the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-reload-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'opsroom.yaml');
    writeFileSync(file, stringify(configTree(dir, { uptime: UPTIME })));
    const result = await runCli(['config', 'reload', '-c', file], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no running opsroom was found for ${file}`);
  }, 30_000);
});

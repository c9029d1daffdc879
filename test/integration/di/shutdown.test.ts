import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { Router } from '../../../src/routing/router.js';
import { message } from '../../fakes/fake-adapter.js';
import { OPSROOM_BIN } from '../../support/run-cli.js';
import { startTestApp } from '../../support/test-app.js';

function slowCommand(registry: CommandRegistry, ms: number): void {
  registry.register('core', { name: 'slow', description: 'takes a while', args: [], permission: 'slow', risk: 'low' }, async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'finished';
  });
}

describe('graceful shutdown', () => {
  it('finishes a command in flight, answers it, records it, and takes no new events', async () => {
    const { app, adapter } = await startTestApp();
    slowCommand(app.get<CommandRegistry>(CommandRegistry), 300);
    const audit = app.get<AuditLog>(AuditLog);
    const inFlight = adapter.deliver(message('!slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.get<Router>(Router).inFlight()).toBe(1);
    const entriesBefore = (await audit.list({ command: 'slow' })).length;
    const stopping = app.stop();
    await adapter.deliver(message('!ping'));
    await stopping;
    await inFlight;
    expect(entriesBefore).toBe(1);
    expect(adapter.texts()).toEqual(['finished']);
    expect(adapter.started).toBe(false);
  });

  it('gives up on a command that outlives the shutdown timeout instead of hanging', async () => {
    const { app, adapter, logger } = await startTestApp({ shutdown: { timeoutMs: 100 } });
    slowCommand(app.get<CommandRegistry>(CommandRegistry), 5_000);
    void adapter.deliver(message('!slow'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(logger.entries().some((e) => e.msg === 'commands still running at shutdown were abandoned')).toBe(true);
  });

  it('stops `opsroom start` on SIGTERM with status 0 and closes storage cleanly', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsroom-sigterm-'));
    onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
    const child = spawn(process.execPath, [OPSROOM_BIN, 'start'], {
      cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, OPSROOM_HTTP_PORT: '0' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    onTestFinished(() => { child.kill('SIGKILL'); });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const log = join(cwd, 'data', 'opsroom.log');
    const deadline = Date.now() + 30_000;
    let listening = false;
    while (!listening && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        listening = readFileSync(log, 'utf8').includes('http server listening');
      } catch { /* not there yet */ }
    }
    expect(child.exitCode, `opsroom start ended early:\n${stderr}`).toBeNull();
    expect(listening, `opsroom start did not listen in time:\n${stderr}`).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('"msg":"opsroom stopped"');
  });
});

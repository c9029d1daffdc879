import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigReloader } from '../../../src/automation/config-reloader.js';
import type { ReloadReport } from '../../../src/automation/reload-report.js';
import { formatReloadReport } from '../../../src/automation/reload-report.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { FakeAdapter, message } from '../../fakes/fake-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const ECHO = [process.execPath, '-e', 'process.stdout.write("up " + process.argv[1])', '{service}'];

function base(dir: string): Record<string, unknown> {
  return {
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    http: { enabled: false },
    plugins: { bundled: false, installDir: join(dir, 'plugins'), lockFile: join(dir, 'lock.json') },
    runbooks: { uptime: { argv: ECHO, params: { service: { type: 'string', pattern: '[a-z]+', required: true } } } },
  };
}

function uptimeCommand(description = 'Shows how long a service is up'): Record<string, unknown> {
  return { description, args: [{ name: 'service', type: 'string', required: true }], runbook: { name: 'uptime', params: { service: '{{args.service}}' } } };
}

/** An opsroom started from a real file that it watches, as `opsroom start -c file` runs it. */
async function startWatched(tree: Record<string, unknown>): Promise<{ app: OpsroomApp; adapter: FakeAdapter; file: string; dir: string; reloads: ReloadReport[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-reload-'));
  const file = join(dir, 'opsroom.yaml');
  writeFileSync(file, stringify({ ...base(dir), ...tree }));
  const adapter = new FakeAdapter('local');
  const app = await OpsroomApp.start({
    config: loadConfig({ file }).config, logger: createTestLogger('error'), adapters: [adapter], http: false,
    configSource: { file, watch: true, control: false },
  });
  onTestFinished(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const reloads: ReloadReport[] = [];
  app.get<ConfigReloader>(ConfigReloader).onDidReload((report) => reloads.push(report));
  return { app, adapter, file, dir, reloads };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ConfigReloader', () => {
  it('picks up an added command when the file changes, and tells who wished for it in the channel where they asked', async () => {
    const { adapter, file, dir, reloads } = await startWatched({});
    await adapter.deliver(message('!uptime web', { as: 'alice', channel: { id: 'local:channel:dev', name: 'dev', isDirect: false } }));
    expect(adapter.lastText()).toContain('There is no command `uptime`');
    writeFileSync(file, stringify({ ...base(dir), commands: { uptime: uptimeCommand() } }));
    await until(() => reloads.length > 0);
    expect(reloads[0]).toMatchObject({ trigger: 'file', outcome: 'applied', added: ['uptime'], refused: [] });
    await until(() => adapter.sent.some((s) => s.kind === 'send'));
    const told = adapter.sent.find((s) => s.kind === 'send');
    expect(told?.channelId).toBe('local:channel:dev');
    expect(told?.message?.text).toBe('✨ `uptime` exists now (from config): Shows how long a service is up. alice asked for it on the wishlist; `help uptime` shows how to use it.');
    await adapter.deliver(message('!uptime web', { as: 'alice' }));
    expect(adapter.lastText()).toBe('up web');
  });

  it('reports changed, removed and refused commands, and keeps the running definition of a refused change', async () => {
    const { app, file, dir } = await startWatched({ commands: { uptime: uptimeCommand(), 'old-one': uptimeCommand('Old') } });
    const reloader = app.get<ConfigReloader>(ConfigReloader);
    writeFileSync(file, stringify({
      ...base(dir),
      net: { allowPrivate: ['127.0.0.1:9999'] },
      commands: {
        uptime: uptimeCommand('How long a service has been up'),
        ping: uptimeCommand('Clashes with the built-in'),
        backup: { description: 'Runs a runbook nobody configured', runbook: { name: 'backup-db' } },
      },
    }));
    const report = await reloader.reload('command');
    expect(report).toMatchObject({ outcome: 'applied', changed: ['uptime'], removed: ['old-one'], added: [], restartNeeded: ['net'] });
    expect(report.refused).toEqual([
      { command: 'backup', reason: 'runbook backup-db is not configured in the running opsroom (runbooks apply at a restart; known: uptime)', kept: false },
      { command: 'ping', reason: 'command "ping" is already registered by core', kept: false },
    ]);
    const registry = app.get<CommandRegistry>(CommandRegistry);
    expect(registry.get('uptime')?.spec.description).toBe('How long a service has been up');
    expect(registry.get('old-one')).toBeUndefined();
    expect(registry.get('ping')?.plugin).toBe('core');
    expect(formatReloadReport(report)).toContain('refused: `backup`: runbook backup-db is not configured');
    expect(formatReloadReport(report)).toContain('not applied until a restart: net changed');
  });

  it('refuses an invalid file whole and keeps every running command', async () => {
    const { app, file, dir } = await startWatched({ commands: { uptime: uptimeCommand() } });
    writeFileSync(file, stringify({ ...base(dir), commands: { uptime: { ...uptimeCommand(), reply: 'up {{args.nope}}' }, 'Bad Name': uptimeCommand() } }));
    const report = await app.get<ConfigReloader>(ConfigReloader).reload('command');
    expect(report.outcome).toBe('invalid');
    expect(report.problems).toEqual(expect.arrayContaining([
      'commands.uptime.reply: {{args.nope}} refers to no declared argument (expected one of: service)',
      expect.stringContaining('commands.Bad Name'),
    ]));
    expect(app.get<CommandRegistry>(CommandRegistry).get('uptime')).toBeDefined();
    expect(formatReloadReport(report)).toMatch(/^Configuration not reloaded \(on request in chat\): .* has 2 problems; the running commands stay as they were\./);
  });

  it('answers `config reload` in chat with the report', async () => {
    const { adapter, file, dir } = await startWatched({});
    writeFileSync(file, stringify({ ...base(dir), commands: { uptime: uptimeCommand() } }));
    await adapter.deliver(message('!config reload', { as: 'alice' }));
    const answer = adapter.texts().find((t) => t.startsWith('Configuration'));
    expect(answer).toMatch(/Configuration (reloaded from|unchanged: ).*opsroom\.yaml/);
    expect(answer).toContain('added: `uptime`');
  });
});

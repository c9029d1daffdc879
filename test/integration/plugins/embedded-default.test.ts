import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { BUNDLED_GRANTS, BUNDLED_PLUGIN_CONFIG, BUNDLED_RUNBOOKS } from '../../../src/config/bundled-defaults.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { qualify } from '../../../src/core/identity.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { RecordingAdapter } from '../../../src/plugins/harness/recording-adapter.js';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { startServer, type LoopbackServer } from '../capabilities/loopback-server.js';

const OPS = 'local:channel:ops';

/**
 * The embedded default, changed only where a test must: the health endpoints are loopback stand-ins on free ports
 * (not opsroom's own port 3000, which a running instance may hold) and the demo runbooks keep their state in a
 * temporary folder instead of ./data.
 */
function embeddedDefault(dir: string, healthy: LoopbackServer, stuck: LoopbackServer) {
  const hosts = [healthy, stuck].map((server) => `127.0.0.1:${server.port}`);
  return validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    http: { enabled: false },
    adapters: { local: { enabled: false } },
    net: { allowPrivate: hosts },
    plugins: {
      grants: { ...BUNDLED_GRANTS, status: hosts.map((host) => `net:${host}`) },
      config: {
        ...BUNDLED_PLUGIN_CONFIG,
        status: { services: { opsroom: `${healthy.origin}/healthz`, stuck: `${stuck.origin}/healthz` }, timeoutMs: 500 },
      },
    },
    runbooks: Object.fromEntries(Object.entries(BUNDLED_RUNBOOKS).map(([name, runbook]) => [name, { ...runbook, cwd: dir }])),
  }, 'the embedded default under test');
}

describe('the embedded default', () => {
  let logger: TestLogger;
  let dir: string;
  let adapter: RecordingAdapter;
  let app: OpsroomApp;
  let healthy: LoopbackServer;
  let sequence = 0;

  beforeEach(async () => {
    logger = createTestLogger('warn');
    dir = mkdtempSync(join(tmpdir(), 'opsroom-embedded-default-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    healthy = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: '9.9.9' }));
    });
    // Never answers: the status plugin's own timeout must end the check.
    const stuck = await startServer(() => undefined);
    adapter = new RecordingAdapter();
    app = await OpsroomApp.start({ config: embeddedDefault(dir, healthy, stuck), logger, adapters: [adapter], http: false });
    onTestFinished(() => app.stop());
  });
  afterEach(() => logger.assertNoErrors());

  /** Says something in #ops and resolves to the texts the bot sent there in answer. */
  async function say(text: string, as = 'alice'): Promise<string[]> {
    const before = adapter.messages.length;
    const id = `embedded-${++sequence}`;
    await adapter.deliver({
      type: 'message', id, messageId: id, platform: 'local', text, mentionsBot: true, receivedAt: new Date(),
      actor: { id: qualify('local', 'user', as), name: as, isBot: false, groups: [] },
      channel: { id: OPS, name: 'ops', isDirect: false },
    });
    return adapter.messages.slice(before).filter((m) => m.channelId === OPS).map((m) => m.message.text);
  }

  /** Asks as alice, approves as bob, and resolves to what the released command answered. */
  async function approved(text: string): Promise<string[]> {
    const [request] = await say(text);
    const id = /`approve ([a-z2-9]{6})`/.exec(request ?? '')?.[1];
    expect(id, `no approval request for ${text}: ${request}`).toBeDefined();
    const before = adapter.messages.length;
    const decision = await say(`approve ${id}`, 'bob');
    expect(decision.join('\n')).toContain(`You approved ${id}, the last approval it needed`);
    await expect.poll(() => adapter.messages.length - before, { timeout: 10_000 }).toBeGreaterThan(1);
    return adapter.messages.slice(before).map((m) => m.message.text).filter((t) => !t.startsWith('You approved'));
  }

  it('loads every bundled plugin, each holding what the default grants', () => {
    const plugins = app.get<PluginManager>(PluginManager).list();
    expect(plugins.filter((p) => p.state !== 'loaded').map((p) => `${p.name}: ${p.problems.join('; ')}`)).toEqual([]);
    const byName = new Map(plugins.map((p) => [p.name, p]));
    for (const name of ['batch', 'db', 'deploy', 'itest', 'logs', 'restart', 'users']) {
      // "all" is everything asked for except net:*, which names no host (logs reads the demo log through a runbook).
      expect(byName.get(name)?.granted, name).toEqual((byName.get(name)?.requested ?? []).filter((g) => g !== 'net:*').sort());
    }
    expect(byName.get('batch')?.granted).toEqual(['post:builds', 'runbooks:batch-start', 'runbooks:batch-status', 'schedule', 'storage']);
  });

  it('checks the configured health endpoints over real loopback HTTP, each check ending at its own timeout', async () => {
    const [reply] = await say('status');
    expect(reply).toMatch(/^\*\*1 of 2 services up\*\*\n```\nSERVICE +STATE +LATENCY +VERSION +DETAIL\n/);
    expect(reply).toMatch(/\nopsroom +up +\d+ ms +9\.9\.9\n/);
    expect(reply).toMatch(/\nstuck +down +- +- +no answer within 500 ms\n```$/);
    expect(healthy.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /healthz']);
  });

  it('answers through the demo runbooks, and runs the high-risk ones only once approved', async () => {
    expect(await say('db version')).toEqual([expect.stringMatching(/^Database: schema version 3, last migration 0003-create-orders applied .*; 2 pending$/)]);
    expect((await say('batch start nightly')).join('\n')).toContain('Started batch job nightly: batch job nightly started; it completes in about 5s\nI will post to the builds channel');
    expect(await approved('restart web')).toContain('Restarted web: web restarted (restart #1 since the demo began)');
    expect(await approved('users add carol')).toContain('Added the user carol: user carol added (3 users)');
    expect(await approved('db upgrade')).toContain('Database upgrade done: schema upgraded from version 3 to 5: applied 0004-index-orders-by-account, 0005-add-order-status');
    const [logs] = await say('logs opsroom --lines 4');
    expect(logs).toMatch(/^Last 4 lines of opsroom \(runbook tail-log\):\n```\n.* batch nightly: started\n.* web: restarted \(restart #1\)\n.* users: added carol\n.* db: upgraded from version 3 to 5\n```$/);
    const state = JSON.parse(readFileSync(join(dir, 'data', 'demo-ops.json'), 'utf8')) as { users: string[]; schema: { version: number } };
    expect(state.users).toEqual(['alice', 'bob', 'carol']);
    expect(state.schema.version).toBe(5);
  }, 60_000);
});

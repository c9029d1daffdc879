import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { validateConfig } from '../../../src/config/load-config.js';
import type { ChatAdapter } from '../../../src/core/chat-adapter.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { ConversationReferenceStore } from '../../../src/storage/conversation-reference-store.js';
import { FakeHookedAdapter } from '../../fakes/fake-hooked-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const CHANNEL = 'teams:conversation:19:feed@thread.tacv2';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-hooks-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let logger = createTestLogger('info');

async function start(dir: string, adapter: ChatAdapter, http = true): Promise<OpsroomApp> {
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') }, http: { port: 0 }, plugins: { bundled: false }, adapters: { local: { enabled: false } },
  }, 'test configuration');
  const app = await OpsroomApp.start({ config, logger, adapters: [adapter], http });
  onTestFinished(async () => {
    await app.stop();
    logger.assertNoErrors();
  });
  return app;
}

describe('OpsroomApp adapter hooks', () => {
  it('mounts an adapter\'s routes on the shared HTTP server', async () => {
    const requests: string[] = [];
    const adapter = new FakeHookedAdapter('teams', [FakeHookedAdapter.echoRoute('/api/messages', requests)]);
    const app = await start(folder(), adapter);
    const response = await fetch(`http://127.0.0.1:${app.httpAddress?.port ?? 0}/api/messages?x=1`, { method: 'POST', body: '{}' });
    expect(await response.text()).toBe('served /api/messages');
    expect(requests).toEqual(['POST /api/messages?x=1']);
    expect((await fetch(`http://127.0.0.1:${app.httpAddress?.port ?? 0}/api/messages`)).status).toBe(405);
  });

  it('refuses to start an adapter that needs HTTP when the server is off, saying how to fix it', async () => {
    const adapter = new FakeHookedAdapter('teams', [FakeHookedAdapter.echoRoute('/api/messages', [])]);
    await expect(start(folder(), adapter, false)).rejects.toThrow('the teams adapter receives its events at POST /api/messages on the HTTP server, which is off; set http.enabled: true');
    expect(adapter.started).toBe(false);
  });

  it('persists captured references, forgets removed ones, and restores them at the next start', async () => {
    const dir = folder();
    const first = new FakeHookedAdapter('teams');
    const app = await start(dir, first);
    first.capture({ channelId: CHANNEL, serviceUrl: 'https://a.example/' });
    first.capture({ channelId: CHANNEL, serviceUrl: 'https://b.example/' });
    first.capture({ channelId: 'teams:conversation:gone', serviceUrl: 'https://a.example/' });
    first.forget('teams:conversation:gone');
    await app.stop();
    const second = new FakeHookedAdapter('teams');
    await start(dir, second);
    expect(second.restored).toEqual([{ channelId: CHANNEL, serviceUrl: 'https://b.example/' }]);
  });

  it('drops a stored reference the adapter refuses, logs it, and restores the others', async () => {
    const dir = folder();
    const app = await start(dir, new FakeHookedAdapter('teams'));
    const store = app.get<ConversationReferenceStore>(ConversationReferenceStore);
    await store.save('teams', 'teams:conversation:bad', { serviceUrl: 'https://a.example/' }, new Date('2025-01-01T00:00:00Z'));
    await store.save('teams', CHANNEL, { channelId: CHANNEL }, new Date('2025-01-01T00:00:01Z'));
    await app.stop();
    const adapter = new FakeHookedAdapter('teams');
    logger = createTestLogger('info');
    const again = await start(dir, adapter);
    expect(adapter.restored).toEqual([{ channelId: CHANNEL }]);
    expect(logger.entries().find((e) => e.msg?.startsWith('dropped a stored conversation reference'))).toMatchObject({ channelId: 'teams:conversation:bad' });
    expect((await again.get<ConversationReferenceStore>(ConversationReferenceStore).list('teams')).map((r) => r.channelId)).toEqual([CHANNEL]);
  });

  it('audits the events an adapter refused, all written before stop() returns', async () => {
    const dir = folder();
    const adapter = new FakeHookedAdapter('teams');
    const app = await start(dir, adapter);
    adapter.refuse({ reason: 'tenant not allowed', actor: 'teams:user:aad-1', channel: CHANNEL, detail: { tenantId: 't-1' } });
    adapter.refuse({ reason: 'no user', actor: 'not-qualified' });
    await app.stop();
    const again = await start(dir, new FakeHookedAdapter('teams'));
    const entries = (await again.get<AuditLog>(AuditLog).list({ action: 'event.refused' })).reverse();
    expect(entries).toMatchObject([
      { actor: 'teams:user:aad-1', platform: 'teams', channel: CHANNEL, outcome: 'refused', detail: { reason: 'tenant not allowed', tenantId: 't-1' } },
      { actor: 'system', platform: 'teams', detail: { reason: 'no user' } },
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { GrantStoreImpl } from '../../../src/plugins/grant-store.js';
import type { Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

describe.each(BACKENDS)('GrantStore on %s', (kind) => {
  let logger: TestLogger;
  let clock: FakeClock;
  let database: Database;
  let store: GrantStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const opened = await openTestDatabase(kind, logger);
    onTestFinished(opened.cleanup);
    database = opened.database;
    clock = new FakeClock('2025-03-01T09:00:00.000Z');
    store = new GrantStoreImpl(database, clock);
  });
  afterEach(() => logger.assertNoErrors());

  it('returns no changes for a plugin nobody decided on', async () => {
    expect(await store.changes('deploy')).toEqual([]);
    expect(await store.enabled('deploy')).toBeUndefined();
  });

  it('records grants and revocations, the last decision per grant winning, ordered by grant', async () => {
    await store.set('deploy', '1.2.0', 'net:api.github.com', 'granted', 'discord:user:1');
    await store.set('deploy', '1.2.0', 'secrets:GITHUB_TOKEN', 'granted', 'discord:user:1');
    clock.advance(60_000);
    await store.set('deploy', '1.3.0', 'net:api.github.com', 'revoked', 'teams:user:2');
    await store.set('status', '0.1.0', 'storage', 'granted', 'local:user:bob');

    expect(await store.changes('deploy')).toEqual([
      { grant: 'net:api.github.com', state: 'revoked', pluginVersion: '1.3.0', actor: 'teams:user:2', at: new Date('2025-03-01T09:01:00.000Z') },
      { grant: 'secrets:GITHUB_TOKEN', state: 'granted', pluginVersion: '1.2.0', actor: 'discord:user:1', at: new Date('2025-03-01T09:00:00.000Z') },
    ]);
    expect((await store.changes('status')).map((change) => change.grant)).toEqual(['storage']);
  });

  it('accepts every kind of grant a manifest can ask for', async () => {
    const grants = ['net:*.example.com', 'net:api.example.com:8443', 'secrets:GITHUB_TOKEN', 'storage', 'post:builds', 'runbooks:restart-app', 'webhook', 'schedule'];
    for (const grant of grants) await store.set('deploy', '1.0.0', grant, 'granted', 'local:user:bob');
    expect((await store.changes('deploy')).map((change) => change.grant)).toEqual([...grants].sort());
  });

  it('remembers whether a plugin was enabled, and who decided last', async () => {
    await store.setEnabled('deploy', false, 'local:user:bob');
    expect(await store.enabled('deploy')).toBe(false);
    await store.setEnabled('deploy', true, 'local:user:alice');
    expect(await store.enabled('deploy')).toBe(true);
    const row = await database.db.selectFrom('plugin_state').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ plugin: 'deploy', actor: 'local:user:alice' });
    expect(await store.enabled('status')).toBeUndefined();
  });

  it('forgets a plugin\'s grants and state, and only that plugin\'s', async () => {
    await store.set('deploy', '1.0.0', 'storage', 'granted', 'local:user:bob');
    await store.setEnabled('deploy', false, 'local:user:bob');
    await store.set('status', '1.0.0', 'storage', 'granted', 'local:user:bob');
    await store.forget('deploy');
    expect(await store.changes('deploy')).toEqual([]);
    expect(await store.enabled('deploy')).toBeUndefined();
    expect(await store.changes('status')).toHaveLength(1);
    await store.forget('deploy');
  });

  it('refuses bad input with a specific message', async () => {
    await expect(store.set('deploy', '1.0.0', 'network:x', 'granted', 'a')).rejects.toThrow(/grant "network:x" is not valid \(expected storage, webhook, schedule, or net:<host>/);
    await expect(store.set('deploy', '1.0.0', 'storage:1', 'granted', 'a')).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    await expect(store.set('deploy', '1.0.0', 'net:', 'granted', 'a')).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    await expect(store.set('deploy', '1.0.0', 'net:a b', 'granted', 'a')).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    await expect(store.set('deploy', '1.0.0', 'storage', 'maybe' as 'granted', 'a')).rejects.toThrow('grant state "maybe" is not valid (expected granted or revoked)');
    await expect(store.set('deploy', '', 'storage', 'granted', 'a')).rejects.toThrow('pluginVersion must be a non-empty string');
    await expect(store.set('deploy', '1.0.0', 'storage', 'granted', ' ')).rejects.toThrow('actor must be a non-empty string');
    await expect(store.changes('Deploy')).rejects.toThrow(/plugin name "Deploy" is not valid/);
    await expect(store.setEnabled('deploy', 'yes' as unknown as boolean, 'a')).rejects.toThrow('enabled must be true or false, got string');
    expect(await store.changes('deploy')).toEqual([]);
  });
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ConversationReferenceStoreImpl } from '../../../src/storage/conversation-reference-store.js';
import type { Database } from '../../../src/storage/database.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

const CHANNEL = 'teams:conversation:19:abc@thread.tacv2';
const at = (iso: string): Date => new Date(iso);

function reference(serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { channelId: CHANNEL, conversationId: '19:abc@thread.tacv2', conversationType: 'channel', serviceUrl, bot: { id: '28:bot' }, ...extra };
}

describe.each(BACKENDS)('ConversationReferenceStore on %s', (kind) => {
  let logger: TestLogger;
  let database: Database;
  let store: ConversationReferenceStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const opened = await openTestDatabase(kind, logger);
    onTestFinished(opened.cleanup);
    database = opened.database;
    store = new ConversationReferenceStoreImpl(database);
  });
  afterEach(() => logger.assertNoErrors());

  it('gives back what was saved, as JSON, per platform', async () => {
    await store.save('teams', CHANNEL, reference('https://smba.trafficmanager.net/amer/', { note: 'ünïcode ✅' }), at('2025-01-01T00:00:00Z'));
    expect(await store.list('teams')).toEqual([{ channelId: CHANNEL, reference: reference('https://smba.trafficmanager.net/amer/', { note: 'ünïcode ✅' }) }]);
    expect(await store.list('discord')).toEqual([]);
  });

  it('replaces the reference of a channel, keeping one row, oldest change first', async () => {
    await store.save('teams', CHANNEL, reference('https://a.example/'), at('2025-01-01T00:00:00Z'));
    await store.save('teams', 'teams:conversation:a:1', { channelId: 'teams:conversation:a:1' }, at('2025-01-01T00:00:01Z'));
    await store.save('teams', CHANNEL, reference('https://b.example/'), at('2025-01-01T00:00:02Z'));
    const listed = await store.list('teams');
    expect(listed.map((r) => r.channelId)).toEqual(['teams:conversation:a:1', CHANNEL]);
    expect(listed[1]?.reference).toMatchObject({ serviceUrl: 'https://b.example/' });
  });

  it('removes a channel and says whether there was one', async () => {
    await store.save('teams', CHANNEL, reference('https://a.example/'), at('2025-01-01T00:00:00Z'));
    expect(await store.remove('teams', CHANNEL)).toBe(true);
    expect(await store.remove('teams', CHANNEL)).toBe(false);
    expect(await store.list('teams')).toEqual([]);
  });

  it('hands a row that is not JSON back as its text, for the adapter to refuse by name', async () => {
    await sql`insert into conversation_references (platform, channel_id, reference, updated_at) values ('teams', ${CHANNEL}, '{broken', '2025-01-01T00:00:00Z')`.execute(database.db);
    expect(await store.list('teams')).toEqual([{ channelId: CHANNEL, reference: '{broken' }]);
  });

  it('refuses a reference that is not a JSON object, and bad arguments', async () => {
    await expect(store.save('teams', CHANNEL, 'just text', at('2025-01-01T00:00:00Z'))).rejects.toThrow(/must be a JSON object/);
    await expect(store.save('teams', CHANNEL, { loop: 1n }, at('2025-01-01T00:00:00Z'))).rejects.toThrow(/not JSON-serializable/);
    await expect(store.save('skype' as never, CHANNEL, {}, at('2025-01-01T00:00:00Z'))).rejects.toThrow(/platform must be one of/);
    await expect(store.save('teams', '', {}, at('2025-01-01T00:00:00Z'))).rejects.toThrow(/channelId must be a non-empty string/);
  });
});

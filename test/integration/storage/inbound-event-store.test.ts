import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Platform } from '../../../src/core/identity.js';
import { InboundEventStoreImpl } from '../../../src/storage/inbound-event-store.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

const at = (iso: string): Date => new Date(iso);

describe.each(BACKENDS)('InboundEventStore on %s', (kind) => {
  let logger: TestLogger;
  let store: InboundEventStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    store = new InboundEventStoreImpl(database);
  });
  afterEach(() => logger.assertNoErrors());

  it('says an event is new the first time and a duplicate after that', async () => {
    expect(await store.markSeen('discord', 'evt-1', at('2025-01-01T00:00:00Z'))).toBe(true);
    expect(await store.markSeen('discord', 'evt-1', at('2025-01-01T00:00:05Z'))).toBe(false);
    expect(await store.markSeen('discord', 'evt-2', at('2025-01-01T00:00:05Z'))).toBe(true);
  });

  it('keeps the same event id on two platforms apart', async () => {
    expect(await store.markSeen('discord', 'same-id', at('2025-01-01T00:00:00Z'))).toBe(true);
    expect(await store.markSeen('teams', 'same-id', at('2025-01-01T00:00:00Z'))).toBe(true);
  });

  it('lets exactly one of many simultaneous deliveries through', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.markSeen('teams', 'raced', at('2025-01-01T00:00:00Z'))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('prunes only events received before the cut-off', async () => {
    await store.markSeen('local', 'old-1', at('2025-01-01T00:00:00Z'));
    await store.markSeen('local', 'old-2', at('2025-01-01T11:59:59.999Z'));
    await store.markSeen('local', 'new', at('2025-01-01T12:00:00Z'));
    expect(await store.prune(at('2025-01-01T12:00:00Z'))).toBe(2);
    expect(await store.markSeen('local', 'old-1', at('2025-01-02T00:00:00Z'))).toBe(true);
    expect(await store.markSeen('local', 'new', at('2025-01-02T00:00:00Z'))).toBe(false);
  });

  it('refuses an empty event id, an unknown platform and an invalid date', async () => {
    await expect(store.markSeen('discord', '', at('2025-01-01T00:00:00Z'))).rejects.toThrow(/eventId must be a non-empty string/);
    await expect(store.markSeen('slack' as Platform, 'e', at('2025-01-01T00:00:00Z'))).rejects.toThrow(/platform must be one of discord, teams, local/);
    await expect(store.markSeen('discord', 'e', new Date('nope'))).rejects.toThrow(/at must be a valid Date/);
    await expect(store.prune(new Date(Number.NaN))).rejects.toThrow(/olderThan must be a valid Date/);
  });
});

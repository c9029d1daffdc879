import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { WishlistStoreImpl, type WishlistRequest } from '../../../src/storage/wishlist-store.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

function request(command: string, who: string, minute: number, channel = 'discord:channel:ops'): WishlistRequest {
  return {
    command,
    actorId: `discord:user:${who}`,
    actorName: who,
    platform: 'discord',
    channelId: channel,
    text: `${command} --please`,
    at: new Date(Date.UTC(2025, 0, 1, 9, minute)),
  };
}

describe.each(BACKENDS)('WishlistStore on %s', (kind) => {
  let logger: TestLogger;
  let store: WishlistStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    store = new WishlistStoreImpl(database);
  });
  afterEach(() => logger.assertNoErrors());

  it('ranks the most requested commands first, with distinct askers and the last time asked', async () => {
    await store.record(request('rollback', 'ann', 1));
    await store.record(request('rollback', 'bob', 2));
    await store.record(request('rollback', 'ann', 3));
    await store.record(request('flush-cache', 'cid', 4));
    await store.record(request('flush-cache', 'dee', 5));
    await store.record(request('reindex', 'eve', 6));

    const top = await store.top(10);
    expect(top).toEqual([
      { command: 'rollback', count: 3, askers: ['ann', 'bob'], lastAskedAt: new Date(Date.UTC(2025, 0, 1, 9, 3)) },
      { command: 'flush-cache', count: 2, askers: ['dee', 'cid'], lastAskedAt: new Date(Date.UTC(2025, 0, 1, 9, 5)) },
      { command: 'reindex', count: 1, askers: ['eve'], lastAskedAt: new Date(Date.UTC(2025, 0, 1, 9, 6)) },
    ]);
    expect((await store.top(2)).map((entry) => entry.command)).toEqual(['rollback', 'flush-cache']);
  });

  it('breaks a tie in count by the most recent request', async () => {
    await store.record(request('older', 'ann', 1));
    await store.record(request('newer', 'bob', 2));
    expect((await store.top(5)).map((entry) => entry.command)).toEqual(['newer', 'older']);
  });

  it('returns an empty list when nothing was requested', async () => {
    expect(await store.top(10)).toEqual([]);
  });

  it('closes every open request of a command, returns who asked where, and drops it from the top', async () => {
    await store.record(request('rollback', 'ann', 1, 'discord:channel:ops'));
    await store.record(request('rollback', 'bob', 2, 'discord:channel:dev'));
    await store.record(request('reindex', 'eve', 3));

    const closed = await store.close('rollback', new Date(Date.UTC(2025, 0, 2)));
    expect(closed).toHaveLength(2);
    expect(closed).toEqual(expect.arrayContaining([
      { actorId: 'discord:user:ann', actorName: 'ann', channelId: 'discord:channel:ops' },
      { actorId: 'discord:user:bob', actorName: 'bob', channelId: 'discord:channel:dev' },
    ]));
    expect((await store.top(10)).map((entry) => entry.command)).toEqual(['reindex']);
    expect(await store.close('rollback', new Date(Date.UTC(2025, 0, 3)))).toEqual([]);
  });

  it('counts a command requested again after it was closed as a new request', async () => {
    await store.record(request('rollback', 'ann', 1));
    await store.close('rollback', new Date(Date.UTC(2025, 0, 1, 10)));
    await store.record(request('rollback', 'bob', 30));
    expect(await store.top(10)).toEqual([
      { command: 'rollback', count: 1, askers: ['bob'], lastAskedAt: new Date(Date.UTC(2025, 0, 1, 9, 30)) },
    ]);
  });

  it('stores text with a NUL byte and a lone surrogate on every backend', async () => {
    await store.record({ ...request('odd', 'ann', 1), text: 'odd \u0000 \uD800 text' });
    expect((await store.top(1))[0]?.command).toBe('odd');
  });

  it('answers a bad limit with a user error naming the allowed range', async () => {
    await expect(store.top(0)).rejects.toThrow(UserError);
    await expect(store.top(0)).rejects.toThrow('the wishlist limit must be a whole number from 1 to 100, got number 0');
    await expect(store.top(2.5)).rejects.toThrow(/from 1 to 100/);
    await expect(store.top(101)).rejects.toThrow(/from 1 to 100/);
  });

  it('refuses a request with a missing field', async () => {
    await expect(store.record({ ...request('x', 'ann', 1), actorName: '' })).rejects.toThrow('actorName must be a non-empty string, got ""');
    await expect(store.record({ ...request('x', 'ann', 1), at: new Date('bad') })).rejects.toThrow(/at must be a valid Date/);
    await expect(store.close('', new Date())).rejects.toThrow(/command must be a non-empty string/);
  });
});

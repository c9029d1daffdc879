import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { PluginKvStoreImpl } from '../../../src/capabilities/storage/plugin-kv-store.js';
import { openDatabase } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../support/backends.js';

const KB = 1024;
const QUOTA = 256 * KB;

/** A string value whose key plus JSON text take exactly `bytes` bytes. */
function sized(key: string, bytes: number): string {
  return 'x'.repeat(bytes - Buffer.byteLength(key) - 2);
}

describe.each(BACKENDS)('PluginKvStore on %s', (kind) => {
  let logger: TestLogger;
  let test: TestDatabase;
  let store: PluginKvStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    test = await openTestDatabase(kind, logger);
    onTestFinished(test.cleanup);
    store = new PluginKvStoreImpl(test.database, new FakeClock());
  });
  afterEach(() => logger.assertNoErrors());

  it('stores JSON values and gives back equal copies', async () => {
    const value = { builds: [1, 2.5, -3], ok: true, none: null, text: 'héllo 😀 \u0000 \uD800 end', nested: { a: [{ b: 'c' }] } };
    await store.set('deploy', 'state', value, QUOTA);
    expect(await store.get('deploy', 'state')).toEqual(value);
    await store.set('deploy', 'count', 7, QUOTA);
    await store.set('deploy', 'count', 8, QUOTA);
    expect(await store.get('deploy', 'count')).toBe(8);
    expect(await store.get('deploy', 'missing')).toBeUndefined();
  });

  it('keeps each plugin in its own namespace', async () => {
    await store.set('deploy', 'token', 'a', QUOTA);
    await store.set('status', 'token', 'b', QUOTA);
    expect(await store.get('deploy', 'token')).toBe('a');
    expect(await store.get('status', 'token')).toBe('b');
    expect(await store.purge('deploy')).toBe(1);
    expect(await store.get('status', 'token')).toBe('b');
    expect(await store.list('deploy', '')).toEqual([]);
  });

  it('deletes a key and says whether it existed', async () => {
    await store.set('deploy', 'k', 1, QUOTA);
    expect(await store.delete('deploy', 'k')).toBe(true);
    expect(await store.delete('deploy', 'k')).toBe(false);
    expect(await store.get('deploy', 'k')).toBeUndefined();
  });

  it('lists keys in code-point order and matches the prefix literally, case included', async () => {
    for (const key of ['a%b', 'a_c', 'axb', 'A%b', 'a%', 'b', 'é', '😀', 'a\\x', 'a']) await store.set('deploy', key, 0, QUOTA);
    expect(await store.list('deploy', '')).toEqual(['A%b', 'a', 'a%', 'a%b', 'a\\x', 'a_c', 'axb', 'b', 'é', '😀']);
    expect(await store.list('deploy', 'a%')).toEqual(['a%', 'a%b']);
    expect(await store.list('deploy', 'a_')).toEqual(['a_c']);
    expect(await store.list('deploy', 'a\\')).toEqual(['a\\x']);
    expect(await store.list('deploy', 'A')).toEqual(['A%b']);
    expect(await store.list('deploy', 'a', 3)).toEqual(['a', 'a%', 'a%b']);
    expect(await store.list('deploy', 'zz')).toEqual([]);
  });

  it('counts keys and values in UTF-8 bytes', async () => {
    await store.set('deploy', 'é', 'ü', QUOTA);
    expect(await store.usage('deploy')).toBe(2 + 4);
    await store.set('deploy', 'n', [1, 2], QUOTA);
    expect(await store.usage('deploy')).toBe(6 + 1 + 5);
    expect(await store.usage('status')).toBe(0);
  });

  it('refuses a write past the quota, saying what is used and what the value needs', async () => {
    for (const key of ['p1', 'p2', 'p3', 'p4', 'p5']) await store.set('deploy', key, sized(key, 50 * KB), QUOTA);
    expect(await store.usage('deploy')).toBe(250 * KB);
    const write = store.set('deploy', 'new', sized('new', 12 * KB), QUOTA);
    await expect(write).rejects.toMatchObject({
      code: 'E_QUOTA',
      message: 'storage: quota of 256 KB exceeded (using 250 KB, this value needs 12 KB); delete keys or ask the operator to raise storage.quotaKb',
    });
    expect(await store.get('deploy', 'new')).toBeUndefined();
    await store.set('deploy', 'new', sized('new', 6 * KB), QUOTA);
    expect(await store.usage('deploy')).toBe(QUOTA);
  });

  it('counts a replaced value out before counting the new one, and always lets a value shrink', async () => {
    await store.set('deploy', 'a', sized('a', 60 * KB), 100 * KB);
    await store.set('deploy', 'a', sized('a', 64 * KB), 100 * KB);
    expect(await store.usage('deploy')).toBe(64 * KB);
    await store.set('deploy', 'b', sized('b', 30 * KB), 100 * KB);
    await expect(store.set('deploy', 'b', sized('b', 40 * KB), 90 * KB)).rejects.toMatchObject({ code: 'E_QUOTA' });
    await store.set('deploy', 'b', sized('b', 20 * KB), 50 * KB);
    expect(await store.usage('deploy')).toBe(84 * KB);
  });

  it('enforces the quota atomically against concurrent writers', async () => {
    // PostgreSQL: two pools, as two processes would have. SQLite: one handle, since better-sqlite3 blocks
    // the thread while it waits for a lock; across processes `begin immediate` serializes writers.
    const stores = [store];
    if (kind === 'postgres') {
      const second = await openDatabase(test.options, logger);
      onTestFinished(() => second.close());
      stores.push(new PluginKvStoreImpl(second));
    }
    const writes = Array.from({ length: 24 }, (_, index) => {
      const key = `k${String(index).padStart(2, '0')}`;
      return stores[index % stores.length]!.set('deploy', key, sized(key, KB), 10 * KB);
    });
    const results = await Promise.allSettled(writes);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.length - refused.length).toBe(10);
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'E_QUOTA' });
    expect(await store.usage('deploy')).toBe(10 * KB);
  });

  it('purges every key of a plugin and reports how many', async () => {
    await store.set('deploy', 'a', 1, QUOTA);
    await store.set('deploy', 'b', 2, QUOTA);
    expect(await store.purge('deploy')).toBe(2);
    expect(await store.usage('deploy')).toBe(0);
    expect(await store.purge('deploy')).toBe(0);
  });

  it('refuses bad keys with a specific message', async () => {
    await expect(store.set('deploy', '', 1, QUOTA)).rejects.toThrow('storage: a key must be 1 to 256 characters long, got 0');
    await expect(store.set('deploy', 'k'.repeat(257), 1, QUOTA)).rejects.toThrow('got 257');
    await store.set('deploy', '😀'.repeat(256), 1, QUOTA);
    await expect(store.get('deploy', 'a\nb')).rejects.toThrow('storage: the key "a\\nb" contains a control character');
    await expect(store.delete('deploy', 'a\u0000')).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    await expect(store.set('deploy', 'a\uD800', 1, QUOTA)).rejects.toThrow(/unpaired UTF-16 surrogate/);
    await expect(store.get('deploy', 42 as unknown as string)).rejects.toThrow('storage: a key must be a string, got number');
    await expect(store.list('deploy', 'a', 0)).rejects.toThrow('storage: the list limit must be a whole number from 1 to 1000, got 0');
    await expect(store.get('Deploy', 'k')).rejects.toThrow(/plugin name "Deploy" is not valid/);
  });

  it('refuses values that are not plain JSON data, saying where', async () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    const cases: Array<[unknown, string | RegExp]> = [
      [undefined, 'storage: the value is undefined; store plain JSON data'],
      [() => 1, 'storage: the value is a function'],
      [{ when: 10n }, 'storage: the value at when is a bigint'],
      [cycle, 'storage: the value at self.back refers to itself (a cycle)'],
      [JSON.parse('{"a":{"__proto__":{"x":1}}}'), 'storage: the value at a has the key "__proto__", which is not allowed'],
      [{ list: [{ constructor: 1 }] }, 'storage: the value at list[0] has the key "constructor"'],
      [{ prototype: {} }, 'has the key "prototype"'],
      [new Map([[1, 2]]), 'storage: the value is a Map, not a plain object'],
      [{ at: new Date(0) }, 'storage: the value at at is a Date, not a plain object'],
      [[1, Number.NaN], 'storage: the value at [1] is NaN, which JSON cannot hold'],
      [{ s: Symbol('x') }, 'is a symbol'],
      [{ get x() { return 1; } }, 'storage: the value at x is an accessor property'],
      [JSON.parse(`${'['.repeat(65)}${']'.repeat(65)}`), 'nests deeper than 64 levels'],
    ];
    for (const [value, message] of cases) {
      await expect(store.set('deploy', 'k', value, QUOTA), String(message)).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
      await expect(store.set('deploy', 'k', value, QUOTA)).rejects.toThrow(message);
    }
    expect(await store.list('deploy', '')).toEqual([]);
  });

  it('refuses a value over 64 KiB of JSON whatever the quota', async () => {
    await expect(store.set('deploy', 'k', 'x'.repeat(64 * KB), 10 * 1024 * KB))
      .rejects.toThrow('storage: a value may be at most 64 KB as JSON, this one is 65 KB');
    await store.set('deploy', 'k', 'x'.repeat(64 * KB - 2), 10 * 1024 * KB);
  });

  it('treats a bad quota as opsroom\'s own error, not the plugin\'s', async () => {
    await expect(store.set('deploy', 'k', 1, 0)).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });
});

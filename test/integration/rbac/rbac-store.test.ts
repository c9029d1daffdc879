import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { hashLinkCode } from '../../../src/rbac/link-code.js';
import { RbacStoreImpl } from '../../../src/rbac/rbac-store.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

const t0 = new Date('2025-03-01T09:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe.each(BACKENDS)('RbacStore on %s', (kind) => {
  let logger: TestLogger;
  let store: RbacStoreImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    store = new RbacStoreImpl(database);
  });
  afterEach(() => logger.assertNoErrors());

  it('keeps the latest decision per principal and role', async () => {
    await store.saveRoleChange({ principal: 'discord:user:1', role: 'operator', state: 'granted', by: 'system', at: t0 });
    await store.saveRoleChange({ principal: 'discord:user:1', role: 'viewer', state: 'granted', by: 'system', at: t0 });
    await store.saveRoleChange({ principal: 'discord:user:1', role: 'operator', state: 'revoked', by: 'discord:user:9', at: minutes(1) });
    expect((await store.load()).roleChanges).toEqual([
      { principal: 'discord:user:1', role: 'operator', state: 'revoked', by: 'discord:user:9', at: minutes(1) },
      { principal: 'discord:user:1', role: 'viewer', state: 'granted', by: 'system', at: t0 },
    ]);
  });

  it('redeems a code once, storing the link in a fixed order, and never after it expired', async () => {
    const hash = hashLinkCode('ABCDEFGH');
    await store.saveLinkCode({ hash, principal: 'teams:user:aad', createdAt: t0, expiresAt: minutes(10) });
    expect(await store.findLinkCode(hash)).toEqual({ hash, principal: 'teams:user:aad', createdAt: t0, expiresAt: minutes(10) });
    const link = { a: 'teams:user:aad', b: 'discord:user:1', by: 'discord:user:1', at: minutes(2) };
    const attempts = await Promise.all([store.redeemLinkCode(hash, link), store.redeemLinkCode(hash, link)]);
    expect(attempts.sort()).toEqual([false, true]);
    expect(await store.findLinkCode(hash)).toMatchObject({ usedAt: minutes(2), usedBy: 'discord:user:1' });
    expect((await store.load()).links).toEqual([{ a: 'discord:user:1', b: 'teams:user:aad', by: 'discord:user:1', at: minutes(2) }]);

    const late = hashLinkCode('JKMNPQRS');
    await store.saveLinkCode({ hash: late, principal: 'teams:user:other', createdAt: t0, expiresAt: minutes(10) });
    expect(await store.redeemLinkCode(late, { a: 'teams:user:other', b: 'discord:user:2', by: 'discord:user:2', at: minutes(10) })).toBe(false);
    expect((await store.load()).links).toHaveLength(1);
  });

  it('replaces a principal\'s unused code with a new one and prunes expired codes', async () => {
    await store.saveLinkCode({ hash: hashLinkCode('AAAAAAAA'), principal: 'teams:user:aad', createdAt: t0, expiresAt: minutes(10) });
    await store.saveLinkCode({ hash: hashLinkCode('BBBBBBBB'), principal: 'teams:user:zed', createdAt: t0, expiresAt: minutes(10) });
    await store.saveLinkCode({ hash: hashLinkCode('CCCCCCCC'), principal: 'teams:user:aad', createdAt: minutes(1), expiresAt: minutes(11) });
    expect(await store.findLinkCode(hashLinkCode('AAAAAAAA'))).toBeUndefined();
    expect(await store.findLinkCode(hashLinkCode('BBBBBBBB'))).toBeDefined();
    await store.saveLinkCode({ hash: hashLinkCode('DDDDDDDD'), principal: 'teams:user:new', createdAt: minutes(10), expiresAt: minutes(20) });
    expect(await store.findLinkCode(hashLinkCode('BBBBBBBB'))).toBeUndefined();
    expect(await store.findLinkCode(hashLinkCode('CCCCCCCC'))).toBeDefined();
  });

  it('removes every link of a principal and says which', async () => {
    for (const [code, a, b] of [['AAAAAAAA', 'local:user:x', 'discord:user:1'], ['BBBBBBBB', 'teams:user:t', 'discord:user:1'], ['CCCCCCCC', 'local:user:y', 'teams:user:u']] as const) {
      await store.saveLinkCode({ hash: hashLinkCode(code), principal: a, createdAt: t0, expiresAt: minutes(10) });
      expect(await store.redeemLinkCode(hashLinkCode(code), { a, b, by: b, at: minutes(1) })).toBe(true);
    }
    const removed = await store.removeLinksOf('discord:user:1');
    expect(removed.map((l) => [l.a, l.b]).sort()).toEqual([['discord:user:1', 'local:user:x'], ['discord:user:1', 'teams:user:t']]);
    expect((await store.load()).links.map((l) => [l.a, l.b])).toEqual([['local:user:y', 'teams:user:u']]);
  });
});

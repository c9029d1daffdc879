import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLogImpl } from '../../../src/audit/audit-log-impl.js';
import { hashEntry } from '../../../src/audit/audit-hash.js';
import { openDatabase, type Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../support/backends.js';

const CHAIN_BROKEN = 'the audit chain does not verify';

async function appendFive(audit: AuditLogImpl, clock: FakeClock): Promise<void> {
  for (const service of ['web', 'api', 'db', 'cache', 'queue']) {
    await audit.append({ action: 'command.executed', actor: 'discord:user:7', command: 'deploy', args: { service, env: 'prod' }, outcome: 'ok' });
    clock.advance(1_000);
  }
}

describe.each(BACKENDS)('AuditLog.verify on %s', (kind) => {
  let logger: TestLogger;
  let clock: FakeClock;
  let opened: TestDatabase;
  let database: Database;
  let audit: AuditLogImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    clock = new FakeClock();
    opened = await openTestDatabase(kind, logger);
    onTestFinished(opened.cleanup);
    database = opened.database;
    audit = new AuditLogImpl(database, clock, logger);
    await appendFive(audit, clock);
  });
  afterEach(() => logger.assertNoErrors());

  it('accepts an untouched chain', async () => {
    expect(await audit.verify()).toEqual({ ok: true, entries: 5 });
  });

  it('finds an entry whose args were altered', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    await sql`update audit_log set args = ${'{"env":"prod","service":"evil"}'} where seq = 3`.execute(database.db);
    expect(await audit.verify()).toEqual({ ok: false, entries: 2, firstBad: { seq: 3, reason: 'hash does not match its contents (entry altered)' } });
    expect(logger.entries().filter((entry) => entry.msg === CHAIN_BROKEN)).toMatchObject([{ code: 'E_AUDIT_CHAIN', seq: 3 }]);
  });

  it('finds a deleted entry in the middle', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    await sql`delete from audit_log where seq = 3`.execute(database.db);
    expect(await audit.verify()).toEqual({ ok: false, entries: 2, firstBad: { seq: 4, reason: 'sequence jumps from 2 to 4 (entry 3 deleted)' } });
  });

  it('finds several deleted entries and a deleted first entry', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    await sql`delete from audit_log where seq in (2, 3)`.execute(database.db);
    expect((await audit.verify()) as unknown).toMatchObject({ firstBad: { seq: 4, reason: 'sequence jumps from 1 to 4 (entries 2 to 3 deleted)' } });
    await sql`delete from audit_log where seq = 1`.execute(database.db);
    expect(await audit.verify()).toEqual({ ok: false, entries: 0, firstBad: { seq: 4, reason: 'sequence starts at 4 (entries 1 to 3 deleted)' } });
  });

  it('finds two entries whose contents were swapped', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    const rows = await database.db.selectFrom('audit_log').selectAll().where('seq', 'in', [2, 3]).orderBy('seq').execute();
    const [second, third] = rows;
    if (!second || !third) throw new Error('the seeded entries 2 and 3 are missing');
    await database.db.updateTable('audit_log').set({ ...third, seq: 2 }).where('seq', '=', 2).execute();
    await database.db.updateTable('audit_log').set({ ...second, seq: 3 }).where('seq', '=', 3).execute();
    expect(await audit.verify()).toEqual({ ok: false, entries: 1, firstBad: { seq: 2, reason: 'previous hash does not match entry 1 (entry deleted or reordered)' } });
  });

  it('finds an entry rewritten with a correctly recomputed hash, at the entry after it', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    const second = (await audit.list({})).find((record) => record.seq === 2);
    if (!second) throw new Error('the seeded entry 2 is missing');
    const forged = { ...second, args: { env: 'prod', service: 'forged' } };
    await database.db.updateTable('audit_log').set({ args: JSON.stringify(forged.args), hash: hashEntry(forged) }).where('seq', '=', 2).execute();
    expect(await audit.verify()).toEqual({ ok: false, entries: 2, firstBad: { seq: 3, reason: 'previous hash does not match entry 2 (entry deleted or reordered)' } });
  });

  it('finds args that are no longer JSON, and refuses to list them', async () => {
    logger.expectErrors(CHAIN_BROKEN);
    await sql`update audit_log set args = ${'{not json'} where seq = 5`.execute(database.db);
    expect(await audit.verify()).toEqual({ ok: false, entries: 4, firstBad: { seq: 5, reason: 'args is not valid JSON (entry altered)' } });
    await expect(audit.list({})).rejects.toMatchObject({ code: 'E_AUDIT_CHAIN', message: expect.stringContaining('audit entry 5 cannot be read') as unknown });
  });

  it('verifies a chain longer than one page', async () => {
    for (let n = 0; n < 1_100; n += 1) await audit.append({ action: 'command.received', actor: 'system', args: { n } });
    expect(await audit.verify()).toEqual({ ok: true, entries: 1_105 });
  });
});

describe('AuditLog.verify on a SQLite file', () => {
  let logger: TestLogger;
  afterEach(() => logger.assertNoErrors());

  it('finds an edit made to the SQLite file while opsroom was stopped', async () => {
    logger = createTestLogger();
    logger.expectErrors(CHAIN_BROKEN);
    const clock = new FakeClock();
    const opened = await openTestDatabase('sqlite', logger);
    onTestFinished(opened.cleanup);
    await appendFive(new AuditLogImpl(opened.database, clock, logger), clock);
    await opened.database.close();

    const file = new SqliteDatabase(opened.options.sqlitePath);
    file.prepare("update audit_log set outcome = 'failed', args = '{\"env\":\"staging\",\"service\":\"db\"}' where seq = 3").run();
    file.close();

    const reopened = await openDatabase(opened.options, logger);
    onTestFinished(() => reopened.close());
    const result = await new AuditLogImpl(reopened, clock, logger).verify();
    expect(result).toEqual({ ok: false, entries: 2, firstBad: { seq: 3, reason: 'hash does not match its contents (entry altered)' } });
  });
});

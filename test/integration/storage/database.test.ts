import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { OpsroomError } from '../../../src/core/errors.js';
import { openDatabase } from '../../../src/storage/database.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase, TEST_DATABASE_URL } from '../../support/backends.js';

let logger: TestLogger;
afterEach(() => logger.assertNoErrors());

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opsroom-db-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openFailure(options: Parameters<typeof openDatabase>[0]): Promise<OpsroomError> {
  const error: unknown = await openDatabase(options, logger).then(
    async (database) => {
      await database.close();
      throw new Error('openDatabase succeeded but should have failed');
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OpsroomError);
  expect((error as OpsroomError).code).toBe('E_STORAGE');
  return error as OpsroomError;
}

describe.each(BACKENDS)('openDatabase on %s', (kind) => {
  it('opens, answers a ping and creates the core tables', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    expect(database.dialect).toBe(kind);
    await database.ping();
    const tables = (await database.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'wishlist_requests', 'inbound_events']));
    expect(logger.entries().filter((entry) => entry.msg === 'database migration applied')).toHaveLength(MIGRATIONS.length);
  });

  it('applies migrations once: opening the same database again changes nothing', async () => {
    logger = createTestLogger();
    const { database, options, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    await database.db.insertInto('inbound_events').values({ platform: 'local', event_id: 'e1', received_at: '2025-01-01T00:00:00.000Z' }).execute();
    await database.close();

    const again = await openDatabase(options, logger);
    onTestFinished(() => again.close());
    const applied = logger.entries().filter((entry) => entry.msg === 'database migration applied');
    expect(applied).toHaveLength(MIGRATIONS.length);
    const rows = await again.db.selectFrom('inbound_events').selectAll().execute();
    expect(rows).toEqual([{ platform: 'local', event_id: 'e1', received_at: '2025-01-01T00:00:00.000Z' }]);
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again.db);
    expect(recorded.rows.map((row) => row.name)).toEqual(MIGRATIONS.map(([name]) => name));
  });

  it('returns bigint columns and counts as numbers', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    const result = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(result.n).toBe(0);
  });

  it('can be closed twice, after which a ping fails', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    await database.close();
    await database.close();
    await expect(database.ping()).rejects.toMatchObject({ code: 'E_STORAGE' });
  });
});

describe('openDatabase on SQLite', () => {
  it('creates the missing parent folders of the file', async () => {
    logger = createTestLogger();
    const path = join(await tempDir(), 'a', 'b', 'opsroom.db');
    const database = await openDatabase({ sqlitePath: path }, logger);
    onTestFinished(() => database.close());
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
    expect(keys.rows[0]?.foreign_keys).toBe(1);
  });

  it('names the path when the file is not a database', async () => {
    logger = createTestLogger();
    const path = join(await tempDir(), 'notes.db');
    await writeFile(path, 'these are not the pages of a SQLite database, only some text that is long enough '.repeat(20));
    const error = await openFailure({ sqlitePath: path });
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a database/);
  });

  it('names the path when its folder cannot be created', async () => {
    logger = createTestLogger();
    const dir = await tempDir();
    await writeFile(join(dir, 'plain-file'), 'x');
    const path = join(dir, 'plain-file', 'opsroom.db');
    const error = await openFailure({ sqlitePath: path });
    expect(error.message).toContain(path);
  });
});

describe('openDatabase on PostgreSQL', () => {
  it('names the host but never the password when it cannot connect', async () => {
    logger = createTestLogger();
    const error = await openFailure({ sqlitePath: ':unused:', databaseUrl: 'postgres://ops:hunter2-secret@127.0.0.1:1/opsroom' });
    expect(error.message).toContain('postgres://ops@127.0.0.1:1/opsroom');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    logger = createTestLogger();
    const error = await openFailure({ sqlitePath: ':unused:', databaseUrl: TEST_DATABASE_URL, schema: 'x"; drop schema public; --' });
    expect(error.message).toMatch(/schema name .* is not valid/);
  });

  it('refuses a URL that is not a PostgreSQL URL, without echoing it', async () => {
    logger = createTestLogger();
    const notUrl = await openFailure({ sqlitePath: ':unused:', databaseUrl: 'ops pa55word@db-host' });
    expect(notUrl.message).toMatch(/not a valid URL/);
    expect(notUrl.message).not.toContain('pa55word');
    const mysql = await openFailure({ sqlitePath: ':unused:', databaseUrl: 'mysql://root:pa55word@db-host/ops' });
    expect(mysql.message).toMatch(/protocol "mysql:"/);
    expect(mysql.message).not.toContain('pa55word');
  });

  it('keeps two schemas of one database apart', async () => {
    logger = createTestLogger();
    const first = await openTestDatabase('postgres', logger);
    onTestFinished(first.cleanup);
    const second = await openTestDatabase('postgres', logger);
    onTestFinished(second.cleanup);
    await first.database.db.insertInto('inbound_events').values({ platform: 'local', event_id: 'only-in-first', received_at: '2025-01-01T00:00:00.000Z' }).execute();
    expect(await second.database.db.selectFrom('inbound_events').selectAll().execute()).toEqual([]);
    expect(await first.database.db.selectFrom('inbound_events').selectAll().execute()).toHaveLength(1);
  });
});

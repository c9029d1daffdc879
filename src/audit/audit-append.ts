import type SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../storage/database.js';
import type { Tables } from '../storage/tables.js';
import { GENESIS_HASH, hashEntry } from './audit-hash.js';
import type { PreparedEntry } from './audit-entry.js';
import type { AuditRecord } from './audit-log.js';
import { toRow } from './audit-row.js';

/** Rows per INSERT statement; SQLite allows 32,766 bound values and a row has 14. */
const ROWS_PER_STATEMENT = 100;

async function insertBatch(db: Kysely<Tables>, entries: readonly PreparedEntry[], now: () => Date): Promise<AuditRecord[]> {
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const records = chain(entries, last, now().toISOString());
  for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
    await db.insertInto('audit_log').values(records.slice(i, i + ROWS_PER_STATEMENT).map(toRow)).execute();
  }
  return records;
}

function chain(entries: readonly PreparedEntry[], last: { seq: number; hash: string } | undefined, at: string): AuditRecord[] {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    const chained = { ...entry, seq: ++seq, at, prevHash };
    const record: AuditRecord = { ...chained, hash: hashEntry(chained) };
    prevHash = record.hash;
    return record;
  });
}

interface SqliteStatements {
  last: SqliteDatabase.Statement;
  insert: SqliteDatabase.Statement;
  append: (entries: readonly PreparedEntry[], at: string) => AuditRecord[];
}

const prepared = new WeakMap<SqliteDatabase.Database, SqliteStatements>();

/** The SQLite path without the query builder: two prepared statements in one `begin immediate` transaction. */
function sqliteAppender(sqlite: SqliteDatabase.Database): SqliteStatements {
  let statements = prepared.get(sqlite);
  if (!statements) {
    const last = sqlite.prepare('select seq, hash from audit_log order by seq desc limit 1');
    const insert = sqlite.prepare(`insert into audit_log (seq, at, action, actor, platform, channel, command, args, outcome, duration_ms, invocation_id, detail, prev_hash, hash)
      values (@seq, @at, @action, @actor, @platform, @channel, @command, @args, @outcome, @duration_ms, @invocation_id, @detail, @prev_hash, @hash)`);
    const append = sqlite.transaction((entries: readonly PreparedEntry[], at: string) => {
      const records = chain(entries, last.get() as { seq: number; hash: string } | undefined, at);
      for (const record of records) insert.run(toRow(record));
      return records;
    });
    statements = { last, insert, append: (entries, at) => append.immediate(entries, at) };
    prepared.set(sqlite, statements);
  }
  return statements;
}

/**
 * Reads the end of the chain and inserts the next entries, in order, in one transaction. On SQLite the transaction
 * begins immediate (see sqlite-dialect.ts), so it holds the write lock before it reads. On PostgreSQL a
 * transaction-scoped advisory lock, keyed by this schema's audit_log table, makes every process read the
 * last entry only after the previous append committed (read committed then sees it).
 */
export async function appendToChain(database: Database, entries: readonly PreparedEntry[], now: () => Date): Promise<AuditRecord[]> {
  if (database.sqlite) return sqliteAppender(database.sqlite).append(entries, now().toISOString());
  return database.db.transaction().execute(async (trx) => {
    if (database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(to_regclass('audit_log')::oid::bigint)`.execute(trx);
    return insertBatch(trx, entries, now);
  });
}

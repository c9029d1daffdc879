import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type SqliteDialectConfig } from 'kysely';
import { OpsroomError } from '../core/errors.js';
import { messageOf } from './message-of.js';
import { OpsroomSqliteDialect } from './sqlite-dialect.js';
import type { Tables } from './tables.js';

/** How long a writer waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenedKysely {
  db: Kysely<Tables>;
  dialect: 'sqlite' | 'postgres';
  /** What was opened, for messages: a path or `postgres://user@host:port/db`, never a password. */
  target: string;
  /** PostgreSQL only: the schema tables live in. */
  schema?: string;
  /** SQLite only: the connection itself, for the few hot paths that skip the query builder. */
  sqlite?: SqliteDatabase.Database;
}

/** Opens (creating if needed) a SQLite file in WAL mode with foreign keys on. */
export function openSqlite(path: string): OpenedKysely {
  const inMemory = path === ':memory:';
  const target = inMemory ? 'in-memory SQLite database' : `SQLite database ${resolve(path)}`;
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new SqliteDatabase(path);
    // The first statement reads the header, so a file that is not a database fails here, inside the try.
    sqlite.pragma('journal_mode = WAL');
    // In WAL mode NORMAL never corrupts the database; a power cut (not a process crash) may lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite?.close();
    throw new OpsroomError('E_STORAGE', `cannot open ${target}: ${messageOf(error)}`, { cause: error });
  }
  return { db: new Kysely<Tables>({ dialect: new OpsroomSqliteDialect({ database: withStatementCache(sqlite) }) }), dialect: 'sqlite', target, sqlite };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * kysely prepares every query anew; compiling the SQL cost more than running it on the hot paths (audit, dedup).
 * The same SQL text reuses its prepared statement. Bounded, because queries with IN lists vary in text.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = sqlite.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  } as SqliteDialectConfig['database'];
}

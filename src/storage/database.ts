import { sql, type Kysely } from 'kysely';
import { OpsroomError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { messageOf } from './message-of.js';
import { migrateToLatest } from './migrate.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite, type OpenedKysely } from './open-sqlite.js';
import type { Tables } from './tables.js';
import type SqliteDatabase from 'better-sqlite3';

export type SqliteConnection = SqliteDatabase.Database;

export type DatabaseDialect = 'sqlite' | 'postgres';

/** The open, migrated database. Bound by the composition root with `toConstantValue`, since opening is async. */
export const Database = Symbol('Database');
export interface Database {
  readonly db: Kysely<Tables>;
  /**
   * SQLite only: the synchronous connection under `db`, for hot paths (audit appends, event dedup) where
   * building and compiling a query cost more than running it. Same file, same transactions, same locks.
   */
  readonly sqlite?: SqliteConnection;
  readonly dialect: DatabaseDialect;
  /** Resolves when the database answers; rejects with E_STORAGE otherwise. */
  ping(): Promise<void>;
  /** Closes every connection; a second call does nothing. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** The SQLite file, used when `databaseUrl` is absent; its folder is created. */
  sqlitePath: string;
  /** PostgreSQL when set, e.g. `postgres://opsroom:secret@db:5432/opsroom`. */
  databaseUrl?: string;
  /** PostgreSQL schema; created if missing, and every pooled connection uses it. */
  schema?: string;
}

class OpenDatabase implements Database {
  #closing: Promise<void> | undefined;

  constructor(
    readonly db: Kysely<Tables>,
    readonly dialect: DatabaseDialect,
    private readonly target: string,
    readonly sqlite?: SqliteConnection,
  ) {}

  async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      throw new OpsroomError('E_STORAGE', `${this.target} does not answer: ${messageOf(error)}`, { cause: error });
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.db.destroy();
    return this.#closing;
  }
}

/** Opens SQLite or PostgreSQL and applies pending migrations; every failure is an E_STORAGE naming what was opened. */
export async function openDatabase(options: OpenDatabaseOptions, logger: Logger): Promise<Database> {
  const log = logger.child({ component: 'storage' });
  const opened: OpenedKysely = options.databaseUrl === undefined
    ? openSqlite(options.sqlitePath)
    : await openPostgres(options.databaseUrl, options.schema, log);
  try {
    await migrateToLatest(opened.db, opened.target, opened.schema, log);
  } catch (error) {
    await opened.db.destroy().catch(() => undefined);
    throw error;
  }
  log.info({ dialect: opened.dialect, target: opened.target }, 'database open');
  return new OpenDatabase(opened.db, opened.dialect, opened.target, opened.sqlite);
}

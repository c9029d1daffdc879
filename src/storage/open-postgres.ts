import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { OpsroomError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { messageOf } from './message-of.js';
import type { OpenedKysely } from './open-sqlite.js';
import type { Tables } from './tables.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;
const UNIQUE_VIOLATION = '23505';
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;

/** bigint (count(*), bigint columns) as a number, as SQLite returns it; refuses values a number cannot hold exactly. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is beyond the exact range of a JavaScript number`);
  return value;
}

// Per pool, not pg.types.setTypeParser: a global parser would change every other pg user in the process.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `postgres://user@host:port/db` for messages: the password and query string never appear. */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OpsroomError('E_STORAGE', 'storage.databaseUrl is not a valid URL (expected postgres://user:password@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new OpsroomError('E_STORAGE', `storage.databaseUrl has protocol "${parsed.protocol}" (expected postgres: or postgresql:)`);
  }
  const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
  const host = parsed.host === '' ? parsed.searchParams.get('host') ?? 'localhost' : parsed.host;
  return `postgres://${user}${host}${parsed.pathname}`;
}

function checkSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new OpsroomError('E_STORAGE', `PostgreSQL schema name "${schema}" is not valid (expected lower-case letters, digits and _, starting with a letter or _, at most 63 characters)`);
  }
}

async function createSchemaIfMissing(client: pg.PoolClient, schema: string): Promise<void> {
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once: one loses the race on the catalog's unique index.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
  }
}

async function prepareSchema(pool: pg.Pool, schema: string | undefined): Promise<string> {
  const client = await pool.connect();
  try {
    if (schema !== undefined) await createSchemaIfMissing(client, schema);
    const result = await client.query<{ name: string | null }>('select current_schema() as name');
    const current = result.rows[0]?.name;
    if (!current) throw new Error('no schema on the search_path exists (set storage.schema, or create the schema the role expects)');
    return current;
  } finally {
    client.release();
  }
}

/** Opens a pool; with `schema`, creates it if missing and puts every pooled connection in it. */
export async function openPostgres(url: string, schema: string | undefined, logger: Logger): Promise<OpenedKysely> {
  const target = describePostgresUrl(url);
  if (schema !== undefined) checkSchemaName(schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'opsroom',
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => logger.error({ err: error, target }, 'an idle PostgreSQL connection failed; the pool will open a new one'));
  let current: string;
  try {
    current = await prepareSchema(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new OpsroomError('E_STORAGE', `cannot open PostgreSQL database ${target}: ${messageOf(error)}`, { cause: error });
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', target: `PostgreSQL database ${target} (schema ${current})`, schema: current };
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../src/storage/database.js';

/** Every database opsroom runs on; `describe.each(BACKENDS)` runs a suite against each. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The machine's PostgreSQL (trust auth); each test database gets its own schema in it. */
export const TEST_DATABASE_URL = process.env.OPSROOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  database: Database;
  /** What it was opened with, to open a second handle on the same data. */
  options: OpenDatabaseOptions;
  /** Closes the database and removes its file or drops its schema; safe to call twice. */
  cleanup(): Promise<void>;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

async function temporaryOptions(kind: Backend): Promise<{ options: OpenDatabaseOptions; remove(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'opsroom-test-'));
    return { options: { sqlitePath: join(dir, 'opsroom.db') }, remove: () => rm(dir, { recursive: true, force: true }) };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return { options: { sqlitePath: ':unused:', databaseUrl: TEST_DATABASE_URL, schema }, remove: () => dropSchema(schema) };
}

/** A fresh, migrated database of the given kind: a temp SQLite file, or a random PostgreSQL schema. */
export async function openTestDatabase(kind: Backend, logger: Logger = createLogger({ level: 'silent' })): Promise<TestDatabase> {
  const { options, remove } = await temporaryOptions(kind);
  let database: Database;
  try {
    database = await openDatabase(options, logger);
  } catch (error) {
    await remove();
    throw error;
  }
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= database.close().then(remove);
    return cleaning;
  };
  return { database, options, cleanup };
}

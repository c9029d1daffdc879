import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OpsroomSqliteDialect } from '../../../src/storage/sqlite-dialect.js';

async function openFile(): Promise<{ path: string; db: Kysely<Record<string, never>> }> {
  const dir = await mkdtemp(join(tmpdir(), 'opsroom-dialect-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'x.db');
  const db = new Kysely<Record<string, never>>({ dialect: new OpsroomSqliteDialect({ database: new SqliteDatabase(path) }) });
  onTestFinished(() => db.destroy());
  await sql`pragma journal_mode = WAL`.execute(db);
  return { path, db };
}

describe('OpsroomSqliteDialect', () => {
  it('takes the write lock when a transaction begins, so another process waits instead of failing mid-way', async () => {
    const { path, db } = await openFile();
    const other = new SqliteDatabase(path, { timeout: 0 });
    onTestFinished(() => {
      other.close();
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(() => other.exec('begin immediate')).toThrow(/database is locked/);
    release();
    await transaction;
    other.exec('begin immediate; rollback');
  });

  it('runs a failing migration atomically: nothing it created is left behind', async () => {
    const { db } = await openFile();
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          '0001-broken': {
            async up(migration: Kysely<unknown>): Promise<void> {
              await migration.schema.createTable('half_done').addColumn('id', 'text').execute();
              throw new Error('the second step of this migration fails');
            },
          },
        }),
      },
    });
    const { error } = await migrator.migrateToLatest();
    expect(String(error)).toMatch(/second step/);
    const tables = (await db.introspection.getTables()).map((table) => table.name);
    expect(tables).not.toContain('half_done');
  });
});

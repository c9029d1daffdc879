import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Plugin keys sort and compare by code point on both databases: SQLite's default (BINARY) does,
 * PostgreSQL's database collation (often en_US) does not, so the key column asks for "C" there.
 */
function keyCollation(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return postgres ? sql`collate "C"` : sql``;
}

/** Grants and enabled state decided by admins, the per-plugin key/value store, and plugin cron schedules. */
export const pluginsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('plugin_grants')
      .addColumn('plugin', 'text', (col) => col.notNull())
      .addColumn('grant', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('plugin_version', 'text', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('plugin_grants_pk', ['plugin', 'grant'])
      .addCheckConstraint('plugin_grants_state_check', sql`state in ('granted', 'revoked')`)
      .execute();

    await db.schema
      .createTable('plugin_state')
      .addColumn('plugin', 'text', (col) => col.primaryKey())
      .addColumn('enabled', 'integer', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .addCheckConstraint('plugin_state_enabled_check', sql`enabled in (0, 1)`)
      .execute();

    await db.schema
      .createTable('plugin_kv')
      .addColumn('plugin', 'text', (col) => col.notNull())
      .addColumn('key', 'text', (col) => col.notNull().modifyEnd(keyCollation(db)))
      .addColumn('value', 'text', (col) => col.notNull())
      .addColumn('size_bytes', 'integer', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('plugin_kv_pk', ['plugin', 'key'])
      .execute();

    await db.schema
      .createTable('plugin_schedules')
      .addColumn('plugin', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('cron', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_fired_at', 'text')
      .addColumn('next_at', 'text', (col) => col.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addPrimaryKeyConstraint('plugin_schedules_pk', ['plugin', 'name'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('plugin_schedules').execute();
    await db.schema.dropTable('plugin_kv').execute();
    await db.schema.dropTable('plugin_state').execute();
    await db.schema.dropTable('plugin_grants').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/** The audit log, the wishlist and the inbound-event dedup table. */
export const coreMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (col) => col.primaryKey())
      .addColumn('at', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('platform', 'text')
      .addColumn('channel', 'text')
      .addColumn('command', 'text')
      .addColumn('args', 'text')
      .addColumn('outcome', 'text')
      .addColumn('duration_ms', 'bigint')
      .addColumn('invocation_id', 'text')
      .addColumn('detail', 'text')
      .addColumn('prev_hash', 'text', (col) => col.notNull())
      .addColumn('hash', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor', 'seq']).execute();
    await db.schema.createIndex('audit_log_command_idx').on('audit_log').columns(['command', 'seq']).execute();
    await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'seq']).execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

    await db.schema
      .createTable('wishlist_requests')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('command', 'text', (col) => col.notNull())
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('actor_name', 'text', (col) => col.notNull())
      .addColumn('platform', 'text', (col) => col.notNull())
      .addColumn('channel_id', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('requested_at', 'text', (col) => col.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema.createIndex('wishlist_requests_open_idx').on('wishlist_requests').columns(['closed_at', 'command']).execute();

    await db.schema
      .createTable('inbound_events')
      .addColumn('platform', 'text', (col) => col.notNull())
      .addColumn('event_id', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('inbound_events_pk', ['platform', 'event_id'])
      .execute();
    await db.schema.createIndex('inbound_events_received_idx').on('inbound_events').column('received_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('inbound_events').execute();
    await db.schema.dropTable('wishlist_requests').execute();
    await db.schema.dropTable('audit_log').execute();
  },
};

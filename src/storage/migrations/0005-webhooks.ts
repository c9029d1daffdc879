import { sql, type Kysely, type Migration } from 'kysely';

/** Webhook delivery ids already taken, so a redelivered webhook (GitHub's X-GitHub-Delivery) is processed once. */
export const webhooksMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('plugin', 'text', (col) => col.notNull())
      .addColumn('delivery_id', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['plugin', 'delivery_id'])
      .addCheckConstraint('webhook_deliveries_state_check', sql`state in ('processing', 'done', 'failed')`)
      .execute();
    await db.schema.createIndex('webhook_deliveries_received_idx').on('webhook_deliveries').column('received_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('webhook_deliveries').execute();
  },
};

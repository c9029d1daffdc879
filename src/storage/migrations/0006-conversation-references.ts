import type { Kysely, Migration } from 'kysely';

/** Where an adapter can post without being spoken to first (Teams conversation references), one per channel. */
export const conversationReferencesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('conversation_references')
      .addColumn('platform', 'text', (col) => col.notNull())
      .addColumn('channel_id', 'text', (col) => col.notNull())
      .addColumn('reference', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('conversation_references_pk', ['platform', 'channel_id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('conversation_references').execute();
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

/** Approval requests (a frozen invocation and its state) and the votes cast on them. */
export const approvalsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('approval_requests')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('platform', 'text', (col) => col.notNull())
      .addColumn('channel_id', 'text', (col) => col.notNull())
      .addColumn('thread_id', 'text')
      .addColumn('message_id', 'text')
      .addColumn('requester_id', 'text', (col) => col.notNull())
      .addColumn('requester_name', 'text', (col) => col.notNull())
      .addColumn('command', 'text', (col) => col.notNull())
      .addColumn('plugin', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('frozen', 'text', (col) => col.notNull())
      .addColumn('frozen_hash', 'text', (col) => col.notNull())
      .addColumn('fingerprint', 'text', (col) => col.notNull())
      .addColumn('policy', 'text', (col) => col.notNull())
      .addColumn('required_approvals', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('reason', 'text')
      .addCheckConstraint('approval_requests_state_check',
        sql`state in ('pending', 'approved', 'running', 'succeeded', 'failed', 'denied', 'expired', 'cancelled')`)
      .execute();
    await db.schema.createIndex('approval_requests_state_idx').on('approval_requests').columns(['state', 'expires_at']).execute();
    await db.schema.createIndex('approval_requests_requester_idx').on('approval_requests').columns(['requester_id', 'state']).execute();
    await db.schema.createIndex('approval_requests_message_idx').on('approval_requests').columns(['platform', 'message_id']).execute();

    await db.schema
      .createTable('approval_votes')
      .addColumn('request_id', 'text', (col) => col.notNull().references('approval_requests.id').onDelete('cascade'))
      .addColumn('voter_id', 'text', (col) => col.notNull())
      .addColumn('voter_name', 'text', (col) => col.notNull())
      .addColumn('vote', 'text', (col) => col.notNull())
      .addColumn('via', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('approval_votes_pk', ['request_id', 'voter_id'])
      .addCheckConstraint('approval_votes_vote_check', sql`vote in ('approve', 'deny')`)
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('approval_votes').execute();
    await db.schema.dropTable('approval_requests').execute();
  },
};

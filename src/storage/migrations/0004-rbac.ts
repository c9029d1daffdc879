import { sql, type Kysely, type Migration } from 'kysely';

/** RBAC changes made at runtime: role decisions over the config seed, identity links, one-time link codes. */
export const rbacMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rbac_role_changes')
      .addColumn('principal', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('granted', 'revoked')`))
      .addColumn('changed_by', 'text', (col) => col.notNull())
      .addColumn('changed_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('rbac_role_changes_pk', ['principal', 'role'])
      .execute();

    await db.schema
      .createTable('rbac_links')
      .addColumn('principal_a', 'text', (col) => col.notNull())
      .addColumn('principal_b', 'text', (col) => col.notNull())
      .addColumn('linked_by', 'text', (col) => col.notNull())
      .addColumn('linked_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('rbac_links_pk', ['principal_a', 'principal_b'])
      .execute();
    await db.schema.createIndex('rbac_links_b_idx').on('rbac_links').column('principal_b').execute();

    await db.schema
      .createTable('rbac_link_codes')
      .addColumn('code_hash', 'text', (col) => col.primaryKey())
      .addColumn('principal', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('used_at', 'text')
      .addColumn('used_by', 'text')
      .execute();
    await db.schema.createIndex('rbac_link_codes_principal_idx').on('rbac_link_codes').column('principal').execute();
    await db.schema.createIndex('rbac_link_codes_expires_idx').on('rbac_link_codes').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rbac_link_codes').execute();
    await db.schema.dropTable('rbac_links').execute();
    await db.schema.dropTable('rbac_role_changes').execute();
  },
};

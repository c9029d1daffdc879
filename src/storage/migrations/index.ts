import type { Migration } from 'kysely';
import { coreMigration } from './0001-core.js';
import { pluginsMigration } from './0002-plugins.js';
import { approvalsMigration } from './0003-approvals.js';
import { rbacMigration } from './0004-rbac.js';
import { webhooksMigration } from './0005-webhooks.js';
import { conversationReferencesMigration } from './0006-conversation-references.js';

/**
 * Every migration, oldest first. To add one: write `NNNN-name.ts` next to this file with
 * kysely's schema builder (portable types only: text, integer, bigint; JSON as text) and
 * append one line here. Names sort in the order they run; never rename or remove one.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-core', coreMigration],
  ['0002-plugins', pluginsMigration],
  ['0003-approvals', approvalsMigration],
  ['0004-rbac', rbacMigration],
  ['0005-webhooks', webhooksMigration],
  ['0006-conversation-references', conversationReferencesMigration],
];

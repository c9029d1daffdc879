import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { OpsroomError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Tables } from './tables.js';
import { messageOf } from './message-of.js';

const provider: MigrationProvider = {
  getMigrations: async () => Object.fromEntries(MIGRATIONS),
};

/**
 * Applies every pending migration. `schema` pins kysely's bookkeeping tables to one PostgreSQL
 * schema: without it the migrator would see another schema's `kysely_migration` and skip creating its own.
 */
export async function migrateToLatest(db: Kysely<Tables>, target: string, schema: string | undefined, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'database migration applied');
  }
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const step = failed === undefined ? 'preparing migrations' : `migration ${failed}`;
    throw new OpsroomError('E_STORAGE', `${step} failed on ${target}: ${messageOf(error)}`, { cause: error });
  }
}

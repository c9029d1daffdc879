import { inject, injectable, optional } from 'inversify';
import { sql, type Transaction } from 'kysely';
import { Clock, SystemClock } from '../../core/clock.js';
import type { JsonValue } from '../../audit/json-value.js';
import { OpsroomError, UserError } from '../../core/errors.js';
import { Database } from '../../storage/database.js';
import type { Tables } from '../../storage/tables.js';
import { checkPluginName } from '../plugin-name.js';
import {
  MAX_LIST_LIMIT, MAX_VALUE_BYTES, checkKey, checkListLimit, checkPrefix, checkQuota, formatBytes, quotaExceeded,
} from './kv-rules.js';
import { toPlainJson } from './plain-json.js';

/** The per-plugin key/value store behind `ctx.storage`: JSON values, namespaced by plugin, under a byte quota. */
export const PluginKvStore = Symbol('PluginKvStore');
export interface PluginKvStore {
  /** The stored value, or undefined when the key is not set. */
  get(plugin: string, key: string): Promise<JsonValue | undefined>;
  /** Stores plain JSON data; E_QUOTA when the plugin's keys and values would exceed `quotaBytes`. */
  set(plugin: string, key: string, value: unknown, quotaBytes: number): Promise<void>;
  /** True when the key existed. */
  delete(plugin: string, key: string): Promise<boolean>;
  /** Keys starting with `prefix` (taken literally), in code-point order, at most `limit` (1..1000). */
  list(plugin: string, prefix: string, limit?: number): Promise<string[]>;
  /** Bytes the plugin uses: UTF-8 keys plus JSON values. */
  usage(plugin: string): Promise<number>;
  /** Removes every key of the plugin; returns how many there were. */
  purge(plugin: string): Promise<number>;
}

@injectable()
export class PluginKvStoreImpl implements PluginKvStore {
  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Clock) @optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  async get(plugin: string, key: string): Promise<JsonValue | undefined> {
    const row = await this.database.db
      .selectFrom('plugin_kv')
      .select('value')
      .where('plugin', '=', checkPluginName(plugin))
      .where('key', '=', checkKey(key))
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
  }

  async set(plugin: string, key: string, value: unknown, quotaBytes: number): Promise<void> {
    checkPluginName(plugin);
    checkKey(key);
    checkQuota(quotaBytes);
    const json = toPlainJson(value);
    const valueBytes = Buffer.byteLength(json, 'utf8');
    if (valueBytes > MAX_VALUE_BYTES) {
      throw new UserError('E_BAD_ARGS', `storage: a value may be at most ${formatBytes(MAX_VALUE_BYTES)} as JSON, this one is ${formatBytes(valueBytes)}`);
    }
    const sizeBytes = Buffer.byteLength(key, 'utf8') + valueBytes;
    await this.database.db.transaction().execute(async (trx) => {
      await this.lockPlugin(trx, plugin);
      await this.checkQuotaFor(trx, plugin, key, sizeBytes, quotaBytes);
      await trx
        .insertInto('plugin_kv')
        .values({ plugin, key, value: json, size_bytes: sizeBytes, updated_at: this.clock.now().toISOString() })
        .onConflict((conflict) => conflict.columns(['plugin', 'key']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          size_bytes: eb.ref('excluded.size_bytes'),
          updated_at: eb.ref('excluded.updated_at'),
        })))
        .execute();
    });
  }

  async delete(plugin: string, key: string): Promise<boolean> {
    const result = await this.database.db
      .deleteFrom('plugin_kv')
      .where('plugin', '=', checkPluginName(plugin))
      .where('key', '=', checkKey(key))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async list(plugin: string, prefix: string, limit: number = MAX_LIST_LIMIT): Promise<string[]> {
    checkPluginName(plugin);
    checkPrefix(prefix);
    checkListLimit(limit);
    // A comparison instead of LIKE: no wildcards to escape, and SQLite's LIKE ignores ASCII case.
    let query = this.database.db.selectFrom('plugin_kv').select('key').where('plugin', '=', plugin);
    if (prefix !== '') {
      query = query.where('key', '>=', prefix).where(sql<string>`substr(${sql.ref('key')}, 1, length(${prefix}))`, '=', prefix);
    }
    const rows = await query.orderBy('key').limit(limit).execute();
    return rows.map((row) => row.key);
  }

  async usage(plugin: string): Promise<number> {
    return this.usageIn(this.database.db, checkPluginName(plugin));
  }

  async purge(plugin: string): Promise<number> {
    const result = await this.database.db.deleteFrom('plugin_kv').where('plugin', '=', checkPluginName(plugin)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Serializes writers of one plugin so two concurrent sets cannot both pass the quota check.
   * SQLite needs nothing: its transactions take the write lock at `begin immediate`.
   */
  private async lockPlugin(trx: Transaction<Tables>, plugin: string): Promise<void> {
    if (this.database.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtext(${`opsroom.plugin_kv:${plugin}`}))`.execute(trx);
  }

  /** A write that does not grow the plugin's usage always passes, so a plugin over a lowered quota can still shrink. */
  private async checkQuotaFor(trx: Transaction<Tables>, plugin: string, key: string, sizeBytes: number, quotaBytes: number): Promise<void> {
    const old = await trx.selectFrom('plugin_kv').select('size_bytes').where('plugin', '=', plugin).where('key', '=', key).executeTakeFirst();
    const oldBytes = old?.size_bytes ?? 0;
    if (sizeBytes <= oldBytes) return;
    const others = (await this.usageIn(trx, plugin)) - oldBytes;
    if (others + sizeBytes > quotaBytes) throw quotaExceeded(quotaBytes, others, sizeBytes);
  }

  private async usageIn(db: Database['db'] | Transaction<Tables>, plugin: string): Promise<number> {
    const row = await db
      .selectFrom('plugin_kv')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), sql<number>`0`).as('bytes'))
      .where('plugin', '=', plugin)
      .executeTakeFirstOrThrow();
    const bytes = Number(row.bytes);
    if (!Number.isSafeInteger(bytes)) throw new OpsroomError('E_STORAGE', `storage: usage of plugin ${plugin} is not a whole number (${String(row.bytes)})`);
    return bytes;
  }
}

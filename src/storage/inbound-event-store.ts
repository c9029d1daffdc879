import { inject, injectable } from 'inversify';
import type { Platform } from '../core/identity.js';
import { checkDate, checkPlatform, checkText } from './check-input.js';
import { Database, type SqliteConnection } from './database.js';
import { portableText } from './portable-text.js';

/** Remembers which platform events were handled, so a redelivered event is dropped. */
export const InboundEventStore = Symbol('InboundEventStore');
export interface InboundEventStore {
  /** True the first time an event is seen, false for a duplicate; atomic across processes. */
  markSeen(platform: Platform, eventId: string, at: Date): Promise<boolean>;
  /** Forgets events received before `olderThan`; returns how many were removed. */
  prune(olderThan: Date): Promise<number>;
}

@injectable()
export class InboundEventStoreImpl implements InboundEventStore {
  constructor(@inject(Database) private readonly database: Database) {}

  async markSeen(platform: Platform, eventId: string, at: Date): Promise<boolean> {
    const row = {
      platform: checkPlatform(platform, 'platform'),
      event_id: portableText(checkText(eventId, 'eventId')),
      received_at: checkDate(at, 'at').toISOString(),
    };
    const { sqlite } = this.database;
    if (sqlite) return this.markSeenSqlite(sqlite, row);
    const result = await this.database.db
      .insertInto('inbound_events')
      .values(row)
      .onConflict((conflict) => conflict.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  /** Runs for every inbound event: a prepared statement instead of the query builder. */
  private markSeenSqlite(sqlite: SqliteConnection, row: { platform: string; event_id: string; received_at: string }): boolean {
    let insert = this.insert;
    if (!insert || this.insertOn !== sqlite) {
      insert = sqlite.prepare('insert into inbound_events (platform, event_id, received_at) values (@platform, @event_id, @received_at) on conflict (platform, event_id) do nothing');
      this.insert = insert;
      this.insertOn = sqlite;
    }
    return insert.run(row).changes === 1;
  }

  private insert: ReturnType<SqliteConnection['prepare']> | undefined;
  private insertOn: SqliteConnection | undefined;

  async prune(olderThan: Date): Promise<number> {
    const result = await this.database.db
      .deleteFrom('inbound_events')
      .where('received_at', '<', checkDate(olderThan, 'olderThan').toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

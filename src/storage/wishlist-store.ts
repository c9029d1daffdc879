import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Platform } from '../core/identity.js';
import { checkDate, checkLimit, checkPlatform, checkText } from './check-input.js';
import { Database } from './database.js';
import { portableText } from './portable-text.js';

/** Somebody typed a command that does not exist. */
export interface WishlistRequest {
  command: string;
  actorId: string;
  actorName: string;
  platform: Platform;
  channelId: string;
  /** The command line as typed. */
  text: string;
  at: Date;
}

/** One most-wanted missing command. */
export interface WishlistEntry {
  command: string;
  /** Open requests for it. */
  count: number;
  /** Distinct display names of the askers, most recent first. */
  askers: string[];
  lastAskedAt: Date;
}

/** An open request that `close` closed: who to tell, and where. */
export interface ClosedWishlistRequest {
  actorId: string;
  actorName: string;
  channelId: string;
}

export const MAX_WISHLIST_TOP = 100;

/** Automation requests: what people tried to run, until a command of that name appears. */
export const WishlistStore = Symbol('WishlistStore');
export interface WishlistStore {
  record(request: WishlistRequest): Promise<void>;
  /** The most requested open commands, most asked first (ties: most recent first). */
  top(limit: number): Promise<WishlistEntry[]>;
  /** Closes every open request for `command`; returns them, one per request. */
  close(command: string, at: Date): Promise<ClosedWishlistRequest[]>;
  /** The open requests for `command`, newest first: who typed what, where and when. */
  requests(command: string, limit: number): Promise<WishlistRequest[]>;
}

@injectable()
export class WishlistStoreImpl implements WishlistStore {
  constructor(@inject(Database) private readonly database: Database) {}

  async record(request: WishlistRequest): Promise<void> {
    await this.database.db
      .insertInto('wishlist_requests')
      .values({
        id: randomUUID(),
        command: portableText(checkText(request.command, 'command')),
        actor_id: portableText(checkText(request.actorId, 'actorId')),
        actor_name: portableText(checkText(request.actorName, 'actorName')),
        platform: checkPlatform(request.platform, 'platform'),
        channel_id: portableText(checkText(request.channelId, 'channelId')),
        text: portableText(checkText(request.text, 'text')),
        requested_at: checkDate(request.at, 'at').toISOString(),
        closed_at: null,
      })
      .execute();
  }

  async top(limit: number): Promise<WishlistEntry[]> {
    checkLimit(limit, 'the wishlist limit', MAX_WISHLIST_TOP);
    const rows = await this.database.db
      .selectFrom('wishlist_requests')
      .where('closed_at', 'is', null)
      .select((eb) => ['command', eb.fn.countAll<number>().as('count'), eb.fn.max('requested_at').as('last_asked_at')])
      .groupBy('command')
      .orderBy('count', 'desc')
      .orderBy('last_asked_at', 'desc')
      .orderBy('command')
      .limit(limit)
      .execute();
    const askers = await this.askersOf(rows.map((row) => row.command));
    return rows.map((row) => ({
      command: row.command,
      count: Number(row.count),
      askers: askers.get(row.command) ?? [],
      lastAskedAt: new Date(row.last_asked_at),
    }));
  }

  async close(command: string, at: Date): Promise<ClosedWishlistRequest[]> {
    const rows = await this.database.db
      .updateTable('wishlist_requests')
      .set({ closed_at: checkDate(at, 'at').toISOString() })
      .where('command', '=', portableText(checkText(command, 'command')))
      .where('closed_at', 'is', null)
      .returning(['actor_id', 'actor_name', 'channel_id'])
      .execute();
    return rows.map((row) => ({ actorId: row.actor_id, actorName: row.actor_name, channelId: row.channel_id }));
  }

  async requests(command: string, limit: number): Promise<WishlistRequest[]> {
    checkLimit(limit, 'the wishlist request limit', MAX_WISHLIST_TOP);
    const rows = await this.database.db
      .selectFrom('wishlist_requests')
      .selectAll()
      .where('command', '=', portableText(checkText(command, 'command')))
      .where('closed_at', 'is', null)
      .orderBy('requested_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      command: row.command, actorId: row.actor_id, actorName: row.actor_name, platform: row.platform as Platform,
      channelId: row.channel_id, text: row.text, at: new Date(row.requested_at),
    }));
  }

  private async askersOf(commands: string[]): Promise<Map<string, string[]>> {
    const byCommand = new Map<string, string[]>();
    if (commands.length === 0) return byCommand;
    const rows = await this.database.db
      .selectFrom('wishlist_requests')
      .where('closed_at', 'is', null)
      .where('command', 'in', commands)
      .select((eb) => ['command', 'actor_name', eb.fn.max('requested_at').as('last_asked_at')])
      .groupBy(['command', 'actor_name'])
      .orderBy('last_asked_at', 'desc')
      .orderBy('actor_name')
      .execute();
    for (const row of rows) {
      const names = byCommand.get(row.command) ?? [];
      names.push(row.actor_name);
      byCommand.set(row.command, names);
    }
    return byCommand;
  }
}

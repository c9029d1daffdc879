import { inject, injectable } from 'inversify';
import { sql } from 'kysely';
import type { AuditRecord } from '../audit/audit-log.js';
import { fromRow } from '../audit/audit-row.js';
import { Database } from '../storage/database.js';
import { portableText } from '../storage/portable-text.js';

/** A page of command entries for `history`. */
export interface CommandSearch {
  actions: readonly string[];
  since: Date;
  /** Each word must occur in the command name or its arguments (case-insensitive). */
  words: readonly string[];
  actor?: string;
  /** Entries before this sequence number, for the next page. */
  beforeSeq?: number;
  limit: number;
}

/** A time range of entries, for reports. */
export interface AuditRange {
  actions: readonly string[];
  since: Date;
  until: Date;
  command?: string;
  cap: number;
}

/** Read-only queries over the audit log that `list` does not offer: word search, time ranges, joins by invocation. */
export const AuditSearch = Symbol('AuditSearch');
export interface AuditSearch {
  /** Matching entries, newest first. */
  commands(search: CommandSearch): Promise<AuditRecord[]>;
  /** Entries of these actions (and command) at or after `since` and before `until`, oldest first; at most `cap`, the oldest dropped first. */
  range(range: AuditRange): Promise<{ records: AuditRecord[]; truncated: boolean }>;
  /** The `command.received` entries of these invocations, by invocation id. */
  received(invocationIds: readonly string[]): Promise<Map<string, AuditRecord>>;
}

@injectable()
export class AuditSearchImpl implements AuditSearch {
  constructor(@inject(Database) private readonly database: Database) {}

  async commands(search: CommandSearch): Promise<AuditRecord[]> {
    let query = this.database.db.selectFrom('audit_log').selectAll()
      .where('action', 'in', [...search.actions])
      .where('at', '>=', search.since.toISOString());
    if (search.actor !== undefined) query = query.where('actor', '=', portableText(search.actor));
    if (search.beforeSeq !== undefined) query = query.where('seq', '<', search.beforeSeq);
    for (const word of search.words) {
      const pattern = `%${escapeLike(word.toLowerCase())}%`;
      query = query.where(sql<boolean>`lower(coalesce(command, '') || ' ' || coalesce(args, '')) like ${pattern} escape '!'`);
    }
    const rows = await query.orderBy('seq', 'desc').limit(search.limit).execute();
    return rows.map(fromRow);
  }

  async range(range: AuditRange): Promise<{ records: AuditRecord[]; truncated: boolean }> {
    let query = this.database.db.selectFrom('audit_log').selectAll()
      .where('action', 'in', [...range.actions])
      .where('at', '>=', range.since.toISOString())
      .where('at', '<', range.until.toISOString());
    if (range.command !== undefined) query = query.where('command', '=', portableText(range.command));
    const rows = await query.orderBy('seq', 'desc').limit(range.cap + 1).execute();
    const truncated = rows.length > range.cap;
    return { records: rows.slice(0, range.cap).reverse().map(fromRow), truncated };
  }

  async received(invocationIds: readonly string[]): Promise<Map<string, AuditRecord>> {
    const found = new Map<string, AuditRecord>();
    const ids = [...new Set(invocationIds)];
    if (ids.length === 0) return found;
    const rows = await this.database.db.selectFrom('audit_log').selectAll()
      .where('action', '=', 'command.received')
      .where('invocation_id', 'in', ids)
      .execute();
    for (const row of rows) if (row.invocation_id !== null) found.set(row.invocation_id, fromRow(row));
    return found;
  }
}

/** `%`, `_` and the escape character itself, escaped with `!` for a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

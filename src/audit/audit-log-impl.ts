import { inject, injectable } from 'inversify';
import { Clock } from '../core/clock.js';
import { OpsroomError, UserError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { checkLimit } from '../storage/check-input.js';
import { Database } from '../storage/database.js';
import { messageOf } from '../storage/message-of.js';
import { portableText } from '../storage/portable-text.js';
import type { AuditLogTable } from '../storage/tables.js';
import { appendToChain } from './audit-append.js';
import { checkEntry, type ChainLink } from './audit-chain-check.js';
import { prepareEntry, type PreparedEntry } from './audit-entry.js';
import type { AuditEntryInput, AuditFilter, AuditLog, AuditRecord, VerifyResult } from './audit-log.js';
import { fromRow } from './audit-row.js';

const DEFAULT_LIST_LIMIT = 50;
const FILTER_COLUMNS = ['actor', 'command', 'action', 'outcome'] as const;
export const MAX_LIST_LIMIT = 1000;
/** Rows read at once by verify and export, so a long log never sits in memory whole. */
const PAGE_SIZE = 500;

interface Pending {
  entry: PreparedEntry;
  resolve: (record: AuditRecord) => void;
  reject: (error: unknown) => void;
}

@injectable()
export class AuditLogImpl implements AuditLog {
  /**
   * Group commit: appends that arrive while a transaction is writing wait and go together in the next one,
   * in arrival order. One writer at a time in this process, so the chain never forks here.
   */
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'audit' });
  }

  append(entry: AuditEntryInput): Promise<AuditRecord> {
    let prepared: PreparedEntry;
    try {
      prepared = prepareEntry(entry);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#queue.push({ entry: prepared, resolve, reject });
      // The write starts on the next turn of the event loop: SQLite writes block the thread, so whatever the
      // caller does next (dispatching a command, sending a reply) goes first, and appends made meanwhile join the batch.
      this.#writing ??= new Promise<void>((next) => setImmediate(next)).then(() => this.drain());
    });
  }

  /** Resolves when every entry appended so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          const records = await appendToChain(this.database, batch.map((p) => p.entry), () => this.clock.now());
          batch.forEach((pending, i) => pending.resolve(records[i] as AuditRecord));
        } catch (error) {
          for (const pending of batch) {
            pending.reject(new OpsroomError('E_STORAGE', `cannot append ${pending.entry.action} to the audit log: ${messageOf(error)}`, { cause: error }));
          }
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async list(filter: AuditFilter): Promise<AuditRecord[]> {
    const limit = filter.limit === undefined ? DEFAULT_LIST_LIMIT : checkLimit(filter.limit, 'the audit list limit', MAX_LIST_LIMIT);
    let query = this.database.db.selectFrom('audit_log').selectAll();
    for (const column of FILTER_COLUMNS) {
      const value = filter[column];
      if (value !== undefined) query = query.where(column, '=', portableText(checkFilterText(value, column)));
    }
    if (filter.since !== undefined) query = query.where('at', '>=', checkSince(filter.since));
    const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(fromRow);
  }

  async verify(): Promise<VerifyResult> {
    let previous: ChainLink | undefined;
    let entries = 0;
    for await (const row of this.pages()) {
      const reason = checkEntry(row, previous);
      if (reason !== undefined) {
        this.logger.error({ code: 'E_AUDIT_CHAIN', seq: row.seq, reason, verified: entries }, 'the audit chain does not verify');
        return { ok: false, entries, firstBad: { seq: row.seq, reason } };
      }
      previous = { seq: row.seq, hash: row.hash };
      entries += 1;
    }
    this.logger.info({ entries }, 'the audit chain verifies');
    return { ok: true, entries };
  }

  async export(write: (line: string) => void | Promise<void>): Promise<number> {
    let written = 0;
    for await (const row of this.pages()) {
      await write(`${JSON.stringify(fromRow(row))}\n`);
      written += 1;
    }
    return written;
  }

  /** Every row, oldest first, up to the last entry that existed when the walk began; keyset paging. */
  private async *pages(): AsyncGenerator<AuditLogTable> {
    const end = await this.database.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
    const last = end?.max ?? 0;
    let after = 0;
    while (after < last) {
      const rows = await this.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .where('seq', '<=', last)
        .orderBy('seq')
        .limit(PAGE_SIZE)
        .execute();
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1]?.seq ?? last;
    }
  }
}

function checkFilterText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new UserError('E_BAD_ARGS', `the audit list filter "${field}" must be text, got ${typeof value}`);
  return value;
}

function checkSince(since: unknown): string {
  if (!(since instanceof Date) || Number.isNaN(since.getTime())) {
    throw new UserError('E_BAD_ARGS', 'the audit list "since" must be a valid date and time');
  }
  return since.toISOString();
}

import { inject, injectable } from 'inversify';
import { sql, type Transaction } from 'kysely';
import type { Platform } from '../core/identity.js';
import { Database } from '../storage/database.js';
import { portableText } from '../storage/portable-text.js';
import type { ApprovalRequestsTable, Tables } from '../storage/tables.js';
import type { ApprovalRequest, ApprovalState, ApprovalVote } from './approval-request.js';
import { requestFromRow, requestToRow, voteFromRow } from './approval-row.js';

/** Who changed a request's state, when, and why. */
export interface StateChange {
  at: Date;
  /** A qualified user id, or `system`. */
  by: string;
  reason?: string;
}

/**
 * What a vote did: `closed` (the request was no longer pending, nothing recorded), `duplicate` (this voter had voted),
 * `counted`, or `quorum` (this vote completed it and moved the request to approved). `approvers` are the approve votes
 * as they stood when the vote was taken; for `quorum`, exactly the votes that released the request.
 */
export type VoteResult = { status: 'closed' | 'duplicate' | 'counted' | 'quorum'; approvers: ApprovalVote[] };

export type CreateResult = { created: true } | { created: false; why: 'limit'; pending: number } | { created: false; why: 'id-taken' };

export interface RequestQuery {
  states: ApprovalState[];
  /** Only requests whose deadline is at or before this time. */
  expiredBy?: Date;
  /** Only requests whose state changed out of pending before this time. */
  decidedBefore?: Date;
  limit?: number;
}

const ENDED: ReadonlySet<ApprovalState> = new Set(['succeeded', 'failed', 'denied', 'expired', 'cancelled']);
const LIST_LIMIT = 500;

/** Approval requests and votes. Every state change is conditional on the state it leaves, so it happens once. */
export const ApprovalStore = Symbol('ApprovalStore');
export interface ApprovalStore {
  /** Inserts a pending request unless its requester already holds `maxPending` unexpired ones; atomic across processes. */
  create(request: ApprovalRequest, maxPending: number): Promise<CreateResult>;
  setMessage(id: string, messageId: string): Promise<void>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** The request carried by a platform message. */
  findByMessage(platform: Platform, channelId: string, messageId: string): Promise<ApprovalRequest | undefined>;
  /** `from -> to` where the request is still in `from`; true only for the one caller that made the change. */
  transition(id: string, from: ApprovalState, to: ApprovalState, change: StateChange): Promise<boolean>;
  /**
   * Records an approval and, when it completes `required`, moves the request `pending -> approved` (and on to `running`
   * when `start`), in one transaction holding the request: a vote counts only while the request is pending, and of many
   * processes counting a quorum at once exactly one sees `quorum`.
   */
  castApproval(vote: ApprovalVote, required: number, start: boolean): Promise<VoteResult>;
  /** Takes a voter's approval back while the request is pending; `counted` when there was one to take back. */
  withdrawApproval(requestId: string, voterId: string): Promise<VoteResult>;
  votes(requestId: string): Promise<ApprovalVote[]>;
  countApprovals(requestId: string): Promise<number>;
  list(query: RequestQuery): Promise<ApprovalRequest[]>;
}

@injectable()
export class ApprovalStoreImpl implements ApprovalStore {
  constructor(@inject(Database) private readonly database: Database) {}

  async create(request: ApprovalRequest, maxPending: number): Promise<CreateResult> {
    const row = requestToRow(request);
    return this.database.db.transaction().execute(async (trx) => {
      // SQLite transactions begin immediate (one writer at a time); PostgreSQL needs a lock per requester for count-then-insert.
      if (this.database.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`opsroom.approvals:${row.requester_id}`}))`.execute(trx);
      }
      const taken = await trx.selectFrom('approval_requests').select('id').where('id', '=', row.id).executeTakeFirst();
      if (taken) return { created: false, why: 'id-taken' } as const;
      const held = await trx.selectFrom('approval_requests').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('requester_id', '=', row.requester_id).where('state', '=', 'pending').where('expires_at', '>', row.created_at)
        .executeTakeFirstOrThrow();
      if (Number(held.n) >= maxPending) return { created: false, why: 'limit', pending: Number(held.n) } as const;
      await trx.insertInto('approval_requests').values(portable(row)).execute();
      return { created: true } as const;
    });
  }

  async setMessage(id: string, messageId: string): Promise<void> {
    await this.database.db.updateTable('approval_requests').set({ message_id: portableText(messageId) }).where('id', '=', id).execute();
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const row = await this.database.db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? requestFromRow(row) : undefined;
  }

  async findByMessage(platform: Platform, channelId: string, messageId: string): Promise<ApprovalRequest | undefined> {
    const row = await this.database.db.selectFrom('approval_requests').selectAll()
      .where('platform', '=', platform).where('message_id', '=', portableText(messageId)).where('channel_id', '=', portableText(channelId))
      .executeTakeFirst();
    return row ? requestFromRow(row) : undefined;
  }

  async transition(id: string, from: ApprovalState, to: ApprovalState, change: StateChange): Promise<boolean> {
    const at = change.at.toISOString();
    const result = await this.database.db.updateTable('approval_requests')
      .set({
        state: to,
        ...(from === 'pending' ? { decided_at: at, decided_by: change.by } : {}),
        ...(ENDED.has(to) ? { ended_at: at } : {}),
        ...(change.reason === undefined ? {} : { reason: portableText(change.reason) }),
      })
      .where('id', '=', id).where('state', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  castApproval(vote: ApprovalVote, required: number, start: boolean): Promise<VoteResult> {
    return this.database.db.transaction().execute(async (trx) => {
      // One statement takes the request (locked on PostgreSQL), checks that it is pending and inserts the vote.
      let pending = trx.selectFrom('approval_requests')
        .select((eb) => [
          'id', eb.val(portableText(vote.voterId)).as('voter_id'), eb.val(portableText(vote.voterName)).as('voter_name'),
          eb.val('approve').as('vote'), eb.val(vote.via).as('via'), eb.val(vote.at.toISOString()).as('at'),
        ])
        .where('id', '=', vote.requestId).where('state', '=', 'pending');
      if (this.database.dialect === 'postgres') pending = pending.forUpdate();
      const inserted = await trx.insertInto('approval_votes')
        .columns(['request_id', 'voter_id', 'voter_name', 'vote', 'via', 'at'])
        .expression(pending)
        .onConflict((conflict) => conflict.columns(['request_id', 'voter_id']).doNothing())
        .executeTakeFirst();
      if (inserted.numInsertedOrUpdatedRows !== 1n) {
        const open = await this.lockPending(trx, vote.requestId);
        return { status: open ? 'duplicate' : 'closed', approvers: open ? await this.approvalsIn(trx, vote.requestId) : [] };
      }
      const approvers = await this.approvalsIn(trx, vote.requestId);
      if (approvers.length < required) return { status: 'counted', approvers };
      // The atomic `pending -> approved`; a request that passed its release check goes on to `running` in the same change.
      const released = await trx.updateTable('approval_requests')
        .set({ state: start ? 'running' : 'approved', decided_at: vote.at.toISOString(), decided_by: portableText(vote.voterId) })
        .where('id', '=', vote.requestId).where('state', '=', 'pending')
        .executeTakeFirst();
      // Held by the lock this cannot miss; if it ever did, another caller released the request and this vote merely counted.
      return { status: released.numUpdatedRows === 1n ? 'quorum' : 'counted', approvers };
    });
  }

  withdrawApproval(requestId: string, voterId: string): Promise<VoteResult> {
    return this.database.db.transaction().execute(async (trx) => {
      if (!(await this.lockPending(trx, requestId))) return { status: 'closed', approvers: [] };
      const deleted = await trx.deleteFrom('approval_votes')
        .where('request_id', '=', requestId).where('voter_id', '=', portableText(voterId)).where('vote', '=', 'approve')
        .executeTakeFirst();
      const approvers = await this.approvalsIn(trx, requestId);
      return { status: deleted.numDeletedRows === 1n ? 'counted' : 'duplicate', approvers };
    });
  }

  async votes(requestId: string): Promise<ApprovalVote[]> {
    const rows = await this.database.db.selectFrom('approval_votes').selectAll().where('request_id', '=', requestId)
      .orderBy('at').orderBy('voter_id').execute();
    return rows.map(voteFromRow);
  }

  async countApprovals(requestId: string): Promise<number> {
    const row = await this.database.db.selectFrom('approval_votes').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request_id', '=', requestId).where('vote', '=', 'approve').executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** True when the request is pending; on PostgreSQL its row stays locked until the transaction ends (SQLite's is immediate). */
  private async lockPending(trx: Transaction<Tables>, requestId: string): Promise<boolean> {
    let select = trx.selectFrom('approval_requests').select('state').where('id', '=', requestId);
    if (this.database.dialect === 'postgres') select = select.forUpdate();
    return (await select.executeTakeFirst())?.state === 'pending';
  }

  private async approvalsIn(trx: Transaction<Tables>, requestId: string): Promise<ApprovalVote[]> {
    const rows = await trx.selectFrom('approval_votes').selectAll().where('request_id', '=', requestId).where('vote', '=', 'approve')
      .orderBy('at').orderBy('voter_id').execute();
    return rows.map(voteFromRow);
  }

  async list(query: RequestQuery): Promise<ApprovalRequest[]> {
    if (query.states.length === 0) return [];
    let select = this.database.db.selectFrom('approval_requests').selectAll().where('state', 'in', query.states);
    if (query.expiredBy) select = select.where('expires_at', '<=', query.expiredBy.toISOString());
    if (query.decidedBefore) select = select.where('decided_at', '<', query.decidedBefore.toISOString());
    const rows = await select.orderBy('created_at').orderBy('id').limit(query.limit ?? LIST_LIMIT).execute();
    return rows.map(requestFromRow);
  }
}

function portable(row: ApprovalRequestsTable): ApprovalRequestsTable {
  return {
    ...row, requester_name: portableText(row.requester_name), text: portableText(row.text), channel_id: portableText(row.channel_id),
    thread_id: row.thread_id === null ? null : portableText(row.thread_id),
  };
}

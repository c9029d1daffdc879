import type { Platform } from '../core/identity.js';
import type { ApprovalRequestsTable, ApprovalVotesTable } from '../storage/tables.js';
import type { ApprovalPolicy } from './approval-policy.js';
import type { ApprovalRequest, ApprovalVote, DecisionVia } from './approval-request.js';

function date(value: string | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}

export function requestFromRow(row: ApprovalRequestsTable): ApprovalRequest {
  return {
    id: row.id, state: row.state, platform: row.platform as Platform, channelId: row.channel_id,
    threadId: row.thread_id ?? undefined, messageId: row.message_id ?? undefined,
    requesterId: row.requester_id, requesterName: row.requester_name, command: row.command, plugin: row.plugin, text: row.text,
    frozen: row.frozen, frozenHash: row.frozen_hash, fingerprint: row.fingerprint, policy: JSON.parse(row.policy) as ApprovalPolicy,
    createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at), decidedAt: date(row.decided_at),
    decidedBy: row.decided_by ?? undefined, endedAt: date(row.ended_at), reason: row.reason ?? undefined,
  };
}

export function requestToRow(request: ApprovalRequest): ApprovalRequestsTable {
  return {
    id: request.id, state: request.state, platform: request.platform, channel_id: request.channelId, thread_id: request.threadId ?? null,
    message_id: request.messageId ?? null, requester_id: request.requesterId, requester_name: request.requesterName,
    command: request.command, plugin: request.plugin, text: request.text, frozen: request.frozen, frozen_hash: request.frozenHash,
    fingerprint: request.fingerprint, policy: JSON.stringify(request.policy), required_approvals: request.policy.approvals,
    created_at: request.createdAt.toISOString(), expires_at: request.expiresAt.toISOString(),
    decided_at: request.decidedAt?.toISOString() ?? null, decided_by: request.decidedBy ?? null,
    ended_at: request.endedAt?.toISOString() ?? null, reason: request.reason ?? null,
  };
}

export function voteFromRow(row: ApprovalVotesTable): ApprovalVote {
  return {
    requestId: row.request_id, voterId: row.voter_id, voterName: row.voter_name, vote: row.vote, via: row.via as DecisionVia, at: new Date(row.at),
  };
}

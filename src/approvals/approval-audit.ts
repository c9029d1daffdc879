import type { AuditEntryInput } from '../audit/audit-log.js';
import type { Invocation } from '../core/command.js';
import type { ApprovalRequest } from './approval-request.js';

export type ApprovalAction =
  | 'approval.requested' | 'approval.granted' | 'approval.refused' | 'approval.withdrawn' | 'approval.approved'
  | 'approval.denied' | 'approval.expired' | 'approval.cancelled' | 'approval.failed';

/** An audit entry about a request: who decided (`actor`), on what command and arguments, and the request id. */
export function approvalEntry(action: ApprovalAction, request: ApprovalRequest, actor: string, detail: Record<string, unknown> = {}): AuditEntryInput {
  const frozen = JSON.parse(request.frozen) as Pick<Invocation, 'args' | 'id'>;
  return {
    action, actor, platform: request.platform, channel: request.channelId, command: request.command, args: frozen.args,
    invocationId: frozen.id, detail: { requestId: request.id, ...detail },
  };
}

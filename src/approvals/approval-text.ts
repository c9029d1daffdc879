import type { OutboundMessage } from '../core/message.js';
import type { ApprovalRequest } from './approval-request.js';

export const APPROVE_EMOJI = '✅';
export const DENY_EMOJI = '❌';
/** Button ids; the value of each carries the request id. */
export const APPROVE_ACTION = 'approval.approve';
export const DENY_ACTION = 'approval.deny';

/** `14:32 UTC`, with the date when it is not the day the request was made. */
export function clockTime(at: Date, from: Date): string {
  const iso = at.toISOString();
  const sameDay = iso.slice(0, 10) === from.toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

function needs(request: ApprovalRequest): string {
  const { approvals, approverRoles } = request.policy;
  return `${approvals} approval${approvals > 1 ? 's' : ''} from ${approverRoles.join(' or ')}`;
}

function what(request: ApprovalRequest): string {
  return `\`${request.text}\` (asked by ${request.requesterName}, id ${request.id})`;
}

/** The request as posted, and as updated while votes come and go. */
export function requestMessage(request: ApprovalRequest, approvers: string[] = []): OutboundMessage {
  const progress = approvers.length > 0 ? ` - ${approvers.length} of ${request.policy.approvals} so far (${approvers.join(', ')})` : '';
  return {
    text: `${request.requesterName} asks to run \`${request.text}\` - needs ${needs(request)}${progress} - react ${APPROVE_EMOJI} to approve, `
      + `${DENY_EMOJI} to deny (or \`approve ${request.id}\` / \`deny ${request.id} [reason]\`) - expires ${clockTime(request.expiresAt, request.createdAt)} - id ${request.id}`,
    buttons: [
      { id: APPROVE_ACTION, label: 'Approve', style: 'primary', value: { requestId: request.id } },
      { id: DENY_ACTION, label: 'Deny', style: 'danger', value: { requestId: request.id } },
    ],
    reactions: [APPROVE_EMOJI, DENY_EMOJI],
  };
}

export function runningMessage(request: ApprovalRequest, approvers: string[]): OutboundMessage {
  return { text: `${APPROVE_EMOJI} ${what(request)} approved by ${approvers.join(', ')} - running` };
}

export function finishedMessage(request: ApprovalRequest, approvers: string[], ok: boolean): OutboundMessage {
  return { text: `${APPROVE_EMOJI} ${what(request)} approved by ${approvers.join(', ')} - ${ok ? 'succeeded' : 'failed'}` };
}

export function deniedMessage(request: ApprovalRequest, by: string, reason: string | undefined): OutboundMessage {
  return { text: `${DENY_EMOJI} ${what(request)} denied by ${by}${reason ? `: ${reason}` : ''}` };
}

export function expiredMessage(request: ApprovalRequest): OutboundMessage {
  return { text: `⌛ ${what(request)} expired at ${clockTime(request.expiresAt, request.createdAt)} without enough approvals; ask again if it is still needed` };
}

export function cancelledMessage(request: ApprovalRequest): OutboundMessage {
  return { text: `🚫 ${what(request)} cancelled by ${request.requesterName}` };
}

export function failedMessage(request: ApprovalRequest, reason: string): OutboundMessage {
  return { text: `⚠️ ${what(request)} was not run: ${reason}` };
}

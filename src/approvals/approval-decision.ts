import type { Actor, ChatEvent } from '../core/chat-event.js';
import type { ErrorCode } from '../core/errors.js';
import type { Platform } from '../core/identity.js';
import type { ApprovalRequest, DecisionVia } from './approval-request.js';
import { APPROVE_ACTION, DENY_ACTION } from './approval-text.js';

export type DecisionKind = 'approve' | 'deny' | 'withdraw';

/** One decision on a request, from a reaction, a button or a command. */
export interface DecisionInput {
  kind: DecisionKind;
  actor: Actor;
  platform: Platform;
  via: DecisionVia;
  /** The request named by id (commands, buttons)... */
  requestId?: string;
  /** ...or by the message carrying it (reactions; buttons when the platform tells). Both given: they must agree. */
  message?: { channelId: string; messageId: string };
  reason?: string;
}

/** What became of a decision. `refused` carries a stable code and a sentence for the decision-maker. */
export type DecisionResult =
  | { outcome: 'recorded'; request: ApprovalRequest; approvers: string[] }
  | { outcome: 'released'; request: ApprovalRequest; approvers: string[] }
  | { outcome: 'duplicate'; request: ApprovalRequest }
  | { outcome: 'withdrawn'; request: ApprovalRequest; approvers: string[] }
  | { outcome: 'denied'; request: ApprovalRequest }
  | { outcome: 'cancelled'; request: ApprovalRequest }
  | { outcome: 'refused'; code: ErrorCode; reason: string; request?: ApprovalRequest }
  /** Not about any approval request (a reaction on an ordinary message). */
  | { outcome: 'ignored' };

const VARIATION_SELECTOR = /\uFE0F/g;
const APPROVE_REACTIONS = new Set(['✅', '✔', '☑', ':white_check_mark:', 'white_check_mark', ':heavy_check_mark:']);
const DENY_REACTIONS = new Set(['❌', '✖', '⛔', '🚫', ':x:', ':no_entry:']);

/** approve, deny, or undefined for any other emoji. */
export function reactionKind(emoji: string): 'approve' | 'deny' | undefined {
  const bare = emoji.trim().replace(VARIATION_SELECTOR, '');
  if (APPROVE_REACTIONS.has(bare)) return 'approve';
  if (DENY_REACTIONS.has(bare)) return 'deny';
  return undefined;
}

/** The decision a reaction or button event carries, or undefined when it carries none. */
export function decisionOfEvent(event: ChatEvent): DecisionInput | undefined {
  const base = { actor: event.actor, platform: event.platform };
  if (event.type === 'reaction') {
    const kind = reactionKind(event.emoji);
    const message = { channelId: event.channel.id, messageId: event.messageId };
    if (kind === 'approve') return { ...base, via: 'reaction', message, kind: event.added ? 'approve' : 'withdraw' };
    // Taking a ❌ back undoes nothing: a deny by an eligible approver has already ended the request.
    if (kind === 'deny' && event.added) return { ...base, via: 'reaction', message, kind: 'deny' };
    return undefined;
  }
  if (event.type === 'action' && (event.actionId === APPROVE_ACTION || event.actionId === DENY_ACTION)) {
    const requestId = event.value.requestId;
    if (typeof requestId !== 'string' || requestId.length === 0) return undefined;
    const reason = typeof event.value.reason === 'string' && event.value.reason.trim() ? event.value.reason.trim() : undefined;
    return {
      ...base, via: 'action', requestId, kind: event.actionId === APPROVE_ACTION ? 'approve' : 'deny',
      ...(event.messageId ? { message: { channelId: event.channel.id, messageId: event.messageId } } : {}),
      ...(reason ? { reason } : {}),
    };
  }
  return undefined;
}

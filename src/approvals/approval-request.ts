import type { Invocation } from '../core/command.js';
import type { Platform } from '../core/identity.js';
import type { ApprovalPolicy } from './approval-policy.js';

/** pending -> approved -> running -> succeeded | failed; pending -> denied | expired | cancelled; approved -> failed. */
export type ApprovalState = 'pending' | 'approved' | 'running' | 'succeeded' | 'failed' | 'denied' | 'expired' | 'cancelled';

export const APPROVAL_STATES: readonly ApprovalState[] = ['pending', 'approved', 'running', 'succeeded', 'failed', 'denied', 'expired', 'cancelled'];

/** How a decision reached opsroom. */
export type DecisionVia = 'reaction' | 'action' | 'command';

/** A stored approval request with its frozen invocation. */
export interface ApprovalRequest {
  id: string;
  state: ApprovalState;
  platform: Platform;
  channelId: string;
  threadId: string | undefined;
  /** The platform message carrying the request, once posted. */
  messageId: string | undefined;
  requesterId: string;
  requesterName: string;
  command: string;
  plugin: string;
  /** The command line as typed. */
  text: string;
  /** Canonical JSON of the frozen invocation, exactly as hashed. */
  frozen: string;
  frozenHash: string;
  /** What the command was when the request was made (plugin version, code, grants). */
  fingerprint: string;
  policy: ApprovalPolicy;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | undefined;
  decidedBy: string | undefined;
  endedAt: Date | undefined;
  reason: string | undefined;
}

/** One person's standing decision on a request. */
export interface ApprovalVote {
  requestId: string;
  voterId: string;
  voterName: string;
  vote: 'approve' | 'deny';
  via: DecisionVia;
  at: Date;
}

/** A released invocation: the frozen one, marked with who approved it. */
export type ReleasedInvocation = Invocation & { approval: { requestId: string; approvers: string[] } };

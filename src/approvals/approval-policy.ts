import type { ArgValue, ParsedArgs } from '../core/command.js';
import type { Platform } from '../core/identity.js';

/** A policy as it applies to one invocation: who must approve, how many, and for how long the request waits. */
export interface ApprovalPolicy {
  /** Where it came from, for messages and the audit: `approvals.policies[1]` or `approvals.defaultHighRisk`. */
  source: string;
  approvals: number;
  approverRoles: string[];
  allowSelfApproval: boolean;
  /** When set, the requester must hold one of these roles. */
  requesterRoles?: string[];
  expiryMinutes: number;
}

/** What a policy is matched against. */
export interface PolicyTarget {
  command: string;
  args: ParsedArgs;
  platform: Platform;
  /** The qualified channel id. */
  channelId: string;
}

/** An argument condition: the value, or any of the values. */
export type ArgCondition = ArgValue | ArgValue[];

/** True when the argument's value is (one of) the condition's value(s), compared as text. */
export function argMatches(value: ArgValue | undefined, condition: ArgCondition): boolean {
  if (value === undefined) return false;
  const wanted = Array.isArray(condition) ? condition : [condition];
  return wanted.some((w) => String(w) === String(value));
}

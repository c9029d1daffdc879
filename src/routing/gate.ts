import type { Invocation } from '../core/command.js';
import type { OutboundMessage } from '../core/message.js';
import type { RegisteredCommand } from './command-registry.js';

/** What the gate decided: run now, refuse, or hold the invocation (an approval was requested). */
export type GateOutcome =
  | { kind: 'run' }
  | { kind: 'deny'; reason: string }
  /** Held for approval; the gate has posted the request itself, `message` is an extra reply if any. */
  | { kind: 'held'; message?: OutboundMessage };

/** Between the router and the executor: permission, policy, approval. */
export const Gate = Symbol('Gate');
export interface Gate {
  check(invocation: Invocation, command: RegisteredCommand): Promise<GateOutcome>;
  /** What `check` would decide and why, without side effects: for `opsroom try`. */
  explain(invocation: Invocation, command: RegisteredCommand): Promise<GateExplanation>;
}

export interface GateExplanation {
  permission: { allowed: boolean; reason?: string };
  /** The approval policy that applies, in words; undefined when none does. */
  approval?: string;
}

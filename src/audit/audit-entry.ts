import { OpsroomError } from '../core/errors.js';
import { isQualifiedUser } from '../core/identity.js';
import { portableText } from '../storage/portable-text.js';
import type { AuditEntryInput } from './audit-log.js';
import type { HashedFields } from './audit-hash.js';
import { toAuditObject } from './audit-values.js';

const ACTION = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

/** An entry checked, redacted and normalized: everything but its place in the chain. */
export type PreparedEntry = Omit<HashedFields, 'seq' | 'at' | 'prevHash'>;

function bad(message: string): OpsroomError {
  return new OpsroomError('E_INTERNAL', `audit entry ${message}`);
}

function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`${field} must be a string, got ${typeof value}`);
  return portableText(value);
}

function duration(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw bad(`durationMs must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
  return Math.round(value);
}

/** Checks an input and turns it into exactly what is hashed and stored. */
export function prepareEntry(input: AuditEntryInput): PreparedEntry {
  if (typeof input !== 'object' || input === null) throw bad('must be an object');
  if (typeof input.action !== 'string' || !ACTION.test(input.action)) {
    throw bad(`action must be a dotted lower-case name such as command.executed, got ${JSON.stringify(input.action)}`);
  }
  if (typeof input.actor !== 'string' || (input.actor !== 'system' && !isQualifiedUser(input.actor))) {
    throw bad(`actor must be a qualified user id such as discord:user:123 or "system", got ${JSON.stringify(input.actor)}`);
  }
  return {
    action: input.action,
    actor: portableText(input.actor),
    platform: optionalText(input.platform, 'platform'),
    channel: optionalText(input.channel, 'channel'),
    command: optionalText(input.command, 'command'),
    args: toAuditObject(input.args, 'args'),
    outcome: optionalText(input.outcome, 'outcome'),
    durationMs: duration(input.durationMs),
    invocationId: optionalText(input.invocationId, 'invocationId'),
    detail: toAuditObject(input.detail, 'detail'),
  };
}

import { OpsroomError } from '../core/errors.js';
import type { AuditLogTable } from '../storage/tables.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditRecord } from './audit-log.js';
import type { JsonObject } from './json-value.js';

/** The stored form of a record: JSON as canonical text, snake_case columns. */
export function toRow(record: AuditRecord): AuditLogTable {
  return {
    seq: record.seq,
    at: record.at,
    action: record.action,
    actor: record.actor,
    platform: record.platform,
    channel: record.channel,
    command: record.command,
    args: record.args === null ? null : canonicalJson(record.args),
    outcome: record.outcome,
    duration_ms: record.durationMs,
    invocation_id: record.invocationId,
    detail: record.detail === null ? null : canonicalJson(record.detail),
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

function parseObject(text: string | null, column: 'args' | 'detail'): JsonObject | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SyntaxError(`${column} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError(`${column} is not a JSON object`);
  return value as JsonObject;
}

/** A stored row as a record, or what makes it unreadable (only a hand-edited row can be). */
export function readRow(row: AuditLogTable): { record: AuditRecord } | { problem: string } {
  try {
    return {
      record: {
        seq: row.seq,
        at: row.at,
        action: row.action,
        actor: row.actor,
        platform: row.platform,
        channel: row.channel,
        command: row.command,
        args: parseObject(row.args, 'args'),
        outcome: row.outcome,
        durationMs: row.duration_ms,
        invocationId: row.invocation_id,
        detail: parseObject(row.detail, 'detail'),
        prevHash: row.prev_hash,
        hash: row.hash,
      },
    };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** A stored row as a record; an unreadable row means the log was edited by hand. */
export function fromRow(row: AuditLogTable): AuditRecord {
  const read = readRow(row);
  if ('problem' in read) {
    throw new OpsroomError('E_AUDIT_CHAIN', `audit entry ${row.seq} cannot be read: ${read.problem} (entry altered; run audit verify)`);
  }
  return read.record;
}

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { JsonObject } from './json-value.js';

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Exactly the fields the chain covers: everything of a record but its own hash. */
export interface HashedFields {
  seq: number;
  at: string;
  action: string;
  actor: string;
  platform: string | null;
  channel: string | null;
  command: string | null;
  args: JsonObject | null;
  outcome: string | null;
  durationMs: number | null;
  invocationId: string | null;
  detail: JsonObject | null;
  prevHash: string;
}

/** sha256 (hex) of the canonical JSON of the hashed fields; extra properties of `fields` are ignored. */
export function hashEntry(fields: HashedFields): string {
  const covered: JsonObject = {
    seq: fields.seq,
    at: fields.at,
    action: fields.action,
    actor: fields.actor,
    platform: fields.platform,
    channel: fields.channel,
    command: fields.command,
    args: fields.args,
    outcome: fields.outcome,
    durationMs: fields.durationMs,
    invocationId: fields.invocationId,
    detail: fields.detail,
    prevHash: fields.prevHash,
  };
  return createHash('sha256').update(canonicalJson(covered), 'utf8').digest('hex');
}

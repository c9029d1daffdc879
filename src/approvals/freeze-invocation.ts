import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import type { JsonObject, JsonValue } from '../audit/json-value.js';
import type { Invocation } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';

/** The frozen form and its hash; the hash binds the invocation to its request id and the command's fingerprint. */
export interface Frozen {
  frozen: string;
  hash: string;
}

function hashOf(requestId: string, fingerprint: string, frozen: string): string {
  return createHash('sha256').update(canonicalJson({ requestId, fingerprint, frozen })).digest('hex');
}

/** Drops undefined members (absent optional arguments), which JSON cannot hold and canonical JSON refuses. */
function plain(value: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member as JsonValue;
  return out;
}

/** Everything that decides what runs and as whom; an approval already on the invocation is never frozen. */
export function freezeInvocation(invocation: Invocation, requestId: string, fingerprint: string): Frozen {
  const body = plain({
    id: invocation.id, command: invocation.command, plugin: invocation.plugin, args: plain(invocation.args), text: invocation.text,
    platform: invocation.platform, actor: plain({ ...invocation.actor }), channel: plain({ ...invocation.channel }),
    source: plain({ ...invocation.source }), threadId: invocation.threadId,
  });
  const frozen = canonicalJson(body);
  return { frozen, hash: hashOf(requestId, fingerprint, frozen) };
}

/** The frozen invocation back, after checking that neither it nor its binding to the request was altered. */
export function thawInvocation(frozen: string, hash: string, requestId: string, fingerprint: string): Invocation {
  if (hashOf(requestId, fingerprint, frozen) !== hash) {
    throw new OpsroomError('E_APPROVAL_TAMPERED', `the stored invocation of approval request ${requestId} does not match its hash`);
  }
  return JSON.parse(frozen) as Invocation;
}

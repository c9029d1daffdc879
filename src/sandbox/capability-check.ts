import type { CapabilityCall } from './sandbox-host.js';
import { MAX_PAYLOAD_BYTES } from './sandbox-protocol.js';
import { parsePlainJson, utf8Length } from './plain-json.js';

type Capability = CapabilityCall['capability'];

/** Every method of every capability, with the most arguments a call may pass. */
const METHODS: Readonly<Record<Capability, Readonly<Record<string, number>>>> = {
  reply: { reply: 1 },
  post: { post: 2 },
  fetch: { fetch: 2 },
  secret: { denied: 1 },
  storage: { get: 1, set: 2, delete: 1, list: 1 },
  runbook: { runbook: 2 },
  schedule: { schedule: 2, unschedule: 1 },
  log: { info: 2, warn: 2, error: 2 },
};

/** Calls that expect no answer: a log line, a notice that plugin code asked for a secret it was not granted. */
const NOTES: ReadonlySet<string> = new Set(['secret.denied', 'log.info', 'log.warn', 'log.error']);

export type CallStyle = 'request' | 'note';

function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}

/** Checks what a call names, before its arguments are parsed; returns why it is refused, or undefined. */
export function checkCapabilityShape(capability: unknown, method: unknown, args: unknown, style: CallStyle): string | undefined {
  if (!isCapability(capability)) return `unknown capability ${String(capability).slice(0, 40)}`;
  if (typeof method !== 'string' || !Object.hasOwn(METHODS[capability], method)) {
    return `ctx.${capability} has no method ${String(method).slice(0, 40)}`;
  }
  if (NOTES.has(`${capability}.${method}`) !== (style === 'note')) return `${capability}.${method} cannot be called this way`;
  if (typeof args !== 'string') return 'capability arguments must be JSON text';
  if (args.length > MAX_PAYLOAD_BYTES || utf8Length(args) > MAX_PAYLOAD_BYTES) {
    return `the arguments of ctx.${capability} are larger than 1 MiB`;
  }
  return undefined;
}

export type CheckedCall = { ok: true; call: CapabilityCall } | { ok: false; reason: string };

/** The host's own check of a call from a runner: names, size, and arguments that parse to a short enough array of plain data. */
export function checkCapabilityCall(capability: unknown, method: unknown, args: unknown, style: CallStyle): CheckedCall {
  const refused = checkCapabilityShape(capability, method, args, style);
  if (refused !== undefined) return { ok: false, reason: refused };
  const name = capability as Capability;
  let parsed: unknown;
  try {
    parsed = parsePlainJson(args as string);
  } catch {
    return { ok: false, reason: `the arguments of ctx.${name} are not valid JSON` };
  }
  const arity = METHODS[name][method as string] as number;
  if (!Array.isArray(parsed) || parsed.length > arity) {
    return { ok: false, reason: `ctx.${name} takes at most ${arity} argument${arity === 1 ? '' : 's'}` };
  }
  return { ok: true, call: { capability: name, method: method as string, args: parsed } };
}

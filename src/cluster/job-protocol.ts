import type { WireError } from './wire-error.js';

/** What travels through the invocation queue: a command, an event for a plugin, or a plugin admin change. */
export type JobKind = 'command' | 'plugin.event' | 'plugin.admin';

export interface JobData {
  kind: JobKind;
  /** The process waiting for the answer (its inbox). */
  replyTo: string;
  payload: unknown;
}

/** The answer a worker sends to the process that enqueued the job. */
export type JobAnswer =
  | { t: 'job'; id: string; ok: true; value: unknown }
  | { t: 'job'; id: string; ok: false; error: WireError };

/** Attempts a job gets, counting only failures from before it started (a missing command while a worker loads). */
export const JOB_ATTEMPTS = 3;
export const JOB_BACKOFF_MS = 250;
/** The start marker outlives any redelivery of its job by far. */
export const STARTED_TTL_MS = 60 * 60_000;

/**
 * A failure from before the job started, which another attempt (perhaps on another worker) may get past. Anything
 * else that goes wrong before the start is answered at once; nothing that goes wrong after it is ever retried.
 */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

/** BullMQ refuses ids that are integers or hold `:`; invocation ids are neither, but a prefix makes it certain. */
export function jobIdOf(kind: JobKind, id: string): string {
  const prefix = kind === 'command' ? 'inv' : kind === 'plugin.event' ? 'evt' : 'adm';
  return `${prefix}_${id.replace(/:/g, '_')}`;
}

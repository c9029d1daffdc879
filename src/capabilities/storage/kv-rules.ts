import { OpsroomError, UserError } from '../../core/errors.js';

export const MAX_KEY_CHARS = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_LIST_LIMIT = 1000;

// C0, DEL and C1 controls, and UTF-16 halves without their partner (a database would store U+FFFD instead).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A storage key: 1 to 256 characters (code points), no control characters, well-formed UTF-16. */
export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw new UserError('E_BAD_ARGS', `storage: a key must be a string, got ${key === null ? 'null' : typeof key}`);
  const chars = [...key].length;
  if (chars < 1 || chars > MAX_KEY_CHARS) {
    throw new UserError('E_BAD_ARGS', `storage: a key must be 1 to ${MAX_KEY_CHARS} characters long, got ${chars}`);
  }
  if (CONTROL.test(key)) throw new UserError('E_BAD_ARGS', `storage: the key ${JSON.stringify(key)} contains a control character`);
  if (LONE_SURROGATE.test(key)) throw new UserError('E_BAD_ARGS', `storage: the key ${JSON.stringify(key)} contains an unpaired UTF-16 surrogate`);
  return key;
}

/** A list prefix: like a key, but may be empty (everything). */
export function checkPrefix(prefix: unknown): string {
  return prefix === '' ? '' : checkKey(prefix);
}

export function checkListLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new UserError('E_BAD_ARGS', `storage: the list limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${String(limit)}`);
  }
  return limit;
}

/** The quota comes from the grant, not from plugin code, so a bad one is opsroom's bug. */
export function checkQuota(quotaBytes: unknown): number {
  if (typeof quotaBytes !== 'number' || !Number.isSafeInteger(quotaBytes) || quotaBytes < 1) {
    throw new OpsroomError('E_INTERNAL', `storage: quotaBytes must be a positive whole number, got ${String(quotaBytes)}`);
  }
  return quotaBytes;
}

/** `512 bytes`, `12 KB`, `1.5 KB`: what a plugin author reads in a quota message. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const kb = bytes / 1024;
  return `${kb >= 10 ? Math.ceil(kb) : Math.ceil(kb * 10) / 10} KB`;
}

export function quotaExceeded(quotaBytes: number, usingBytes: number, needsBytes: number): UserError {
  return new UserError(
    'E_QUOTA',
    `storage: quota of ${formatBytes(quotaBytes)} exceeded (using ${formatBytes(usingBytes)}, this value needs ${formatBytes(needsBytes)}); `
      + 'delete keys or ask the operator to raise storage.quotaKb',
  );
}

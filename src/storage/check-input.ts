import { OpsroomError, UserError } from '../core/errors.js';
import { PLATFORMS, type Platform } from '../core/identity.js';

/** A caller's bug: the value does not fit the repository contract. */
function invalid(what: string, expected: string, value: unknown): OpsroomError {
  return new OpsroomError('E_INTERNAL', `${what} must be ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(what, 'a valid Date', value);
  return value;
}

export function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(what, 'a non-empty string', value);
  return value;
}

/** Limits come from chat commands (`--limit`), so a bad one is answered to the user. */
export function checkLimit(value: unknown, what: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new UserError('E_BAD_ARGS', `${what} must be a whole number from 1 to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function checkPlatform(value: unknown, what: string): Platform {
  if (!PLATFORMS.includes(value as Platform)) throw invalid(what, `one of ${PLATFORMS.join(', ')}`, value);
  return value as Platform;
}

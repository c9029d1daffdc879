import { UserError } from '../core/errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MAX_DAYS = 3660;

/**
 * `--since` as a moment: a span back from now (`30m`, `12h`, `7d`, `2w`) or a date (`2025-01-31`, UTC midnight).
 * Throws UserError E_BAD_ARGS naming what is wrong.
 */
export function parseSince(text: string, now: Date, flag = '--since'): Date {
  const value = text.trim().toLowerCase();
  const span = /^(\d{1,5})([mhdw])$/.exec(value);
  if (span) {
    const ms = Number(span[1]) * (UNITS[span[2] as string] as number);
    if (ms <= 0) throw new UserError('E_BAD_ARGS', `${flag} ${text} is no time at all (use a span such as 7d, 12h or 2w)`);
    if (ms > MAX_DAYS * UNITS.d!) throw new UserError('E_BAD_ARGS', `${flag} ${text} reaches back more than ${MAX_DAYS} days`);
    return new Date(now.getTime() - ms);
  }
  if (/^\d{4}-\d\d-\d\d$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) {
      if (date.getTime() > now.getTime()) throw new UserError('E_BAD_ARGS', `${flag} ${text} is in the future`);
      return date;
    }
  }
  throw new UserError('E_BAD_ARGS', `${flag} ${JSON.stringify(text)} is neither a span such as 30m, 12h, 7d or 2w nor a date such as 2025-01-31`);
}

/** A span in words for headings: `the last 30 days`, or `since 2025-01-31`. */
export function describeSince(text: string): string {
  const span = /^(\d{1,5})([mhdw])$/.exec(text.trim().toLowerCase());
  if (!span) return `since ${text.trim()}`;
  const n = Number(span[1]);
  const unit = { m: 'minute', h: 'hour', d: 'day', w: 'week' }[span[2] as 'm' | 'h' | 'd' | 'w'];
  return n === 1 ? `the last ${unit}` : `the last ${n} ${unit}s`;
}

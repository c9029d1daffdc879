import { Cron } from 'croner';
import { UserError } from '../../core/errors.js';

export const MAX_SCHEDULES_PER_PLUGIN = 20;
const SCHEDULE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_CRON_CHARS = 128;
/** Every instance computes the same ticks whatever its local zone, so a tick can be claimed by value. */
export const SCHEDULE_TIMEZONE = 'Etc/UTC';

export function checkScheduleName(name: unknown): string {
  if (typeof name !== 'string' || !SCHEDULE_NAME.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name) : typeof name;
    throw new UserError('E_BAD_ARGS', `schedule: the name ${shown} is not valid (expected 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit)`);
  }
  return name;
}

/** A parsed cron expression (evaluated in UTC), or an E_BAD_ARGS saying what is wrong with it. */
export function parseCron(scheduleName: string, expression: unknown): Cron {
  if (typeof expression !== 'string' || expression.trim() === '' || expression.length > MAX_CRON_CHARS) {
    throw new UserError('E_BAD_ARGS', `schedule ${scheduleName}: the cron expression must be a non-empty string of at most ${MAX_CRON_CHARS} characters`);
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: SCHEDULE_TIMEZONE });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '');
    throw new UserError(
      'E_BAD_ARGS',
      `schedule ${scheduleName}: ${JSON.stringify(expression)} is not a valid cron expression (${reason}); `
        + 'expected five fields "minute hour day month weekday" such as "0 7 * * 1-5", or six with seconds first; times are UTC',
    );
  }
  if (cron.nextRun() === null) {
    throw new UserError('E_BAD_ARGS', `schedule ${scheduleName}: ${JSON.stringify(expression)} never fires (no date matches it)`);
  }
  return cron;
}

/** The first tick strictly after `after`; a valid expression that runs out of ticks (year 3000) has none. */
export function nextTick(cron: Cron, after: Date): Date | undefined {
  return cron.nextRun(after) ?? undefined;
}

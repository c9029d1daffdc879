import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { SchedulerImpl, type ScheduleJob } from '../../../src/capabilities/schedule/scheduler.js';
import { SystemClock } from '../../../src/core/clock.js';
import { openDatabase, type Database } from '../../../src/storage/database.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../support/backends.js';

const EVERY_SECOND = '*/1 * * * * *';
const NEW_YEAR = '0 0 1 1 *';
const HOUR_MS = 3_600_000;

describe.each(BACKENDS)('Scheduler on %s', (kind) => {
  let logger: TestLogger;
  let test: TestDatabase;

  beforeEach(async () => {
    logger = createTestLogger();
    test = await openTestDatabase(kind, logger);
    onTestFinished(test.cleanup);
  });
  afterEach(() => logger.assertNoErrors());

  /** A scheduler that is stopped when the test ends; `fired` collects what it fired. */
  function scheduler(database: Database = test.database): { scheduler: SchedulerImpl; fired: ScheduleJob[]; start(fail?: boolean): Promise<void> } {
    const instance = new SchedulerImpl(database, new SystemClock(), logger);
    onTestFinished(() => instance.stop());
    const fired: ScheduleJob[] = [];
    return {
      scheduler: instance,
      fired,
      start: (fail = false) => instance.start(async (job) => {
        fired.push(job);
        if (fail) throw new Error(`handler of ${job.name} broke`);
      }),
    };
  }

  async function setNextAt(plugin: string, name: string, at: Date): Promise<void> {
    await test.database.db.updateTable('plugin_schedules').set({ next_at: at.toISOString() }).where('plugin', '=', plugin).where('name', '=', name).execute();
  }

  it('persists a schedule with its next tick in UTC', async () => {
    const { scheduler: s } = scheduler();
    const before = Date.now();
    await s.add('deploy', 'nightly-report', '0 7 * * 1-5');
    const [info] = await s.list();
    expect(info).toMatchObject({ plugin: 'deploy', name: 'nightly-report', cron: '0 7 * * 1-5', lastFiredAt: null });
    const next = new Date(info!.nextAt);
    expect(next.getTime()).toBeGreaterThan(before);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([7, 0]);
    expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());
  });

  it('fires every tick while started, records it, and stops firing when stopped', async () => {
    const { scheduler: s, fired, start } = scheduler();
    await s.add('deploy', 'tick', EVERY_SECOND);
    await start();
    await expect.poll(() => fired.length, { timeout: 3_500, interval: 50 }).toBeGreaterThanOrEqual(2);
    expect(fired[0]).toMatchObject({ plugin: 'deploy', name: 'tick', cron: EVERY_SECOND });
    expect(Number.isNaN(Date.parse(fired[0]!.firedAt))).toBe(false);
    await s.stop();
    const count = fired.length;
    const [info] = await s.list('deploy');
    expect(info!.lastFiredAt).toBe(fired[count - 1]!.firedAt);
    expect(Date.parse(info!.nextAt)).toBeGreaterThan(Date.parse(info!.lastFiredAt!));
    await sleep(1_300);
    expect(fired.length).toBe(count);
  });

  it('fires a tick missed while down once at start, not once per missed tick', async () => {
    const { scheduler: s, fired, start } = scheduler();
    await s.add('deploy', 'minutely', '* * * * *');
    await setNextAt('deploy', 'minutely', new Date(Date.now() - HOUR_MS));
    await start();
    await expect.poll(() => fired.length, { timeout: 2_000, interval: 20 }).toBe(1);
    await sleep(300);
    expect(fired.length).toBe(1);
    const [info] = await s.list();
    expect(Date.parse(info!.nextAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(info!.nextAt) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('keeps the next tick when a plugin re-adds the same cron, and moves it when the cron changes', async () => {
    const { scheduler: s, fired, start } = scheduler();
    await s.add('deploy', 'report', NEW_YEAR);
    const missed = new Date(Date.now() - HOUR_MS);
    await setNextAt('deploy', 'report', missed);
    await s.add('deploy', 'report', NEW_YEAR);
    expect((await s.list())[0]!.nextAt).toBe(missed.toISOString());
    await start();
    await expect.poll(() => fired.length, { timeout: 2_000, interval: 20 }).toBe(1);

    await s.add('deploy', 'report', '0 7 * * *');
    const [info] = await s.list();
    expect(info!.cron).toBe('0 7 * * *');
    expect(new Date(info!.nextAt).getUTCHours()).toBe(7);
  });

  it('arms a schedule added while running, and disarms removed ones', async () => {
    const { scheduler: s, fired, start } = scheduler();
    await start();
    await s.add('deploy', 'tick', EVERY_SECOND);
    await s.add('status', 'tick', EVERY_SECOND);
    await expect.poll(() => new Set(fired.map((job) => job.plugin)).size, { timeout: 2_500, interval: 50 }).toBe(2);
    expect(await s.remove('deploy', 'tick')).toBe(true);
    expect(await s.remove('deploy', 'tick')).toBe(false);
    expect(await s.removeAll('status')).toBe(1);
    await sleep(50);
    const count = fired.length;
    await sleep(1_300);
    expect(fired.length).toBe(count);
    expect(await s.list()).toEqual([]);
  });

  it('logs a failing handler and keeps firing', async () => {
    logger.expectErrors('schedule tick failed');
    const { scheduler: s, fired, start } = scheduler();
    await s.add('deploy', 'flaky', EVERY_SECOND);
    await start(true);
    await expect.poll(() => fired.length, { timeout: 3_500, interval: 50 }).toBeGreaterThanOrEqual(2);
    const failures = logger.entries().filter((entry) => entry.msg === 'schedule tick failed');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toMatchObject({ plugin: 'deploy', schedule: 'flaky', err: expect.objectContaining({ message: 'handler of flaky broke' }) });
  });

  it('fires each missed tick once when two instances start on the same database', async () => {
    const second = await openDatabase(test.options, logger);
    onTestFinished(() => second.close());
    const a = scheduler();
    const b = scheduler(second);
    for (let index = 0; index < 10; index += 1) {
      await a.scheduler.add('deploy', `job-${index}`, NEW_YEAR);
      await setNextAt('deploy', `job-${index}`, new Date(Date.now() - HOUR_MS));
    }
    await Promise.all([a.start(), b.start()]);
    await expect.poll(() => a.fired.length + b.fired.length, { timeout: 3_000, interval: 20 }).toBe(10);
    await sleep(300);
    const names = [...a.fired, ...b.fired].map((job) => job.name).sort();
    expect(names).toEqual(Array.from({ length: 10 }, (_, index) => `job-${index}`).sort());
  });

  it('fires each live tick on one of two instances only', async () => {
    const second = await openDatabase(test.options, logger);
    onTestFinished(() => second.close());
    const a = scheduler();
    const b = scheduler(second);
    await a.scheduler.add('deploy', 'tick', EVERY_SECOND);
    await Promise.all([a.start(), b.start()]);
    await sleep(3_300);
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);
    const total = a.fired.length + b.fired.length;
    expect(total).toBeGreaterThanOrEqual(2);
    expect(total).toBeLessThanOrEqual(4);
    const seconds = [...a.fired, ...b.fired].map((job) => job.firedAt.slice(0, 19));
    expect(new Set(seconds).size).toBe(seconds.length);
  });

  it('refuses bad names, bad cron expressions and a 21st schedule with specific messages', async () => {
    const { scheduler: s, start } = scheduler();
    await expect(s.add('deploy', 'report', '61 * * * *')).rejects.toMatchObject({
      code: 'E_BAD_ARGS',
      message: 'schedule report: "61 * * * *" is not a valid cron expression (Invalid value for minute: 61); expected five fields "minute hour day month weekday" such as "0 7 * * 1-5", or six with seconds first; times are UTC',
    });
    await expect(s.add('deploy', 'report', 'every day')).rejects.toThrow(/not a valid cron expression \(invalid configuration format/);
    await expect(s.add('deploy', 'report', '0 0 30 2 *')).rejects.toThrow('schedule report: "0 0 30 2 *" never fires (no date matches it)');
    await expect(s.add('deploy', 'report', '')).rejects.toThrow('schedule report: the cron expression must be a non-empty string of at most 128 characters');
    await expect(s.add('deploy', 'Report', NEW_YEAR)).rejects.toThrow('schedule: the name "Report" is not valid (expected 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit)');
    await expect(s.add('deploy', `a${'b'.repeat(64)}`, NEW_YEAR)).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    await expect(s.add('Deploy', 'report', NEW_YEAR)).rejects.toThrow(/plugin name "Deploy" is not valid/);
    for (let index = 0; index < 20; index += 1) await s.add('deploy', `job-${index}`, NEW_YEAR);
    await expect(s.add('deploy', 'one-more', NEW_YEAR)).rejects.toThrow('schedule one-more: deploy already has 20 schedules, the most a plugin may have; remove one with ctx.unschedule(name)');
    await s.add('deploy', 'job-3', '0 8 * * *');
    await s.add('status', 'job-0', NEW_YEAR);
    expect(await s.list('deploy')).toHaveLength(20);
    await start();
    await expect(start()).rejects.toMatchObject({ code: 'E_INTERNAL', message: 'the scheduler is already started' });
  });
});

import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { SchedulerImpl, type ScheduleJob } from '../../../src/capabilities/schedule/scheduler.js';
import { SystemClock } from '../../../src/core/clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../support/backends.js';

const EVERY_SECOND = '*/1 * * * * *';
const LEASE_MS = 1_500;

describe.each(BACKENDS)('Scheduler with leases on %s', (kind) => {
  let logger: TestLogger;
  let test: TestDatabase;

  beforeEach(async () => {
    logger = createTestLogger();
    test = await openTestDatabase(kind, logger);
    onTestFinished(test.cleanup);
  });
  afterEach(() => logger.assertNoErrors());

  function instance(owner: string): { scheduler: SchedulerImpl; fired: ScheduleJob[]; start(): Promise<void> } {
    const scheduler = new SchedulerImpl(test.database, new SystemClock(), logger, { owner, leaseMs: LEASE_MS });
    onTestFinished(() => scheduler.stop());
    const fired: ScheduleJob[] = [];
    return { scheduler, fired, start: () => scheduler.start(async (job) => { fired.push(job); }) };
  }

  const holder = async (): Promise<string | null> => (await test.database.db.selectFrom('plugin_schedules').select('lease_owner').executeTakeFirstOrThrow()).lease_owner;

  it('lets only the instance that added a schedule fire it while it holds the lease', async () => {
    const a = instance('a');
    const b = instance('b');
    await a.start();
    await b.start();
    await a.scheduler.add('deploy', 'tick', EVERY_SECOND);
    await b.scheduler.add('deploy', 'tick', EVERY_SECOND);
    await expect.poll(() => a.fired.length, { timeout: 4_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    expect(b.fired).toEqual([]);
    expect(await holder()).toBe('a');
  });

  it('hands a schedule over at once when its holder stops, and after the lease lapses when its holder dies', async () => {
    const a = instance('a');
    const b = instance('b');
    await a.start();
    await a.scheduler.add('deploy', 'tick', EVERY_SECOND);
    await b.start();
    await a.scheduler.stop();
    expect(await holder()).toBeNull();
    await expect.poll(() => b.fired.length, { timeout: 4_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    expect(await holder()).toBe('b');

    // A holder that died leaves its lease behind; nobody else fires the schedule until the lease has lapsed.
    await b.scheduler.stop();
    const lapsesAt = Date.now() + LEASE_MS;
    await test.database.db.updateTable('plugin_schedules').set({ lease_owner: 'dead', lease_until: new Date(lapsesAt).toISOString() }).execute();
    const c = instance('c');
    await c.start();
    await expect.poll(() => c.fired.length, { timeout: 5_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    expect(Date.parse(c.fired[0]!.firedAt)).toBeGreaterThanOrEqual(lapsesAt);
    expect(await holder()).toBe('c');
  });

  it('does not fire a tick for an instance whose lease another instance took over meanwhile', async () => {
    const a = instance('a');
    await a.start();
    await a.scheduler.add('deploy', 'tick', EVERY_SECOND);
    await test.database.db.updateTable('plugin_schedules').set({ lease_owner: 'b', lease_until: new Date(Date.now() + 60_000).toISOString() }).execute();
    const firedBefore = a.fired.length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(a.fired.length - firedBefore).toBe(0);
    expect(await holder()).toBe('b');
  });
});

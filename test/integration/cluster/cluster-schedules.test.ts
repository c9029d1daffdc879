import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { openDatabase } from '../../../src/storage/database.js';
import { TEST_DATABASE_URL } from '../../support/backends.js';
import { openClusterBed } from '../../support/cluster-bed.js';
import { pluginFolders, manifest } from '../../support/plugin-folder.js';
import type { SentLine } from '../../support/opsroom-process.js';
import { startProcess } from '../approvals/opsroom-processes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isTick = (line: SentLine): boolean => line.kind === 'send' && (line.text ?? '').startsWith('tick ');
/** The second a fire belongs to: ticks are whole seconds and fire within milliseconds of them. */
const secondOf = (line: SentLine): string => (line.text ?? '').slice('tick '.length, 'tick '.length + 19);

describe('schedules across instances', () => {
  it('fires each tick once with two instances, and the other instance takes the schedule over when its holder is killed', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const plugins = pluginFolders({
      ticker: {
        manifest: manifest('ticker', { events: ['schedule'], capabilities: { schedule: true, post: ['ops'] } }),
        code: `export default {
          async setup(ctx) { await ctx.schedule('tick', '* * * * * *'); },
          async onSchedule(ctx, job) { await ctx.post('ops', 'tick ' + job.firedAt); },
        };`,
      },
    });
    const config = bed.config({ plugins: { paths: [plugins], grants: { ticker: 'all' } }, cluster: { scheduleLeaseMs: 3_000 } });
    const gateway = await startProcess({ ...config, cluster: { ...config.cluster, role: 'gateway' } });
    const workers = [
      await startProcess({ ...config, cluster: { ...config.cluster, role: 'worker' } }),
      await startProcess({ ...config, cluster: { ...config.cluster, role: 'worker' } }),
    ];
    await bed.waitForNodes({ gateways: 1, workers: 2 });
    const database = await openDatabase({ sqlitePath: ':unused:', databaseUrl: TEST_DATABASE_URL, schema: bed.schema }, createLogger({ level: 'silent' }));
    onTestFinished(() => database.close());
    const holder = async (): Promise<string | null> => (await database.db.selectFrom('plugin_schedules').select('lease_owner')
      .where('plugin', '=', 'ticker').where('name', '=', 'tick').executeTakeFirstOrThrow()).lease_owner;

    await sleep(5_000);
    const before = gateway.sent.filter(isTick);
    expect(before.length).toBeGreaterThanOrEqual(3);
    const first = await holder();
    const owner = workers.find((w) => w.node === first);
    const other = workers.find((w) => w.node !== first);
    if (!owner || !other) throw new Error(`the schedule is held by ${String(first)}, not by one of the workers`);

    const killedAt = Date.now();
    await owner.kill('SIGKILL');
    await gateway.waitFor((line) => isTick(line) && Date.parse(line.text?.slice(5) ?? '') > killedAt + 1_000, 20_000);
    await sleep(3_000);
    expect(await holder()).toBe(other.node);

    const ticks = gateway.sent.filter(isTick);
    const seconds = ticks.map(secondOf);
    expect(new Set(seconds).size).toBe(seconds.length);
    const after = ticks.filter((line) => Date.parse(line.text?.slice(5) ?? '') > killedAt);
    expect(after.length).toBeGreaterThanOrEqual(3);
    await Promise.all([gateway.stop(), other.stop()]);
  }, 120_000);
});

import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { openDatabase } from '../../../src/storage/database.js';
import { TEST_DATABASE_URL } from '../../support/backends.js';
import { openClusterBed, startCli, writeEchoPlugin, type CliProcess } from '../../support/cluster-bed.js';
import { runCli } from '../../support/run-cli.js';

const PER_GATEWAY = 500;
const INTERRUPTED = /^The command was interrupted: the opsroom worker running it \(worker-[^)]+\) stopped before it finished/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answers a gateway's terminal printed, one line each (a script sees one line per reply). */
const answers = (process: CliProcess): string[] => process.output.filter((line) => line.trim().length > 0);

describe('two gateways and two workers as separate processes', () => {
  it('answers 1,000 commands exactly once while a worker is killed with SIGKILL, on one intact audit chain', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const file = bed.writeConfig('opsroom', { plugins: { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' } } });
    const log = (name: string) => ({ logFile: join(bed.dir, `${name}.log`) });
    const workers = [startCli('worker', file, log('worker1')), startCli('worker', file, log('worker2'))];
    onTestFinished(async () => { await Promise.all(workers.map((w) => w.kill('SIGKILL'))); });
    await bed.waitForNodes({ workers: 2 });
    const gateways = [startCli('gateway', file, log('gateway1')), startCli('gateway', file, log('gateway2'))];
    onTestFinished(async () => { await Promise.all(gateways.map((g) => g.kill('SIGKILL'))); });
    await bed.waitForNodes({ gateways: 2, workers: 2 });

    gateways.forEach((gateway, g) => gateway.type(Array.from({ length: PER_GATEWAY }, (_, i) => `!echo g${g}-${i}`)));
    await Promise.race(gateways.map((gateway) => gateway.waitForOutput((lines) => lines.length >= 150, 120_000)));
    const killed = await workers[0]!.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const answeredAtKill = gateways.map((g) => answers(g).length);
    await Promise.all(gateways.map((gateway) => gateway.waitForOutput((lines) => lines.filter((l) => l.trim()).length >= PER_GATEWAY, 180_000)));
    // Anything doubled would arrive after the last answer; give it time to show.
    await sleep(2_000);

    const interrupted: string[] = [];
    gateways.forEach((gateway, g) => {
      const printed = answers(gateway);
      expect(printed).toHaveLength(PER_GATEWAY);
      printed.forEach((line, i) => {
        if (line === `echo g${g}-${i}`) return;
        expect(line).toMatch(INTERRUPTED);
        interrupted.push(`g${g}-${i}`);
      });
    });
    // Only a command the killed worker had started can be interrupted: at most one per gateway (each waits for its answer).
    expect(interrupted.length).toBeLessThanOrEqual(2);
    expect(answeredAtKill.some((n) => n < PER_GATEWAY)).toBe(true);

    for (const process of [...gateways, workers[1]!]) expect(await process.stop()).toEqual({ code: 0, signal: null });

    const verify = await runCli(['audit', 'verify', '-c', file], { cwd: bed.dir });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^audit chain intact: \d+ entries verified/);

    const database = await openDatabase({ sqlitePath: ':unused:', databaseUrl: TEST_DATABASE_URL, schema: bed.schema }, createLogger({ level: 'silent' }));
    onTestFinished(() => database.close());
    const entries = await database.db.selectFrom('audit_log').select(['action', 'invocation_id', 'detail'])
      .where('command', '=', 'echo').where('action', 'in', ['command.executed', 'command.failed']).execute();
    expect(entries).toHaveLength(2 * PER_GATEWAY);
    expect(new Set(entries.map((e) => e.invocation_id)).size).toBe(2 * PER_GATEWAY);
    expect(entries.filter((e) => e.action === 'command.failed').map((e) => JSON.parse(e.detail ?? '{}').code)).toEqual(interrupted.map(() => 'E_INTERRUPTED'));

    // Each run of the plugin stored a key of its own: no word ran twice, and every answered word ran.
    const runs = await database.db.selectFrom('plugin_kv').select('key').where('plugin', '=', 'echo').execute();
    const byWord = new Map<string, number>();
    for (const { key } of runs) {
      const word = key.split(':')[1] as string;
      byWord.set(word, (byWord.get(word) ?? 0) + 1);
    }
    expect([...byWord.values()].every((n) => n === 1)).toBe(true);
    for (let g = 0; g < 2; g++) {
      for (let i = 0; i < PER_GATEWAY; i++) if (!interrupted.includes(`g${g}-${i}`)) expect(byWord.get(`g${g}-${i}`)).toBe(1);
    }
  }, 300_000);
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLogImpl } from '../../../src/audit/audit-log-impl.js';
import { SystemClock } from '../../../src/core/clock.js';
import { openDatabase, type OpenDatabaseOptions } from '../../../src/storage/database.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

const WORKER = fileURLToPath(new URL('./fixtures/append-worker.ts', import.meta.url));

interface Worker {
  ready: Promise<void>;
  go(): void;
  done: Promise<void>;
}

/** Starts the append worker as its own Node process; `done` rejects with its stderr if it fails. */
function startWorker(options: OpenDatabaseOptions, count: number, name: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(options), String(count), name], { stdio: ['pipe', 'pipe', 'pipe'] });
  onTestFinished(() => void child.kill());
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`append worker ${name} exited with ${code}: ${stderr}`))));
  });
  const ready = Promise.race([new Promise<void>((resolve) => child.stdout.once('data', () => resolve())), done]);
  return { ready, go: () => void child.stdin.write('go\n'), done };
}

let logger: TestLogger;
afterEach(() => logger.assertNoErrors());

describe('AuditLog shared by two PostgreSQL connection pools', () => {
  it('keeps one chain when two Database instances append to the same schema at once', async () => {
    logger = createTestLogger();
    const first = await openTestDatabase('postgres', logger);
    onTestFinished(first.cleanup);
    const second = await openDatabase(first.options, logger);
    onTestFinished(() => second.close());
    const clock = new SystemClock();
    const audits = [new AuditLogImpl(first.database, clock, logger), new AuditLogImpl(second, clock, logger)];

    await Promise.all(Array.from({ length: 80 }, (_, n) => audits[n % 2]!.append({ action: 'command.received', actor: 'system', args: { n } })));

    expect(await audits[0]!.verify()).toEqual({ ok: true, entries: 80 });
    const seqs = (await audits[1]!.list({ limit: 100 })).map((record) => record.seq);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, index) => 80 - index));
  });
});

describe.each(BACKENDS)('AuditLog shared by two processes on %s', (kind) => {
  it('keeps one chain when two processes append at once', async () => {
    logger = createTestLogger();
    const shared = await openTestDatabase(kind, logger);
    onTestFinished(shared.cleanup);
    const workers = [startWorker(shared.options, 300, 'a'), startWorker(shared.options, 300, 'b')];
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.done));

    const audit = new AuditLogImpl(shared.database, new SystemClock(), logger);
    expect(await audit.verify()).toEqual({ ok: true, entries: 600 });
    const writers = (await audit.list({ limit: 1000 })).map((record) => (record.detail as { worker: string }).worker);
    expect(writers.filter((writer) => writer === 'a')).toHaveLength(300);
    const switches = writers.filter((writer, index) => index > 0 && writer !== writers[index - 1]).length;
    expect(switches, 'the two processes did not overlap, so the test proved nothing').toBeGreaterThan(10);
  }, 60_000);
});

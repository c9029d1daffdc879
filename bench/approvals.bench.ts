import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { validateConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/core/logger.js';
import { OpsroomApp } from '../src/di/opsroom-app.js';
import { CommandRegistry } from '../src/routing/command-registry.js';
import { FakeAdapter, message, reaction } from '../test/fakes/fake-adapter.js';
import { percentile, round } from './stats.js';

/**
 * Time from the deciding reaction event entering the router to the start of the released command: dedup, the
 * request lookup by message, the eligibility check, the vote and quorum transaction, the audit entries, the frozen
 * invocation's hash and fingerprint checks, and the `approved -> running` change. The whole app runs, on a real
 * SQLite file and on the machine's PostgreSQL.
 */
const DATABASE_URL = process.env.OPSROOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WARMUP = 50;
const SAMPLES = 500;

async function measure(storage: Record<string, unknown>): Promise<number[]> {
  const config = validateConfig({
    storage, http: { enabled: false }, approvals: { risk: { 'bench-probe': 'high' }, maxPendingPerUser: 100 },
  }, 'benchmark configuration');
  const adapter = new FakeAdapter('local');
  const app = await OpsroomApp.start({ config, logger: createLogger({ level: 'silent' }), adapters: [adapter], http: false });
  try {
    let startedAt = 0;
    app.get<CommandRegistry>(CommandRegistry).register('bench', {
      name: 'bench-probe', description: 'marks when it starts', args: [], permission: 'bench', risk: 'low',
    }, async () => { startedAt = performance.now(); return 'ok'; });
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      await adapter.deliver(message('!bench-probe', { as: 'alice' }));
      const request = adapter.sent.at(-1);
      if (!request?.message?.reactions) throw new Error(`no approval request was posted: ${adapter.lastText()}`);
      startedAt = 0;
      const decided = performance.now();
      await adapter.deliver(reaction(request.messageId, '✅', { as: 'bob' }));
      if (startedAt === 0) throw new Error(`the approved command did not run: ${adapter.lastText()}`);
      if (i >= WARMUP) latencies.push(startedAt - decided);
      adapter.sent.length = 0;
    }
    return latencies;
  } finally {
    await app.stop();
  }
}

async function onSqlite(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-bench-'));
  try {
    return await measure({ sqlitePath: join(dir, 'opsroom.db') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(): Promise<number[] | undefined> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    process.stderr.write(`approvals: PostgreSQL at ${DATABASE_URL} is not reachable (${(error as Error).message}); measuring SQLite only\n`);
    return undefined;
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  try {
    return await measure({ databaseUrl: DATABASE_URL, schema });
  } finally {
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
}

export async function run(): Promise<Record<string, number>> {
  const sqlite = await onSqlite();
  const postgres = await onPostgres();
  return {
    'approvals.releaseMsP50Sqlite': round(percentile(sqlite, 50), 3),
    'approvals.releaseMsP99Sqlite': round(percentile(sqlite, 99), 3),
    ...(postgres ? {
      'approvals.releaseMsP50Postgres': round(percentile(postgres, 50), 3),
      'approvals.releaseMsP99Postgres': round(percentile(postgres, 99), 3),
    } : {}),
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { NodeRecord } from '../../src/cluster/node-presence.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { TEST_DATABASE_URL } from './backends.js';

/** The machine's Redis; each bed uses a key prefix of its own and deletes its keys afterwards. */
export const TEST_REDIS_URL = process.env.OPSROOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'opsroom.js');

/** Why the cluster cannot be tested here, or undefined when Redis answers. */
export async function redisMissing(): Promise<string | undefined> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  let cause: Error | undefined;
  client.on('error', (error: Error) => { cause ??= error; });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `no Redis at ${TEST_REDIS_URL} (${(cause ?? (error as Error)).message}); .ci/run starts one`;
  } finally {
    client.disconnect();
  }
}

/** A fresh PostgreSQL schema, Redis key prefix and folder for one cluster of processes. */
export interface ClusterBed {
  dir: string;
  schema: string;
  prefix: string;
  redis: Redis;
  /** The configuration every process of the bed shares, with `extra` laid over it, written to `<dir>/<name>.yaml`. */
  writeConfig(name: string, extra?: ConfigInput): string;
  config(extra?: ConfigInput): ConfigInput;
  /** Resolves with the live processes once at least this many gateways (holding `local`) and workers are alive. */
  waitForNodes(want: { gateways?: number; workers?: number }, timeoutMs?: number): Promise<NodeRecord[]>;
  cleanup(): Promise<void>;
}

export async function openClusterBed(base: ConfigInput = {}): Promise<ClusterBed> {
  const id = randomBytes(5).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-cluster-'));
  const schema = `test_cluster_${id}`;
  const prefix = `opsroom-test-${id}`;
  const redis = new Redis(TEST_REDIS_URL);
  const config = (extra: ConfigInput = {}): ConfigInput => merge({
    storage: { databaseUrl: TEST_DATABASE_URL, schema, sqlitePath: join(dir, 'data', 'opsroom.db') },
    cluster: { redisUrl: TEST_REDIS_URL, keyPrefix: prefix, deadAfterMs: 3_000 },
    http: { port: 0, console: { enabled: false } },
    plugins: { bundled: false, installDir: join(dir, 'installed'), lockFile: join(dir, 'lock.json') },
    logging: { level: 'info' },
  }, merge(base, extra));
  let cleaning: Promise<void> | undefined;
  return {
    dir, schema, prefix, redis, config,
    writeConfig(name, extra = {}) {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, JSON.stringify(config(extra), null, 2));
      return file;
    },
    waitForNodes: (want, timeoutMs = 60_000) => waitForNodes(redis, prefix, want, timeoutMs),
    cleanup() {
      cleaning ??= (async () => {
        await deleteKeys(redis, prefix).finally(() => redis.quit());
        await dropSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      })();
      return cleaning;
    },
  };
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    out[key] = isPlain(mine) && isPlain(value) ? merge(mine, value) : value;
  }
  return out;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

async function waitForNodes(redis: Redis, prefix: string, want: { gateways?: number; workers?: number }, timeoutMs: number): Promise<NodeRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await liveNodes(redis, prefix);
    const gateways = nodes.filter((n) => n.gateway && n.platforms.length > 0).length;
    const workers = nodes.filter((n) => n.worker).length;
    if (gateways >= (want.gateways ?? 0) && workers >= (want.workers ?? 0)) return nodes;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${JSON.stringify(want)}; alive: ${JSON.stringify(nodes.map((n) => n.id))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function liveNodes(redis: Redis, prefix: string): Promise<NodeRecord[]> {
  const ids = await redis.smembers(`${prefix}:nodes`);
  if (ids.length === 0) return [];
  const records = await redis.mget(...ids.map((id) => `${prefix}:node:${id}`));
  return records.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as NodeRecord);
}

/** A plugin whose `echo <word>` answers `echo <word>`, recording each run under a key of its own in its storage. */
export function writeEchoPlugin(root: string): string {
  const folder = join(root, 'plugins', 'echo');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'plugin.json'), JSON.stringify({
    name: 'echo', version: '1.0.0', apiVersion: 1, description: 'answers with its word and records each run',
    commands: [{ name: 'echo', description: 'echo a word', args: [{ name: 'word', type: 'string', required: true }] }],
    capabilities: { storage: { quotaKb: 1024 } },
  }));
  writeFileSync(join(folder, 'index.js'), [
    'export default { commands: { async echo(ctx, args) {',
    '  await ctx.storage.set("run:" + args.word + ":" + Math.random().toString(36).slice(2), 1);',
    '  return "echo " + args.word;',
    '} } };',
  ].join('\n'));
  return join(root, 'plugins');
}

/** `opsroom start --role <role>` as its own process, the real CLI. */
export interface CliProcess {
  pid: number;
  /** Lines written to stdout so far. */
  output: string[];
  stderr(): string;
  /** Types lines into the terminal console (a gateway's stdin). */
  type(lines: string[]): void;
  waitForOutput(count: (lines: string[]) => boolean, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit: a graceful stop. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(role: 'gateway' | 'worker' | 'all', configFile: string, options: { logFile: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] }): CliProcess {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'start', '--role', role, '-c', configFile], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env, OPSROOM_LOG_FILE: options.logFile },
  });
  const output: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines);
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => { for (const wake of waiters) wake(); });
  return {
    pid: child.pid ?? 0, output, stderr: () => stderr,
    type: (lines) => { child.stdin?.write(lines.map((l) => `${l}\n`).join('')); },
    waitForOutput: (done, timeoutMs = 60_000) => new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!done(output)) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${role} ${child.pid} did not print what was expected in ${timeoutMs} ms; it printed ${output.length} lines, the last:\n${output.slice(-5).join('\n')}\nstderr:\n${stderr.slice(-2000)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    }),
    kill: async (signal) => {
      child.kill(signal);
      return exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

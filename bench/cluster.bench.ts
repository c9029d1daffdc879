import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../src/config/config-schema.js';
import { openClusterBed, redisMissing, startCli, type CliProcess } from '../test/support/cluster-bed.js';
import { percentile, round } from './stats.js';

/**
 * Commands through a cluster of real processes on the machine's PostgreSQL and Redis: one gateway (the scripted
 * JSON-lines console of test/support/opsroom-process.ts, which hands events to the router concurrently, as a
 * platform does) and one, then two, workers (`opsroom start --role worker`). Every command is routed, deduplicated
 * and audited on the gateway, queued in BullMQ, run in a sandboxed plugin by a worker and answered back through the
 * gateway. WINDOW commands are kept in flight; latency is from the event written to the gateway to its reply read.
 *
 * Two workloads. `status <word>` is what workers exist for: the plugin calls an outside API (a loopback server that
 * answers after API_MS) through ctx.fetch and its network rules, so a worker is busy waiting, not computing, and one
 * worker runs `cluster.workerConcurrency` (16) of them at once: cmdsPerSec1, cmdsPerSec2 and p99Ms. `echo <word>`
 * does nothing in the plugin, so it measures the cluster's own cost per command (echoPerSec1, echoPerSec2): on this
 * 2-core machine every process (gateway, workers, runners, Redis, PostgreSQL) shares the same two cores, so a second
 * worker process cannot add throughput there; see docs/cluster.md for the CPU profile.
 */
const GATEWAY_ENTRY = fileURLToPath(new URL('../test/support/opsroom-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WARMUP = 300;
const MEASURED = Number(process.env.OPSROOM_BENCH_COMMANDS ?? 3_000);
const WINDOW = 64;
const API_MS = 50;
/** OPSROOM_BENCH_PROFILE=<dir> writes a V8 CPU profile of every process (gateway, workers, runners) there. */
const PROFILE_DIR = process.env.OPSROOM_BENCH_PROFILE;
const PROFILE = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];

interface Reply {
  kind: string;
  replyTo?: string;
  text?: string;
}

class Gateway {
  private readonly waiting = new Map<string, (reply: Reply) => void>();
  private sequence = 0;
  readonly ready: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    let buffer = '';
    let started: () => void = () => undefined;
    this.ready = new Promise((resolve) => { started = resolve; });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, at)) as Reply & { ready?: boolean };
        buffer = buffer.slice(at + 1);
        if (line.ready) started();
        else if (line.kind === 'reply' && line.replyTo) this.waiting.get(line.replyTo)?.(line);
      }
    });
  }

  static start(config: ConfigInput): Gateway {
    const child = spawn(process.execPath, [...PROFILE, '--no-node-snapshot', '--import', 'tsx', GATEWAY_ENTRY, JSON.stringify(config)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    return new Gateway(child);
  }

  /** Sends one command as alice; resolves with its latency in ms once the reply is back. */
  command(verb: 'echo' | 'status', word: string): Promise<number> {
    const id = `bench-${process.pid}-${++this.sequence}`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      this.waiting.set(`msg-${id}`, (reply) => {
        this.waiting.delete(`msg-${id}`);
        if (reply.text !== `${verb} ${word}${verb === 'status' ? ' 200' : ''}`) reject(new Error(`unexpected reply to ${verb} ${word}: ${reply.text ?? ''}`));
        else resolve(performance.now() - started);
      });
      const event = {
        type: 'message', id, messageId: `msg-${id}`, platform: 'local', text: `!${verb} ${word}`, mentionsBot: false,
        actor: { id: 'local:user:alice', name: 'alice', isBot: false, groups: [] }, channel: { id: 'local:channel:ops', name: 'ops', isDirect: false },
      };
      this.child.stdin?.write(`${JSON.stringify(event)}\n`);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.stdin?.write(`${JSON.stringify({ control: 'stop' })}\n`);
    await exited;
  }
}

async function drive(gateway: Gateway, verb: 'echo' | 'status', count: number, label: string): Promise<{ perSec: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      latencies.push(await gateway.command(verb, `${label}-${n}`));
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return { perSec: count / ((performance.now() - started) / 1000), latencies };
}

function writePlugin(dir: string, api: string): string {
  const folder = join(dir, 'plugins', 'bench');
  mkdirSync(folder, { recursive: true });
  const word = [{ name: 'word', type: 'string', required: true }];
  writeFileSync(join(folder, 'plugin.json'), JSON.stringify({
    name: 'bench', version: '1.0.0', apiVersion: 1, description: 'bench',
    commands: [{ name: 'echo', description: 'echo', args: word }, { name: 'status', description: 'asks an API', args: word }],
    capabilities: { net: [api] },
  }));
  writeFileSync(join(folder, 'index.js'), `export default { commands: {
    echo(ctx, args) { return "echo " + args.word; },
    async status(ctx, args) { const res = await ctx.fetch("http://${api}/status/" + args.word); return "status " + (await res.text()) + " " + res.status; },
  } };`);
  return join(dir, 'plugins');
}

/** An outside API that takes API_MS to answer, as a deploy or monitoring API would. */
async function startApi(): Promise<{ host: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    setTimeout(() => res.end((req.url ?? '').split('/').pop()), API_MS);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function waitForCatalog(bed: Awaited<ReturnType<typeof openClusterBed>>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await bed.redis.exists(`${bed.prefix}:catalog`)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no worker published its plugins');
}

export async function run(): Promise<Record<string, number> | { skipped: string }> {
  const missing = await redisMissing();
  if (missing) return { skipped: `the cluster benchmark needs Redis: ${missing}` };
  const bed = await openClusterBed({ logging: { level: 'warn' } });
  const api = await startApi();
  const workers: CliProcess[] = [];
  let gateway: Gateway | undefined;
  try {
    const config = bed.config({ plugins: { paths: [writePlugin(bed.dir, api.host)], grants: { bench: 'all' } }, net: { allowPrivate: ['127.0.0.1'] } });
    const file = bed.writeConfig('worker', config);
    const worker = (n: number) => startCli('worker', file, { logFile: join(bed.dir, `worker${n}.log`), nodeArgs: ['--no-node-snapshot', ...PROFILE] });
    workers.push(worker(1));
    await bed.waitForNodes({ workers: 1 });
    await waitForCatalog(bed);
    gateway = Gateway.start({ ...config, cluster: { ...config.cluster, role: 'gateway' } });
    await gateway.ready;
    await bed.waitForNodes({ gateways: 1, workers: 1 });

    const phase = async (workersUp: number) => {
      await drive(gateway as Gateway, 'echo', WARMUP, `warm-echo${workersUp}`);
      const echo = await drive(gateway as Gateway, 'echo', MEASURED, `echo${workersUp}`);
      await drive(gateway as Gateway, 'status', WARMUP, `warm-status${workersUp}`);
      const status = await drive(gateway as Gateway, 'status', MEASURED, `status${workersUp}`);
      return { echo, status };
    };
    const one = await phase(1);
    workers.push(worker(2));
    await bed.waitForNodes({ gateways: 1, workers: 2 });
    const two = await phase(2);
    return {
      'cluster.cmdsPerSec1': round(one.status.perSec),
      'cluster.cmdsPerSec2': round(two.status.perSec),
      'cluster.scaling2': round(two.status.perSec / one.status.perSec, 2),
      'cluster.p50Ms': round(percentile(two.status.latencies, 50), 2),
      'cluster.p99Ms': round(percentile(two.status.latencies, 99), 2),
      'cluster.echoPerSec1': round(one.echo.perSec),
      'cluster.echoPerSec2': round(two.echo.perSec),
      'cluster.echoP99Ms': round(percentile(two.echo.latencies, 99), 2),
    };
  } finally {
    await gateway?.stop().catch(() => undefined);
    await Promise.all(workers.map((w) => w.stop()));
    await api.close();
    await bed.cleanup();
  }
}

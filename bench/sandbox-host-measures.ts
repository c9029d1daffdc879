import { readFileSync } from 'node:fs';
import { createLogger } from '../src/core/logger.js';
import type { CapabilityHandler, PluginCode } from '../src/sandbox/sandbox-host.js';
import { SandboxHostImpl } from '../src/sandbox/sandbox-host-impl.js';
import { DEFAULT_SANDBOX_OPTIONS } from '../src/sandbox/sandbox-options.js';
import { percentile, round } from './stats.js';

const LIMITS = { memoryMb: 32, cpuMs: 200, wallMs: 30_000 };
const SOURCE = `
  let calls = 0;
  export default {
    commands: {
      echo(ctx, args) { calls += 1; return { text: 'echo ' + args.word, calls }; },
    },
  };`;
const CONTEXT = { invocation: { id: 'i', command: 'echo', platform: 'local', channel: { id: 'local:channel:ops' }, user: { id: 'local:user:a', name: 'A' }, roles: [], text: 'echo hi' }, secrets: {} };
const none: CapabilityHandler = async () => undefined;

export function plugin(name: string): PluginCode {
  return { name, version: '1.0.0', source: SOURCE, limits: LIMITS };
}

export function echo(host: SandboxHostImpl, name: string): Promise<unknown> {
  return host.call(name, { kind: 'command', name: 'echo' }, CONTEXT, { word: 'hi' }, none);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function coldLoads(host: SandboxHostImpl): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await host.load(plugin(`cold-${i}`));
    times.push(performance.now() - started);
  }
  for (let i = 0; i < 40; i++) await host.unload(`cold-${i}`);
  return percentile(times, 50);
}

export async function roundTrips(host: SandboxHostImpl): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3000; i++) await echo(host, 'warm-a');
  const times: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const started = process.hrtime.bigint();
    await echo(host, 'warm-a');
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function throughput(host: SandboxHostImpl, total: number): Promise<number> {
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 16 }, async (_, worker) => {
    const name = worker % 2 === 0 ? 'warm-a' : 'warm-b';
    while (issued < total) {
      issued += 1;
      await echo(host, name);
    }
  }));
  return total / ((performance.now() - started) / 1000);
}

export async function idleHeapPerPlugin(host: SandboxHostImpl): Promise<number> {
  const count = 20;
  const pids = host.stats().runners.map((runner) => runner.pid);
  const before = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  for (let i = 0; i < count; i++) await host.load(plugin(`idle-${i}`));
  for (let i = 0; i < count; i++) await echo(host, `idle-${i}`);
  await sleep(500);
  const after = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  for (let i = 0; i < count; i++) await host.unload(`idle-${i}`);
  return (after - before) / count;
}

export async function recovery(host: SandboxHostImpl): Promise<number> {
  const times: number[] = [];
  for (let trial = 0; trial < 3; trial++) {
    await sleep(1500); // the spare runner is started again after each crash
    const victim = host.stats().runners.find((runner) => runner.plugins.includes('warm-a'));
    if (victim === undefined) throw new Error('warm-a is on no runner');
    const killedAt = performance.now();
    process.kill(victim.pid, 'SIGKILL');
    for (;;) {
      try {
        await echo(host, 'warm-a');
        break;
      } catch {
        // the calls in flight at the kill fail; the next ones wait for the restart
      }
    }
    times.push(performance.now() - killedAt);
  }
  return percentile(times, 50);
}

/** Host-level figures: a real host, two runner processes, real isolates (no router, gate or audit). */
export async function hostFigures(): Promise<Record<string, number>> {
  const host = new SandboxHostImpl({ ...DEFAULT_SANDBOX_OPTIONS, runners: 2 }, createLogger({ level: 'silent' }));
  try {
    await host.load(plugin('warm-a'));
    await host.load(plugin('warm-b'));
    await sleep(1000); // let the spare runner finish starting, so it does not compete with the measurements
    const coldLoadMsP50 = await coldLoads(host);
    const trips = await roundTrips(host);
    await throughput(host, 5000);
    const callsPerSec16 = await throughput(host, 60_000);
    const idleHeapMb = await idleHeapPerPlugin(host);
    const runnerRecoveryMs = await recovery(host);
    return {
      'sandbox.coldLoadMsP50': round(coldLoadMsP50, 2),
      'sandbox.hostCallUsP50': round(trips.p50),
      'sandbox.hostCallUsP99': round(trips.p99),
      'sandbox.hostCallsPerSec16': Math.round(callsPerSec16),
      'sandbox.idleHeapMb': round(idleHeapMb, 2),
      'sandbox.runnerRecoveryMs': round(runnerRecoveryMs),
    };
  } finally {
    await host.dispose();
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscordAdapter, readDiscordSettings } from '../adapters/discord/index.js';
import { validateConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/core/logger.js';
import { OpsroomApp } from '../src/di/opsroom-app.js';
import type { ChildMessage, LoadPlan, ParentMessage } from './discord-load.js';
import { percentile, round } from './stats.js';

/**
 * Discord messages through the whole opsroom: the real discord.js client on the gateway of the loopback stand-in,
 * normalized, deduplicated, routed, gated, audited on SQLite, run by a sandboxed plugin in its isolate, and answered
 * by one REST request that the stand-in checks against Discord's OpenAPI description. The stand-in and the people
 * run in a second process (bench/discord-load.ts). Latency is from the stand-in dispatching MESSAGE_CREATE to the
 * reply reaching it, one message at a time; throughput has one message in flight in each of 50 channels.
 *
 * discord.js holds REST to 50 requests/s (Discord's global limit for a bot); the benchmark lifts that limit so it
 * measures opsroom rather than the limit. In production Discord sets the pace and opsroom's job is low latency.
 */
const LOAD_SCRIPT = fileURLToPath(new URL('./discord-load.ts', import.meta.url));
const LIFTED_GLOBAL_LIMIT = 1_000_000;
const OPERATOR_ROLE = '1310000000000000101';

function next(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      cleanup();
      if (message.t === 'failed') reject(new Error(`the Discord load process failed: ${message.error}`));
      else resolve(message);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`the Discord load process exited (${String(code)})`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function writeEchoPlugin(dir: string): string {
  const plugins = join(dir, 'plugins');
  mkdirSync(join(plugins, 'echo'), { recursive: true });
  writeFileSync(join(plugins, 'echo', 'plugin.json'), JSON.stringify({
    name: 'echo', version: '1.0.0', apiVersion: 1, description: 'bench',
    commands: [{ name: 'echo', description: 'echo', args: [{ name: 'word', type: 'string', required: true }] }],
  }));
  writeFileSync(join(plugins, 'echo', 'index.js'), 'export default { commands: { echo(ctx, args) { return "echo " + args.word; } } };');
  return plugins;
}

async function startOpsroom(dir: string, ready: Extract<ChildMessage, { t: 'ready' }>): Promise<OpsroomApp> {
  writeFileSync(join(dir, 'token'), ready.token);
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') }, http: { enabled: false }, logging: { level: 'silent' },
    adapters: { local: { enabled: false }, discord: { enabled: true, apiBaseUrl: ready.apiBaseUrl, tokenFile: join(dir, 'token'), guildId: ready.guildId } },
    rbac: { bindings: [{ group: `discord:role:${OPERATOR_ROLE}`, roles: ['operator'] }] },
    plugins: { bundled: false, paths: [writeEchoPlugin(dir)] },
  }, 'benchmark configuration');
  return OpsroomApp.start({
    config, logger: createLogger({ level: 'silent' }), http: false,
    adapterPackages: {
      discord: {
        createAdapter: (context) => new DiscordAdapter({
          settings: readDiscordSettings(context.settings, {}), logger: context.logger, rest: { globalRequestsPerSecond: LIFTED_GLOBAL_LIMIT },
        }),
      },
    },
  });
}

async function measure(child: ChildProcess, plan: LoadPlan): Promise<Extract<ChildMessage, { t: 'result' }>> {
  const result = next(child);
  child.send({ t: 'go', plan } satisfies ParentMessage);
  const outcome = await result;
  if (outcome.t !== 'result') throw new Error(`the Discord load process sent ${outcome.t}`);
  if (outcome.violations > 0) throw new Error(`the bot made ${outcome.violations} requests Discord would refuse`);
  if (outcome.limited > 0) throw new Error(`the stand-in answered ${outcome.limited} requests with 429`);
  return outcome;
}

export async function run(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-discord-bench-'));
  const child = fork(LOAD_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let app: OpsroomApp | undefined;
  try {
    const ready = await next(child);
    if (ready.t !== 'ready') throw new Error(`the Discord load process sent ${ready.t} before it was ready`);
    app = await startOpsroom(dir, ready);
    const latency = await measure(child, { kind: 'latency', warmup: 500, messages: 2_000 });
    const load = await measure(child, { kind: 'throughput', channels: 50, warmup: 1_000, messages: 10_000 });
    return {
      'discord.p50Ms': round(percentile(latency.latenciesMs, 50), 2),
      'discord.p99Ms': round(percentile(latency.latenciesMs, 99), 2),
      'discord.cmdsPerSec': Math.round(load.completed / (load.elapsedMs / 1000)),
      'discord.p99MsUnderLoad': round(percentile(load.latenciesMs, 99), 1),
    };
  } finally {
    await app?.stop();
    if (child.connected) child.send({ t: 'stop' } satisfies ParentMessage);
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    rmSync(dir, { recursive: true, force: true });
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTeamsSettings, TeamsAdapter } from '../adapters/teams/index.js';
import { validateConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/core/logger.js';
import { OpsroomApp } from '../src/di/opsroom-app.js';
import { standInCredentials } from '../test/stand-ins/teams/stand-in-credentials.js';
import type { ChildMessage, LoadPlan, ParentMessage } from './teams-load.js';
import { percentile, round } from './stats.js';

/**
 * Teams activities through the whole opsroom: each a channel message that @mentions the bot with `ping`, POSTed
 * with a real signed channel token that the real botbuilder CloudAdapter verifies, normalized, deduplicated,
 * routed, gated and audited, and answered by one reply to the loopback connector. The load (16 closed-loop
 * senders), the issuer and the connector run in a second process; opsroom runs here, on a SQLite file, as it
 * runs by default. Latency is from the POST to the reply reaching the connector.
 */
const SENDERS = 16;
const WARMUP = 400;
const ACTIVITIES = 4_000;
const LOAD_SCRIPT = fileURLToPath(new URL('./teams-load.ts', import.meta.url));

function next(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      cleanup();
      if (message.t === 'failed') reject(new Error(`the load process failed: ${message.error}`));
      else resolve(message);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`the load process exited (${String(code)})`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startOpsroom(dir: string, appId: string, ready: Extract<ChildMessage, { t: 'ready' }>): Promise<OpsroomApp> {
  writeFileSync(join(dir, 'password'), 'unused-with-stand-in-credentials');
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') }, http: { port: 0 }, plugins: { bundled: false },
    adapters: {
      local: { enabled: false },
      teams: { enabled: true, appId, appPasswordFile: join(dir, 'password'), allowedTenants: ['*'], endpoints: ready.endpoints },
    },
  }, 'benchmark configuration');
  const credentialsFactory = standInCredentials(appId);
  return OpsroomApp.start({
    config, logger: createLogger({ level: 'silent' }), http: true,
    adapterPackages: {
      teams: {
        createAdapter: (context) => new TeamsAdapter({
          settings: parseTeamsSettings(context.settings, {}), botName: context.botName, logger: context.logger, credentialsFactory,
        }),
      },
    },
  });
}

export async function run(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-teams-bench-'));
  const appId = randomUUID();
  const child = fork(LOAD_SCRIPT, [appId, String(SENDERS)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let app: OpsroomApp | undefined;
  try {
    const ready = await next(child);
    if (ready.t !== 'ready') throw new Error(`the load process sent ${ready.t} before it was ready`);
    app = await startOpsroom(dir, appId, ready);
    const plan: LoadPlan = { endpoint: `http://127.0.0.1:${app.httpAddress?.port ?? 0}/api/messages`, senders: SENDERS, warmup: WARMUP, activities: ACTIVITIES };
    const result = next(child);
    const cpuBefore = process.cpuUsage();
    child.send({ t: 'go', plan } satisfies ParentMessage);
    const outcome = await result;
    const cpu = process.cpuUsage(cpuBefore);
    if (outcome.t !== 'result') throw new Error(`the load process sent ${outcome.t}`);
    if (outcome.failures > 0) throw new Error(`${outcome.failures} activities were not accepted`);
    // CPU per activity, warm-up included: what bounds throughput on a machine the benchmark does not share.
    const perActivity = (cpuMs: number): number => round(cpuMs / (WARMUP + ACTIVITIES), 3);
    const opsroomCpu = perActivity((cpu.user + cpu.system) / 1000);
    process.stderr.write(`teams: CPU per activity ${opsroomCpu} ms in opsroom, ${perActivity(outcome.cpuMs)} ms in the load process\n`);
    return {
      'teams.activitiesPerSec': Math.round(outcome.completed / (outcome.elapsedMs / 1000)),
      'teams.p99Ms': round(percentile(outcome.latenciesMs, 99), 1),
      'teams.cpuMsPerActivity': opsroomCpu,
    };
  } finally {
    await app?.stop();
    if (child.connected) child.send({ t: 'stop' } satisfies ParentMessage);
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    rmSync(dir, { recursive: true, force: true });
  }
}

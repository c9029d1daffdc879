import { Agent } from 'node:http';
import { request } from 'node:http';
import { channelMessage, createScene, type Activity, type TeamsScene } from '../test/stand-ins/teams/activities.js';
import { startConnectorService, type ConnectorStandIn } from '../test/stand-ins/teams/connector-service.js';
import { startOpenIdIssuer, type IssuerEndpoints, type OpenIdIssuer } from '../test/stand-ins/teams/openid-issuer.js';

/**
 * The Bot Framework side of the Teams benchmark, in its own process so its CPU is not opsroom's: the loopback
 * issuer and connector, and `senders` closed-loop senders, each in its own channel, each waiting for the bot's
 * reply to one activity before sending the next.
 */

export interface LoadPlan {
  endpoint: string;
  senders: number;
  warmup: number;
  activities: number;
}

export type ParentMessage = { t: 'go'; plan: LoadPlan } | { t: 'stop' };
export type ChildMessage =
  | { t: 'ready'; endpoints: IssuerEndpoints; serviceUrl: string }
  | { t: 'result'; completed: number; elapsedMs: number; latenciesMs: number[]; failures: number; cpuMs: number }
  | { t: 'failed'; error: string };

const REPLY_TIMEOUT_MS = 30_000;

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** One POST with keep-alive; resolves with the status. */
function post(agent: Agent, url: URL, body: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), authorization },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    // A POST opsroom never answers must fail the run, not hang it.
    req.setTimeout(REPLY_TIMEOUT_MS, () => req.destroy(new Error(`opsroom did not answer a POST within ${REPLY_TIMEOUT_MS} ms`)));
    req.end(body);
  });
}

class ReplyWaiter {
  private readonly waiting = new Map<string, () => void>();

  constructor(connector: ConnectorStandIn) {
    connector.onCall((call) => {
      if (call.kind !== 'reply' || !call.activityId) return;
      this.waiting.get(call.activityId)?.();
      this.waiting.delete(call.activityId);
    });
  }

  /** Resolves when the bot replied to `activityId`; register before sending so a fast reply is not missed. */
  expect(activityId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.waiting.set(activityId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

async function runLoad(plan: LoadPlan, scenes: TeamsScene[], issuer: OpenIdIssuer, replies: ReplyWaiter): Promise<ChildMessage> {
  const url = new URL(plan.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: plan.senders });
  // The Bot Framework reuses a channel token until it nears expiry; so does this load.
  const authorization = `Bearer ${issuer.mintChannelToken({ appId: scenes[0]?.appId ?? '', serviceUrl: scenes[0]?.serviceUrl ?? '' })}`;
  let issued = 0;
  let failures = 0;
  const latencies: number[] = [];
  const total = plan.warmup + plan.activities;
  let measuredFrom = 0;
  const cpuBefore = process.cpuUsage();
  const sender = async (scene: TeamsScene): Promise<void> => {
    for (;;) {
      const index = issued++;
      if (index >= total) return;
      if (index === plan.warmup) measuredFrom = performance.now();
      const activity: Activity = channelMessage(scene, 'ping');
      const replied = replies.expect(String(activity.id));
      const started = performance.now();
      const status = await post(agent, url, JSON.stringify(activity), authorization);
      if (status !== 200) {
        failures++;
        replied.catch(() => undefined);
        continue;
      }
      await replied;
      if (index >= plan.warmup) latencies.push(performance.now() - started);
    }
  };
  await Promise.all(scenes.map((scene) => sender(scene)));
  const elapsedMs = performance.now() - measuredFrom;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return { t: 'result', completed: latencies.length, elapsedMs, latenciesMs: latencies, failures, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const appId = process.argv[2] ?? '';
  const senders = Number(process.argv[3] ?? '16');
  const issuer = await startOpenIdIssuer();
  const connector = await startConnectorService();
  const base = createScene(connector.serviceUrl, { appId });
  // Each sender talks in its own channel: the adapter keeps one conversation's events in order, so one busy
  // channel is sequential by design; sixteen people in sixteen channels is the concurrent case.
  const scenes = Array.from({ length: senders }, () => createScene(connector.serviceUrl, { appId, tenantId: base.tenantId }));
  const replies = new ReplyWaiter(connector);
  process.on('message', (message: ParentMessage) => {
    if (message.t === 'go') {
      runLoad(message.plan, scenes, issuer, replies)
        .then(send, (error: unknown) => send({ t: 'failed', error: error instanceof Error ? error.message : String(error) }));
    } else {
      void Promise.all([issuer.stop(), connector.stop()]).finally(() => process.exit(0));
    }
  });
  send({ t: 'ready', endpoints: issuer.endpoints, serviceUrl: connector.serviceUrl });
}

main().catch((error: unknown) => {
  send({ t: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

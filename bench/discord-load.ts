import { ChannelType } from 'discord-api-types/v10';
import { DiscordStandIn, IDS, defaultWorld, type StandInCall, type World } from '../test/stand-ins/discord/index.js';

/**
 * The Discord side of the Discord benchmark, in its own process so its CPU is not opsroom's: the loopback stand-in
 * (REST checked against Discord's OpenAPI description, and the gateway), and the people: they post `!echo` in
 * `channels` channels and wait for the bot's reply to each before posting the next in that channel.
 */

export type LoadPlan =
  /** One message at a time in #ops: from the dispatch of MESSAGE_CREATE to the reply arriving at the stand-in. */
  | { kind: 'latency'; warmup: number; messages: number }
  /** One message in flight per channel, in `channels` channels at once. */
  | { kind: 'throughput'; channels: number; warmup: number; messages: number };

export type ParentMessage = { t: 'go'; plan: LoadPlan } | { t: 'stop' };
export type ChildMessage =
  | { t: 'ready'; apiBaseUrl: string; token: string; guildId: string }
  | { t: 'result'; completed: number; elapsedMs: number; latenciesMs: number[]; violations: number; limited: number }
  | { t: 'failed'; error: string };

const CHANNELS = 50;
const REPLY_TIMEOUT_MS = 30_000;

/** The default world with 50 more text channels in its guild. */
function benchWorld(): World {
  const world = defaultWorld();
  const guild = world.guilds[0];
  if (!guild) throw new Error('the default world has no guild');
  for (let i = 0; i < CHANNELS; i++) {
    guild.channels.push({
      id: String(1310000000000100000n + BigInt(i)), type: ChannelType.GuildText, name: `load-${i}`, parent_id: IDS.channels.category,
      position: 10 + i, topic: null, nsfw: false, rate_limit_per_user: 0, permission_overwrites: [], last_message_id: null, flags: 0,
    });
  }
  return world;
}

const channelIds = Array.from({ length: CHANNELS }, (_, i) => String(1310000000000100000n + BigInt(i)));

/** Replies by the message they answer, resolved the moment the stand-in has answered the bot's request. */
class ReplyWatch {
  private readonly waiting = new Map<string, (at: number) => void>();

  constructor(standIn: DiscordStandIn) {
    this.follow(standIn);
  }

  expect(messageId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${messageId} within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
      this.waiting.set(messageId, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** Sees every call as the stand-in logs it, through a waiter that never matches (the log has no other listener API). */
  private follow(standIn: DiscordStandIn): void {
    standIn.waitForCall((call) => {
      this.take(call, performance.now());
      return false;
    }, 2_000_000_000).catch(() => undefined);
  }

  private take(call: StandInCall, at: number): void {
    const answered = call.status === 200 ? call.body?.message_reference?.message_id as string | undefined : undefined;
    if (answered === undefined) return;
    this.waiting.get(answered)?.(at);
    this.waiting.delete(answered);
  }
}

async function roundTrip(standIn: DiscordStandIn, watch: ReplyWatch, channelId: string, n: number): Promise<number> {
  const started = performance.now();
  const sent = standIn.sendMessage({ channelId, author: IDS.users.alice, content: `!echo m${n}` });
  return (await watch.expect(sent.id)) - started;
}

async function runLoad(standIn: DiscordStandIn, watch: ReplyWatch, plan: LoadPlan): Promise<ChildMessage> {
  const before = { violations: standIn.violations.length, limited: standIn.calls.filter((c) => c.status === 429).length };
  const channels = plan.kind === 'latency' ? [IDS.channels.ops] : channelIds.slice(0, plan.channels);
  let n = 0;
  const loop = async (channelId: string, count: number, latencies: number[]): Promise<void> => {
    for (let i = 0; i < count; i++) latencies.push(await roundTrip(standIn, watch, channelId, n++));
  };
  const perChannel = (total: number): number => Math.ceil(total / channels.length);
  await Promise.all(channels.map((c) => loop(c, perChannel(plan.warmup), [])));
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(channels.map((c) => loop(c, perChannel(plan.messages), latenciesMs)));
  const elapsedMs = performance.now() - started;
  return {
    t: 'result', completed: latenciesMs.length, elapsedMs, latenciesMs,
    violations: standIn.violations.length - before.violations, limited: standIn.calls.filter((c) => c.status === 429).length - before.limited,
  };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const standIn = await DiscordStandIn.start({ world: benchWorld() });
  const watch = new ReplyWatch(standIn);
  process.on('message', (message: ParentMessage) => {
    if (message.t === 'go') {
      runLoad(standIn, watch, message.plan).then(send, (error: unknown) => send({ t: 'failed', error: error instanceof Error ? error.message : String(error) }));
    } else {
      void standIn.stop().finally(() => process.exit(0));
    }
  });
  send({ t: 'ready', apiBaseUrl: standIn.apiBaseUrl, token: standIn.token, guildId: IDS.guild });
}

main().catch((error: unknown) => {
  send({ t: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

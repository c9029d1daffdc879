import { onTestFinished } from 'vitest';
import { DiscordAdapter } from '../../../adapters/discord/discord-adapter.js';
import { readDiscordSettings } from '../../../adapters/discord/discord-settings.js';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { DiscordStandIn, type StandInOptions } from '../../stand-ins/discord/index.js';

export type EventHandler = (event: ChatEvent, adapter: DiscordAdapter) => Promise<void>;

export interface HarnessOptions {
  standIn?: StandInOptions;
  /** What the bot does with each event (besides recording it). */
  handler?: EventHandler;
  settings?: Record<string, unknown>;
  deferAfterMs?: number;
}

/** A running stand-in and a real discord.js-backed adapter connected to it, both stopped when the test ends. */
export interface DiscordHarness {
  standIn: DiscordStandIn;
  adapter: DiscordAdapter;
  logger: TestLogger;
  /** Every event the adapter delivered, in order. */
  events: ChatEvent[];
  nextEvent<T extends ChatEvent = ChatEvent>(predicate: (event: ChatEvent) => boolean, timeoutMs?: number): Promise<T>;
  /** Stops the adapter and starts a fresh one (empty caches) on the same stand-in. */
  restart(): Promise<DiscordAdapter>;
}

/** A bot whose handler the test decides; `replyTo` is the usual one: answer a message in its thread. */
export function startAdapter(standIn: DiscordStandIn, logger: TestLogger, options: HarnessOptions, events: ChatEvent[], notify: () => void): DiscordAdapter {
  const settings = readDiscordSettings({ token: standIn.token, apiBaseUrl: standIn.apiBaseUrl, ...options.settings }, {});
  const adapter = new DiscordAdapter({ settings, logger, deferAfterMs: options.deferAfterMs, readyTimeoutMs: 10_000 });
  adapter.onDidReceiveEvent(async (event) => {
    events.push(event);
    notify();
    await options.handler?.(event, adapter);
  });
  return adapter;
}

export async function startDiscord(options: HarnessOptions = {}): Promise<DiscordHarness> {
  const standIn = await DiscordStandIn.start(options.standIn);
  const logger = createTestLogger('info');
  const events: ChatEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  let adapter = startAdapter(standIn, logger, options, events, notify);
  onTestFinished(async () => {
    await adapter.stop();
    await standIn.stop();
    logger.assertNoErrors();
  });
  await adapter.start();
  return {
    standIn, logger, events,
    get adapter() {
      return adapter;
    },
    nextEvent<T extends ChatEvent>(predicate: (event: ChatEvent) => boolean, timeoutMs = 5_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const check = (): boolean => {
          const found = events.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found as T);
          return true;
        };
        timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; events so far: ${JSON.stringify(events.map((e) => [e.type, e.id]))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async restart() {
      await adapter.stop();
      adapter = startAdapter(standIn, logger, options, events, notify);
      await adapter.start();
      return adapter;
    },
  };
}

/** The usual bot: answers `!ping` (and a mention or DM saying ping) with pong, in the thread of the message. */
export const pingPong: EventHandler = async (event, adapter) => {
  if (event.type !== 'message') return;
  const text = event.text.replace(/^!/, '').trim();
  if (text !== 'ping') return;
  await adapter.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'pong' });
};

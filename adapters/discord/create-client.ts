import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { DiscordSettings } from './discord-settings.js';

/** What opsroom listens to: messages (with their text), reactions, in guilds and DMs. */
export const INTENTS = [
  GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.DirectMessages, GatewayIntentBits.DirectMessageReactions,
] as const;

/** Without these, reactions on messages sent before the bot (re)started, and DMs, are dropped by discord.js without a word. */
export const PARTIALS = [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User] as const;

/** REST settings a caller may change; `globalRequestsPerSecond` is Discord's own limit (50) unless a benchmark lifts it. */
export interface RestTuning {
  globalRequestsPerSecond?: number;
}

export function createDiscordClient(settings: DiscordSettings, tuning: RestTuning = {}): Client {
  return new Client({
    intents: [...INTENTS],
    partials: [...PARTIALS],
    rest: { api: settings.apiBaseUrl, version: '10', ...tuning },
    shards: settings.shards,
    ...(settings.shardCount === undefined ? {} : { shardCount: settings.shardCount }),
    // A reply must still go out when the message it answers was deleted meanwhile.
    failIfNotExists: false,
    allowedMentions: { parse: [], repliedUser: false },
  });
}

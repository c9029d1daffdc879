import { ConfigError } from '../../src/core/errors.js';

/** The Discord adapter's settings, checked. */
export interface DiscordSettings {
  token: string;
  /** REST base without the version, e.g. `https://discord.com/api`; the gateway address is asked from it. */
  apiBaseUrl: string;
  /** `'auto'` (as many as Discord recommends, all in this process) or the shard ids this process runs. */
  shards: 'auto' | number[];
  /** Total shards across all processes; needed when `shards` lists ids. */
  shardCount: number | undefined;
  /** The application id; learnt from the gateway when absent. */
  applicationId: string | undefined;
  /** Where slash commands are registered: this guild, or globally when absent. */
  guildId: string | undefined;
  /** Register slash commands once connected, and again whenever the command list changes. */
  syncCommands: boolean;
}

export const DEFAULT_API_BASE_URL = 'https://discord.com/api';
const KNOWN = ['token', 'apiBaseUrl', 'shards', 'shardCount', 'applicationId', 'guildId', 'syncCommands'];
const SNOWFLAKE = /^\d{15,21}$/;
const where = (key: string): string => `adapters.discord.${key}`;

function readToken(raw: unknown, env: NodeJS.ProcessEnv, problems: string[]): string {
  const token = raw ?? env.DISCORD_TOKEN;
  if (token === undefined || token === '') {
    problems.push(`${where('token')}: missing (set it, or the environment variable DISCORD_TOKEN, to the bot token from the Discord developer portal)`);
    return '';
  }
  if (typeof token !== 'string' || /\s/.test(token)) problems.push(`${where('token')}: must be the bot token as one word of text`);
  return typeof token === 'string' ? token : '';
}

function readApiBaseUrl(raw: unknown, problems: string[]): string {
  if (raw === undefined) return DEFAULT_API_BASE_URL;
  const text = typeof raw === 'string' ? raw.replace(/\/+$/, '') : '';
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  } catch {
    // Reported below with the value that failed.
  }
  problems.push(`${where('apiBaseUrl')}: must be an http(s) URL such as ${DEFAULT_API_BASE_URL} (got ${JSON.stringify(raw)})`);
  return DEFAULT_API_BASE_URL;
}

function readShards(raw: unknown, problems: string[]): 'auto' | number[] {
  if (raw === undefined || raw === 'auto') return 'auto';
  const ok = Array.isArray(raw) && raw.length > 0 && raw.every((n) => Number.isInteger(n) && n >= 0) && new Set(raw).size === raw.length;
  if (!ok) problems.push(`${where('shards')}: must be "auto" or a list of distinct shard ids such as [0, 1] (got ${JSON.stringify(raw)})`);
  return ok ? [...raw as number[]].sort((a, b) => a - b) : 'auto';
}

function readShardCount(raw: unknown, shards: 'auto' | number[], problems: string[]): number | undefined {
  if (raw === undefined) {
    if (Array.isArray(shards)) problems.push(`${where('shardCount')}: required when shards lists ids (the total number of shards across every process)`);
    return undefined;
  }
  if (!Number.isInteger(raw) || (raw as number) < 1) {
    problems.push(`${where('shardCount')}: must be a whole number of at least 1 (got ${JSON.stringify(raw)})`);
    return undefined;
  }
  const count = raw as number;
  if (Array.isArray(shards) && shards.some((id) => id >= count)) problems.push(`${where('shards')}: every id must be below shardCount ${count}`);
  if (shards === 'auto') problems.push(`${where('shardCount')}: only meaningful with a list of shard ids (shards is "auto")`);
  return count;
}

/** Reads and checks the settings; throws `ConfigError` listing every problem. */
export function readDiscordSettings(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): DiscordSettings {
  const problems: string[] = [];
  for (const key of Object.keys(settings)) {
    if (!KNOWN.includes(key)) problems.push(`${where(key)}: unknown setting (known: ${KNOWN.join(', ')})`);
  }
  const token = readToken(settings.token, env, problems);
  const apiBaseUrl = readApiBaseUrl(settings.apiBaseUrl, problems);
  const shards = readShards(settings.shards, problems);
  const shardCount = readShardCount(settings.shardCount, shards, problems);
  const applicationId = readSnowflake(settings.applicationId, 'applicationId', 'application', problems);
  const guildId = readSnowflake(settings.guildId, 'guildId', 'guild', problems);
  const syncCommands = settings.syncCommands ?? false;
  if (typeof syncCommands !== 'boolean') problems.push(`${where('syncCommands')}: must be true or false (got ${JSON.stringify(syncCommands)})`);
  if (problems.length > 0) throw new ConfigError('the Discord adapter settings are invalid', problems);
  return { token, apiBaseUrl, shards, shardCount, applicationId, guildId, syncCommands: syncCommands === true };
}

function readSnowflake(raw: unknown, key: string, what: string, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && SNOWFLAKE.test(raw)) return raw;
  problems.push(`${where(key)}: must be the ${what} id, a string of digits (got ${JSON.stringify(raw)})`);
  return undefined;
}

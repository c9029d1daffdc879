import { describe, expect, it } from 'vitest';
import { readDiscordSettings } from '../../../adapters/discord/discord-settings.js';
import { ConfigError } from '../../../src/core/errors.js';

function problemsOf(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    readDiscordSettings(settings, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readDiscordSettings', () => {
  it('takes the token from DISCORD_TOKEN when the settings have none, and defaults the rest', () => {
    expect(readDiscordSettings({}, { DISCORD_TOKEN: 'abc.def' })).toEqual({
      token: 'abc.def', apiBaseUrl: 'https://discord.com/api', shards: 'auto', shardCount: undefined, applicationId: undefined,
      guildId: undefined, syncCommands: false,
    });
  });

  it('accepts shard ids with their total, sorted', () => {
    expect(readDiscordSettings({ token: 't', shards: [3, 1], shardCount: 4, apiBaseUrl: 'http://127.0.0.1:9/api/' }, {}))
      .toMatchObject({ shards: [1, 3], shardCount: 4, apiBaseUrl: 'http://127.0.0.1:9/api' });
  });

  it('lists every problem with the setting it concerns', () => {
    expect(problemsOf({ apiBaseUrl: 'discord.com', shards: [0, 0], applicationId: 12, guildId: 'ops', syncCommands: 'yes', tokn: 'x' })).toEqual([
      'adapters.discord.tokn: unknown setting (known: token, apiBaseUrl, shards, shardCount, applicationId, guildId, syncCommands)',
      'adapters.discord.token: missing (set it, or the environment variable DISCORD_TOKEN, to the bot token from the Discord developer portal)',
      'adapters.discord.apiBaseUrl: must be an http(s) URL such as https://discord.com/api (got "discord.com")',
      'adapters.discord.shards: must be "auto" or a list of distinct shard ids such as [0, 1] (got [0,0])',
      'adapters.discord.applicationId: must be the application id, a string of digits (got 12)',
      'adapters.discord.guildId: must be the guild id, a string of digits (got "ops")',
      'adapters.discord.syncCommands: must be true or false (got "yes")',
    ]);
    expect(problemsOf({ token: 't', shards: [0, 5] })).toEqual([
      'adapters.discord.shardCount: required when shards lists ids (the total number of shards across every process)',
    ]);
    expect(problemsOf({ token: 't', shards: [0, 5], shardCount: 2 })).toEqual(['adapters.discord.shards: every id must be below shardCount 2']);
  });
});

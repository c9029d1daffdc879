import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { validateConfig } from '../../../src/config/load-config.js';

function problemsOf(tree: unknown): string[] {
  try {
    validateConfig(tree, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('the adapters.discord section', () => {
  it('is off by default, syncs slash commands and talks to discord.com when on', () => {
    expect(validateConfig({}, 'test').adapters.discord).toEqual({ enabled: false, apiBaseUrl: 'https://discord.com/api', shards: 'auto', syncCommands: true });
    expect(validateConfig({ adapters: { discord: { enabled: true, apiBaseUrl: 'http://127.0.0.1:5000/api/', shards: [1, 3], shardCount: 4, guildId: '1310000000000000000' } } }, 'test')
      .adapters.discord).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:5000/api', shards: [1, 3], shardCount: 4, guildId: '1310000000000000000' });
  });

  it('refuses a token written into the configuration, saying where it belongs', () => {
    expect(problemsOf({ adapters: { discord: { token: 'MTIz.abc.def' } } })).toEqual([
      'adapters.discord.token: no token in the configuration (expected DISCORD_TOKEN in the environment, or tokenFile naming a file that holds it)',
    ]);
  });

  it('names every bad setting: the URL, ids that are not ids, shards without their total', () => {
    expect(problemsOf({ adapters: { discord: { apiBaseUrl: 'discord.com', guildId: 'ops', applicationId: '12', shards: [0, 0, 5] } } })).toEqual([
      'adapters.discord.apiBaseUrl: invalid value (expected an http(s) URL such as https://discord.com/api)',
      'adapters.discord.shards: invalid value (expected distinct shard ids such as [0, 1])',
      'adapters.discord.applicationId: invalid value (expected the application id, a string of 15 to 21 digits (Developer Mode: right click > Copy ID))',
      'adapters.discord.guildId: invalid value (expected the guild id, a string of 15 to 21 digits (Developer Mode: right click > Copy ID))',
    ]);
    expect(problemsOf({ adapters: { discord: { shards: [0, 5] } } })).toEqual([
      'adapters.discord.shardCount: required when shards lists ids (expected the total number of shards across every process)',
    ]);
    expect(problemsOf({ adapters: { discord: { shards: [0, 5], shardCount: 2 } } })).toEqual([
      'adapters.discord.shards: shard ids must be below shardCount 2 (expected ids from 0 to 1)',
    ]);
    expect(problemsOf({ adapters: { discord: { shardCount: 2 } } })).toEqual([
      'adapters.discord.shardCount: only meaningful with a list of shard ids (expected no shardCount while shards is "auto")',
    ]);
  });

  it('refuses an RBAC binding that names a Discord role or user by name, not by id', () => {
    expect(problemsOf({ rbac: { bindings: [{ group: 'discord:role:approver', roles: ['approver'] }, { principal: 'discord:user:alice', roles: ['operator'] }] } })).toEqual([
      'rbac.bindings[0].group: discord:role:approver names a Discord role by something other than its id (expected discord:role:<the id, digits only>; Developer Mode: right click > Copy ID)',
      'rbac.bindings[1].principal: discord:user:alice names a Discord user by something other than its id (expected discord:user:<the id, digits only>; Developer Mode: right click > Copy ID)',
    ]);
    expect(validateConfig({ rbac: { bindings: [{ group: 'discord:role:1310000000000000102', roles: ['approver'] }] } }, 'test').rbac.bindings).toHaveLength(1);
  });
});

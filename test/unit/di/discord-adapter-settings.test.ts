import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { discordAdapterSettings, discordToken } from '../../../src/di/discord-adapter-settings.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-discord-token-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const section = (discord: Record<string, unknown>) => validateConfig({ adapters: { discord } }, 'test').adapters.discord;

describe('discordAdapterSettings', () => {
  it('hands the adapter its connection settings and the token from DISCORD_TOKEN, nothing else', () => {
    expect(discordAdapterSettings(section({ enabled: true, guildId: '1310000000000000000' }), { DISCORD_TOKEN: ' abc.def \n' })).toEqual({
      token: 'abc.def', apiBaseUrl: 'https://discord.com/api', shards: 'auto', syncCommands: true, guildId: '1310000000000000000',
    });
  });

  it('reads the token from tokenFile first, without its trailing newline', () => {
    const file = join(folder(), 'token');
    writeFileSync(file, 'from.the.file\n');
    expect(discordToken(section({ tokenFile: file }), { DISCORD_TOKEN: 'from.the.env' })).toBe('from.the.file');
  });

  it('says what to do when there is no token, or its file is missing or empty, without quoting the file', () => {
    expect(problemsOf(() => discordToken(section({}), {}))).toEqual([
      'adapters.discord: no bot token (expected DISCORD_TOKEN in the environment, or adapters.discord.tokenFile naming a file that holds it; '
      + 'the token is on the Bot page of the application in the Discord developer portal)',
    ]);
    const dir = folder();
    expect(problemsOf(() => discordToken(section({ tokenFile: join(dir, 'missing') }), {})))
      .toEqual([`adapters.discord.tokenFile: the file ${join(dir, 'missing')} cannot be read (ENOENT)`]);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(problemsOf(() => discordToken(section({ tokenFile: join(dir, 'empty') }), { DISCORD_TOKEN: 'ignored' })))
      .toEqual([`adapters.discord.tokenFile: the file ${join(dir, 'empty')} is empty (expected the bot token)`]);
  });
});

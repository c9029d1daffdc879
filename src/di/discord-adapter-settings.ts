import { readFileSync } from 'node:fs';
import type { DiscordConfig } from '../config/discord-config-schema.js';
import { ConfigError } from '../core/errors.js';

const SECTION = 'adapters.discord';

function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Only the path and the error code: the message of a read error could quote the content.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError('the Discord bot token cannot be read', [`${SECTION}.tokenFile: the file ${file} cannot be read (${code})`]);
  }
  const token = text.trim();
  if (token.length === 0) throw new ConfigError('the Discord bot token is missing', [`${SECTION}.tokenFile: the file ${file} is empty (expected the bot token)`]);
  return token;
}

/** The bot token: from `tokenFile` when the section names one, else from `DISCORD_TOKEN`; never from the configuration itself. */
export function discordToken(section: Pick<DiscordConfig, 'tokenFile'>, env: NodeJS.ProcessEnv = process.env): string {
  if (section.tokenFile !== undefined) return readTokenFile(section.tokenFile);
  const token = env.DISCORD_TOKEN?.trim();
  if (token) return token;
  throw new ConfigError('the Discord bot token is missing', [
    `${SECTION}: no bot token (expected DISCORD_TOKEN in the environment, or ${SECTION}.tokenFile naming a file that holds it; `
    + 'the token is on the Bot page of the application in the Discord developer portal)',
  ]);
}

/** What the Discord adapter package takes: the section's connection settings and the token, nothing else. */
export function discordAdapterSettings(section: DiscordConfig, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const { apiBaseUrl, shards, shardCount, applicationId, guildId, syncCommands } = section;
  return {
    token: discordToken(section, env), apiBaseUrl, shards, syncCommands,
    ...(shardCount === undefined ? {} : { shardCount }),
    ...(applicationId === undefined ? {} : { applicationId }),
    ...(guildId === undefined ? {} : { guildId }),
  };
}

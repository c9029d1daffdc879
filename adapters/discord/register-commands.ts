import { DiscordAPIError, REST, Routes, type APIApplication } from 'discord.js';
import type { CommandRegistrationRequest, CommandRegistrationResult } from '../../src/core/chat-adapter.js';
import { ConfigError, OpsroomError } from '../../src/core/errors.js';
import { readDiscordSettings } from './discord-settings.js';
import { platformError } from './message-sender.js';
import { planFittingCommands, putSlashCommands } from './slash-commands.js';

const UNAUTHORIZED = 401;
const MISSING_ACCESS = 50001;
const UNKNOWN_GUILD = 10004;

/** What a refusal of slash commands means for the operator: a bad token, a bot that is not in the guild, or Discord's own words. */
export function explainRegistrationError(error: unknown, scope: string): unknown {
  if (!(error instanceof DiscordAPIError)) return error;
  if (error.status === UNAUTHORIZED) {
    return new OpsroomError('E_CONFIG', 'Discord refused the bot token (DISCORD_TOKEN or adapters.discord.tokenFile)', { cause: error });
  }
  if (error.code === MISSING_ACCESS || error.code === UNKNOWN_GUILD) {
    return new OpsroomError('E_PLATFORM', `Discord refused to register slash commands ${scope}: the bot is not in that guild, or it was invited `
      + 'without the applications.commands scope (invite it again with that scope)', { cause: error });
  }
  return platformError(`registering slash commands ${scope}`, error);
}

/**
 * Registers the commands as slash commands over REST alone, without a gateway connection: the bulk overwrite makes
 * them the application's whole list in that guild (or globally). `scope` is a guild id; else `settings.guildId`.
 */
export async function registerCommands(request: CommandRegistrationRequest): Promise<CommandRegistrationResult> {
  const settings = readDiscordSettings(request.settings);
  const guildId = request.scope ?? settings.guildId;
  if (guildId !== undefined && !/^\d{15,21}$/.test(guildId)) {
    throw new ConfigError('the guild to register slash commands in is invalid', [`guild: must be a guild id, a string of 15 to 21 digits (got ${JSON.stringify(guildId)})`]);
  }
  const scope = guildId === undefined ? 'globally' : `in guild ${guildId}`;
  const plan = planFittingCommands(request.commands);
  const rest = new REST({ api: settings.apiBaseUrl, version: '10' }).setToken(settings.token);
  try {
    const applicationId = settings.applicationId ?? (await rest.get(Routes.currentApplication()) as APIApplication).id;
    const registered = await putSlashCommands(rest, applicationId, plan.bodies, guildId);
    request.logger.info({ scope, commands: registered.length }, 'registered the Discord slash commands');
    return { scope, registered: registered.map((c) => c.name), omitted: plan.omitted };
  } catch (error) {
    throw explainRegistrationError(error, scope);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

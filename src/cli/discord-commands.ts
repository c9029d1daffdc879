import type { CommandRegistrationResult } from '../core/chat-adapter.js';
import { OpsroomError, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { DISCORD_SNOWFLAKE } from '../config/discord-config-schema.js';
import { loadAdapterPackage } from '../di/adapter-loader.js';
import { discordAdapterSettings } from '../di/discord-adapter-settings.js';
import { OpsroomApp } from '../di/opsroom-app.js';
import { CommandRegistry } from '../routing/command-registry.js';
import type { CommandSpec } from '../core/command.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

export interface DiscordRegisterOptions {
  config?: string;
  /** A guild id; `adapters.discord.guildId` when absent, and globally when neither is set. */
  guild?: string;
}

/** Every command opsroom would serve with this configuration: the built-ins and those of the plugins that load. */
async function commandsOf(config: OpsroomConfig, logger: Logger): Promise<CommandSpec[]> {
  const app = await OpsroomApp.start({ config, logger, adapters: [], http: false });
  try {
    return app.get<CommandRegistry>(CommandRegistry).all().map((command) => command.spec);
  } finally {
    await app.stop();
  }
}

export function formatRegistration(result: CommandRegistrationResult): string {
  const lines = [`Registered ${result.registered.length} Discord slash command${result.registered.length === 1 ? '' : 's'} ${result.scope}: `
    + `${result.registered.map((name) => `/${name}`).join(', ') || '(none)'}`];
  if (result.omitted.length > 0) {
    lines.push('Left out, because Discord cannot take them as slash commands (they still work typed with the prefix or a mention):');
    for (const { command, reason } of result.omitted) lines.push(`  - ${command}: ${reason}`);
  }
  return lines.join('\n');
}

/** `opsroom discord register [--guild id]`: the command list as the application's slash commands, over REST only. */
export async function runDiscordRegister(options: DiscordRegisterOptions, write = (t: string) => process.stdout.write(t)): Promise<number> {
  try {
    if (options.guild !== undefined && !DISCORD_SNOWFLAKE.test(options.guild)) {
      throw new UserError('E_BAD_ARGS', `--guild ${JSON.stringify(options.guild)} is not a guild id (expected 15 to 21 digits; Developer Mode: right click the server > Copy Server ID)`);
    }
    const config = readConfig(options.config);
    const settings = discordAdapterSettings(config.adapters.discord);
    const { logger } = loggerFor(config, false, true);
    const pkg = await loadAdapterPackage('discord');
    if (!pkg.registerCommands) throw new OpsroomError('E_INTERNAL', 'the Discord adapter package exports no registerCommands');
    const commands = await commandsOf(config, logger);
    const result = await pkg.registerCommands({ settings, commands, logger, ...(options.guild ? { scope: options.guild } : {}) });
    write(`${formatRegistration(result)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}

import type { AdapterContext, ChatAdapter } from '../../src/core/chat-adapter.js';
import { DiscordAdapter } from './discord-adapter.js';
import { readDiscordSettings } from './discord-settings.js';

export { DiscordAdapter, type DiscordAdapterOptions } from './discord-adapter.js';
export { readDiscordSettings, DEFAULT_API_BASE_URL, type DiscordSettings } from './discord-settings.js';
export { buildSlashCommands, planFittingCommands, planSlashCommands, registerSlashCommands, type FittingPlan, type SlashCommandPlan } from './slash-commands.js';
export { registerCommands } from './register-commands.js';
export { encodeButtonId, decodeButtonId } from './button-id.js';
export { INTENTS, PARTIALS } from './create-client.js';

/**
 * The adapter package entry. Settings are those of the `adapters.discord` section with the token the composition
 * root read (`{ token?, apiBaseUrl?, shards?, shardCount?, applicationId?, guildId?, syncCommands? }`); without a
 * token, `DISCORD_TOKEN` is used.
 */
export function createAdapter(context: AdapterContext): ChatAdapter {
  return new DiscordAdapter({ settings: readDiscordSettings(context.settings), logger: context.logger });
}

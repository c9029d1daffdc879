import type { AdapterContext } from '../../src/core/chat-adapter.js';
import { TeamsAdapter } from './teams-adapter.js';
import { parseTeamsSettings } from './teams-settings.js';

export { TeamsAdapter, type TeamsAdapterOptions } from './teams-adapter.js';
export { parseTeamsSettings, PUBLIC_CLOUD_ENDPOINTS, type TeamsSettings, type TeamsEndpoints } from './teams-settings.js';
export type { TeamsCredentialsFactory } from './credentials.js';
export type { TeamsConversationReference } from './conversation-references.js';
export { buildTeamsManifest, buildTeamsAppPackage, type TeamsManifestOptions, type TeamsAppPackage } from './manifest.js';
export { buildAppPackage } from './app-package-settings.js';

/**
 * The adapter package entry: settings are the `adapters.teams` section of the configuration, completed from the
 * Bot Framework environment variables (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId).
 */
export function createAdapter(context: AdapterContext): TeamsAdapter {
  return new TeamsAdapter({ settings: parseTeamsSettings(context.settings, process.env), botName: context.botName, logger: context.logger });
}

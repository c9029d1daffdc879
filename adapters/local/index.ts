export { LocalAdapter, type LocalAdapterOptions } from './local-adapter.js';
export type { LocalUser } from './terminal-view.js';
export { renderText } from './render-text.js';

import type { AdapterContext, ChatAdapter } from '../../src/core/chat-adapter.js';
import { LocalAdapter as Adapter } from './local-adapter.js';
import type { LocalUser as User } from './terminal-view.js';

/** The adapter package entry: settings are the `adapters.local` section of the configuration. */
export function createAdapter(context: AdapterContext): ChatAdapter {
  const settings = context.settings as { users: User[]; defaultUser: string; channels: string[] };
  return new Adapter({
    users: settings.users, defaultUser: settings.defaultUser, channels: settings.channels, botName: context.botName,
    input: context.io.input, output: context.io.output, interactive: context.io.interactive, logger: context.logger,
  });
}

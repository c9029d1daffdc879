import type { ChatAdapter } from '../core/chat-adapter.js';
import { disposable, type Disposable } from '../core/disposable.js';
import type { Logger } from '../core/logger.js';
import type { CommandRegistry } from '../routing/command-registry.js';

/**
 * Gives an adapter that wants it (`useCommands`, e.g. Discord for its slash commands) the command list now, and again
 * after every change to the registry (a plugin installed, upgraded, disabled). A burst of changes (a plugin's commands
 * registered one by one) is handed over once, after the burst.
 */
export function feedCommands(registry: CommandRegistry, adapter: ChatAdapter, logger: Logger): Disposable {
  const use = adapter.useCommands?.bind(adapter);
  if (use === undefined) return disposable(() => undefined);
  let queued = false;
  let disposed = false;
  const give = (): void => {
    queued = false;
    if (disposed) return;
    try {
      use(registry.all().map((command) => command.spec));
    } catch (err) {
      logger.error({ err, platform: adapter.platform }, 'an adapter could not take the command list');
    }
  };
  give();
  const subscription = registry.onDidChange(() => {
    if (queued) return;
    queued = true;
    setImmediate(give);
  });
  return disposable(() => {
    disposed = true;
    subscription.dispose();
  });
}

import type { Logger } from '../../src/core/logger.js';

let guardLogger: Logger | undefined;

function fromDiscordJs(reason: unknown): boolean {
  const stack = reason instanceof Error ? reason.stack ?? '' : '';
  return /[\\/](discord\.js|@discordjs)[\\/]/.test(stack);
}

function onUnhandledRejection(reason: unknown): void {
  const origin = fromDiscordJs(reason) ? 'discord.js' : 'unknown';
  guardLogger?.error({ err: reason, origin }, 'unhandled promise rejection; the process keeps running');
}

/**
 * discord.js handles gateway packets in promises nobody awaits, so a malformed dispatch (an INTERACTION_CREATE
 * without `authorizing_integration_owners`, a MESSAGE_CREATE without `author`) throws where no caller can catch it,
 * and Node 20 ends the process on an unhandled rejection. This guard logs such a rejection instead. It is installed
 * once per process, whatever the number of adapters, and logs with the logger of the first one.
 */
export function installRejectionGuard(logger: Logger): void {
  if (guardLogger !== undefined) return;
  guardLogger = logger;
  process.on('unhandledRejection', onUnhandledRejection);
}

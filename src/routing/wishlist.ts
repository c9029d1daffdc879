import { inject, injectable } from 'inversify';
import type { MessageEvent } from '../core/chat-event.js';
import { Logger } from '../core/logger.js';
import { WishlistStore } from '../storage/wishlist-store.js';
import { CommandRegistry } from './command-registry.js';
import { Messenger } from './messenger.js';
import { WishlistAnnouncer, announcementsFor } from './wishlist-announcer.js';

/** "If something isn't automated, automate it": unknown commands become automation requests. */
export const Wishlist = Symbol('Wishlist');
export interface Wishlist {
  record(event: MessageEvent, command: string, text: string): Promise<void>;
  top(limit: number): ReturnType<WishlistStore['top']>;
  /** Closes requests whenever a command of the same name is registered, and tells the askers where they asked. */
  watch(): void;
  /** The open requests for one command, newest first, with the lines as typed (for `opsroom automate`). */
  requests(command: string, limit: number): ReturnType<WishlistStore['requests']>;
}

@injectable()
export class WishlistImpl implements Wishlist {
  private watching = false;
  private readonly announcer: WishlistAnnouncer;

  constructor(
    @inject(WishlistStore) private readonly store: WishlistStore,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(Logger) private readonly logger: Logger,
    @inject(Messenger) messenger: Messenger,
  ) {
    this.announcer = new WishlistAnnouncer(messenger, logger);
  }

  async record(event: MessageEvent, command: string, text: string): Promise<void> {
    await this.store.record({
      command: command.toLowerCase(), actorId: event.actor.id, actorName: event.actor.name,
      platform: event.platform, channelId: event.channel.id, text, at: event.receivedAt,
    });
  }

  top(limit: number): ReturnType<WishlistStore['top']> {
    return this.store.top(limit);
  }

  requests(command: string, limit: number): ReturnType<WishlistStore['requests']> {
    return this.store.requests(command.toLowerCase(), limit);
  }

  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.registry.onDidChange(({ kind, command }) => {
      if (kind !== 'added') return;
      for (const name of [command.spec.name, ...(command.spec.aliases ?? [])]) {
        this.store.close(name.toLowerCase(), new Date())
          .then((closed) => this.announcer.announce(announcementsFor(command, name.toLowerCase(), closed)))
          .catch((err: unknown) => {
            this.logger.warn({ err, command: name }, 'could not close wishlist requests');
          });
      }
    });
  }
}

import { parseQualified, type Platform } from '../core/identity.js';
import type { Logger } from '../core/logger.js';
import type { ClosedWishlistRequest } from '../storage/wishlist-store.js';
import type { RegisteredCommand } from './command-registry.js';
import type { Messenger } from './messenger.js';

/** One message for one channel where people asked for a command that now exists. */
export interface WishlistAnnouncement {
  platform: Platform;
  channelId: string;
  text: string;
}

/** Groups the closed requests by the channel they were made in: one message each, naming everyone who asked there. */
export function announcementsFor(command: RegisteredCommand, name: string, closed: readonly ClosedWishlistRequest[]): WishlistAnnouncement[] {
  const byChannel = new Map<string, string[]>();
  for (const request of closed) {
    const askers = byChannel.get(request.channelId) ?? [];
    if (!askers.includes(request.actorName)) askers.push(request.actorName);
    byChannel.set(request.channelId, askers);
  }
  const origin = command.plugin === 'core' ? 'built in' : `from ${command.plugin}`;
  return [...byChannel].flatMap(([channelId, askers]) => {
    const platform = parseQualified(channelId)?.platform;
    if (platform === undefined) return [];
    const who = askers.length === 1 ? askers[0] : `${askers.slice(0, -1).join(', ')} and ${askers.at(-1)}`;
    return [{
      platform, channelId,
      text: `✨ \`${name}\` exists now (${origin}): ${command.spec.description}. ${who} asked for it on the wishlist; \`help ${command.spec.name}\` shows how to use it.`,
    }];
  });
}

/**
 * Sends announcements, each as soon as its platform's adapter runs: commands registered while opsroom starts
 * (plugins load before the adapters connect) are announced once the adapter is attached.
 */
export class WishlistAnnouncer {
  private readonly waiting: WishlistAnnouncement[] = [];
  private readonly canWait: boolean;

  constructor(private readonly messenger: Messenger, private readonly logger: Logger) {
    this.canWait = messenger.onDidAttach !== undefined;
    messenger.onDidAttach?.((adapter) => {
      const ready = this.waiting.filter((a) => a.platform === adapter.platform);
      for (const announcement of ready) this.waiting.splice(this.waiting.indexOf(announcement), 1);
      for (const announcement of ready) void this.send(announcement);
    });
  }

  announce(announcements: readonly WishlistAnnouncement[]): void {
    const running = new Set(this.messenger.adapters().map((a) => a.platform));
    for (const announcement of announcements) {
      if (running.has(announcement.platform) || !this.canWait) void this.send(announcement);
      else this.waiting.push(announcement);
    }
  }

  private async send(announcement: WishlistAnnouncement): Promise<void> {
    try {
      await this.messenger.send(announcement.platform, announcement.channelId, { text: announcement.text });
    } catch (err) {
      this.logger.warn({ err, channel: announcement.channelId }, 'could not tell the askers that a wished-for command exists');
    }
  }
}

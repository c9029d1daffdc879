import { inject, injectable } from 'inversify';
import type { ChatEvent } from '../core/chat-event.js';
import { InboundEventStore } from '../storage/inbound-event-store.js';

/** Drops a platform event delivered twice (gateway resume, webhook retry). */
export const EventDeduplicator = Symbol('EventDeduplicator');
export interface EventDeduplicator {
  /** True the first time an event id is seen on its platform. */
  firstTime(event: ChatEvent): Promise<boolean>;
}

/**
 * Recent ids in memory, in two generations: when the current one is full it becomes the previous one and the
 * oldest generation is dropped whole. O(1) per id; V8 Maps get slow when used as a FIFO with one delete per insert.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  constructor(private readonly capacity = 10_000) {}

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    if (this.current.has(key) || this.previous.has(key)) return false;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
    return true;
  }
}

/** Recent ids per platform: the event id alone is the key, with no string built per event. */
class RecentByPlatform {
  private readonly platforms = new Map<string, RecentIds>();

  add(event: ChatEvent): boolean {
    let recent = this.platforms.get(event.platform);
    if (!recent) {
      recent = new RecentIds();
      this.platforms.set(event.platform, recent);
    }
    return recent.add(event.id);
  }
}

@injectable()
export class StoredEventDeduplicator implements EventDeduplicator {
  private readonly recent = new RecentByPlatform();

  constructor(@inject(InboundEventStore) private readonly store: InboundEventStore) {}

  async firstTime(event: ChatEvent): Promise<boolean> {
    if (!this.recent.add(event)) return false;
    return this.store.markSeen(event.platform, event.id, event.receivedAt);
  }
}

/** Memory only: for a process without storage (the routing benchmark) and tests. */
export class MemoryEventDeduplicator implements EventDeduplicator {
  private readonly recent = new RecentByPlatform();
  async firstTime(event: ChatEvent): Promise<boolean> {
    return this.recent.add(event);
  }
}

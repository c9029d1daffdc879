import { inject, injectable } from 'inversify';
import type { Redis } from 'ioredis';
import { disposable, type Disposable } from '../core/disposable.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ClusterKeys } from './cluster-keys.js';
import { readClusterEvent, type ClusterEvent, type ClusterEventKind, type ClusterEventOf } from './cluster-events.js';
import { ClusterSettings } from './cluster-settings.js';
import { RedisConnections } from './redis-connections.js';

export type ClusterEventHandler<K extends ClusterEventKind> = (event: ClusterEventOf<K>, from: string) => Promise<void> | void;

/**
 * Cross-instance events over Redis pub/sub. An instance applies its own change itself and publishes it; the others
 * get it here, one event at a time in the order published. Pub/sub keeps nothing for an instance that is cut off,
 * so after a reconnection the `resubscribed` listeners catch up from the database.
 */
export const ClusterBus = Symbol('ClusterBus');
export interface ClusterBus {
  publish(event: ClusterEvent): Promise<void>;
  on<K extends ClusterEventKind>(kind: K, handler: ClusterEventHandler<K>): Disposable;
  /** Called after the subscription came back from a lost connection (not after the first subscription). */
  onDidResubscribe(listener: () => Promise<void> | void): Disposable;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Envelope {
  from: string;
  event: ClusterEvent;
}

@injectable()
export class ClusterBusImpl implements ClusterBus {
  private readonly handlers = new Map<ClusterEventKind, Set<ClusterEventHandler<ClusterEventKind>>>();
  private readonly resubscribed = new Set<() => Promise<void> | void>();
  private readonly channel: string;
  private readonly logger: Logger;
  private subscriber: Redis | undefined;
  /** Events are handled one after another, in the order they arrived. */
  private chain: Promise<void> = Promise.resolve();
  private readyOnce = false;

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(Logger) logger: Logger,
  ) {
    this.channel = new ClusterKeys(settings.keyPrefix).events();
    this.logger = logger.child({ component: 'cluster' });
  }

  async publish(event: ClusterEvent): Promise<void> {
    const envelope: Envelope = { from: this.settings.nodeId, event };
    await this.redis.commands.publish(this.channel, JSON.stringify(envelope));
  }

  on<K extends ClusterEventKind>(kind: K, handler: ClusterEventHandler<K>): Disposable {
    let set = this.handlers.get(kind);
    if (!set) {
      set = new Set();
      this.handlers.set(kind, set);
    }
    const added = handler as unknown as ClusterEventHandler<ClusterEventKind>;
    set.add(added);
    return disposable(() => set.delete(added));
  }

  onDidResubscribe(listener: () => Promise<void> | void): Disposable {
    this.resubscribed.add(listener);
    return disposable(() => this.resubscribed.delete(listener));
  }

  async start(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.redis.dedicated('events', { blocking: true });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    // ioredis subscribes again by itself after a reconnection; what was published meanwhile is lost.
    subscriber.on('ready', () => {
      if (this.readyOnce) this.enqueue(() => this.catchUp());
      this.readyOnce = true;
    });
    await subscriber.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await settlesWithin(subscriber.unsubscribe(this.channel), 1_000);
    await settlesWithin(this.chain, 5_000);
  }

  private receive(text: string): void {
    let envelope: Envelope | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<Envelope>;
      const event = readClusterEvent(parsed.event);
      if (event && typeof parsed.from === 'string') envelope = { from: parsed.from, event };
    } catch {
      envelope = undefined;
    }
    if (!envelope) {
      this.logger.warn({ message: text.slice(0, 200) }, 'ignored a cluster event this version does not understand');
      return;
    }
    if (envelope.from === this.settings.nodeId) return;
    const { event, from } = envelope;
    this.enqueue(() => this.dispatch(event, from));
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work);
  }

  private async dispatch(event: ClusterEvent, from: string): Promise<void> {
    for (const handler of this.handlers.get(event.kind) ?? []) {
      try {
        await handler(event, from);
      } catch (err) {
        this.logger.error({ err, event: event.kind, from }, 'a cluster event could not be applied here');
      }
    }
  }

  private async catchUp(): Promise<void> {
    this.logger.warn('the cluster event subscription was lost and is back; catching up with the database');
    for (const listener of this.resubscribed) {
      try {
        await listener();
      } catch (err) {
        this.logger.error({ err }, 'could not catch up after the cluster event subscription came back');
      }
    }
  }
}

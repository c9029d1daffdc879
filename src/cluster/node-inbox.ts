import { inject, injectable } from 'inversify';
import type { Redis } from 'ioredis';
import { disposable, type Disposable } from '../core/disposable.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ErrorReporter } from './error-reporter.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterSettings } from './cluster-settings.js';
import { RedisConnections } from './redis-connections.js';

/** One message to one process; `t` says what it is. */
export interface InboxMessage {
  t: string;
  [field: string]: unknown;
}

export type InboxHandler = (message: InboxMessage) => void;

/** An inbox nobody reads (its process died) goes away on its own after this long. */
const INBOX_TTL_MS = 10 * 60_000;
/** Messages taken at once after the blocking pop returned one. */
const BATCH = 256;
const RETRY_MS = 500;

/**
 * Messages to one process through a Redis list: results of its jobs, calls to it and answers to its calls. A list
 * keeps what arrives while the process is briefly cut off from Redis, which pub/sub would drop.
 */
export const NodeInbox = Symbol('NodeInbox');
export interface NodeInbox {
  start(): void;
  send(nodeId: string, message: InboxMessage): Promise<void>;
  /** One handler per message type; handlers must not block (they hand work on). */
  on(type: string, handler: InboxHandler): Disposable;
  stop(): Promise<void>;
}

@injectable()
export class NodeInboxImpl implements NodeInbox {
  private readonly keys: ClusterKeys;
  private readonly handlers = new Map<string, InboxHandler>();
  private readonly logger: Logger;
  private client: Redis | undefined;
  private reading: Promise<void> | undefined;
  private stopping = false;
  private readonly errors: ErrorReporter;

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(Logger) logger: Logger,
  ) {
    this.keys = new ClusterKeys(settings.keyPrefix);
    this.logger = logger.child({ component: 'cluster' });
    this.errors = new ErrorReporter(this.logger, 'could not read this process\'s cluster inbox; retrying');
  }

  start(): void {
    if (this.reading) return;
    this.stopping = false;
    this.client = this.redis.dedicated('inbox', { blocking: true });
    this.reading = this.read(this.client, this.keys.inbox(this.settings.nodeId));
  }

  async send(nodeId: string, message: InboxMessage): Promise<void> {
    const key = this.keys.inbox(nodeId);
    await this.redis.commands.pipeline().lpush(key, JSON.stringify(message)).pexpire(key, INBOX_TTL_MS).exec();
  }

  on(type: string, handler: InboxHandler): Disposable {
    this.handlers.set(type, handler);
    return disposable(() => { if (this.handlers.get(type) === handler) this.handlers.delete(type); });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Breaks the blocking pop at once instead of waiting out its timeout.
    this.client?.disconnect();
    // A pop queued while Redis is away may never settle, even after the disconnect.
    await settlesWithin(this.reading ?? Promise.resolve(), 1_000);
    this.reading = undefined;
    this.client = undefined;
  }

  private async read(client: Redis, key: string): Promise<void> {
    while (!this.stopping) {
      let texts: string[];
      try {
        texts = await this.take(client, key);
      } catch (err) {
        if (this.stopping) break;
        this.errors.report(err);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      for (const text of texts) this.dispatch(text);
    }
  }

  private async take(client: Redis, key: string): Promise<string[]> {
    const first = await client.brpop(key, 1);
    if (!first) return [];
    const more = await client.rpop(key, BATCH);
    return [first[1], ...(more ?? [])];
  }

  private dispatch(text: string): void {
    let message: InboxMessage;
    try {
      message = JSON.parse(text) as InboxMessage;
    } catch {
      this.logger.warn({ message: text.slice(0, 200) }, 'ignored a cluster inbox message that is not JSON');
      return;
    }
    const handler = this.handlers.get(message.t);
    if (!handler) {
      this.logger.warn({ type: message.t }, 'ignored a cluster inbox message of a type this process does not take');
      return;
    }
    try {
      handler(message);
    } catch (err) {
      this.logger.error({ err, type: message.t }, 'a cluster inbox message could not be handled');
    }
  }
}

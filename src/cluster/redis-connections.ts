import { inject, injectable } from 'inversify';
import { Redis, type RedisOptions } from 'ioredis';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ClusterSettings } from './cluster-settings.js';

const CONNECT_TIMEOUT_MS = 10_000;
const QUIT_MS = 1_000;

/** `redis://host:port/db` for messages: the user name and password never appear. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/**
 * The process's Redis connections: one for commands, and dedicated ones for what blocks a connection (a subscriber,
 * a blocking pop, the BullMQ worker). All are closed together.
 */
export const RedisConnections = Symbol('RedisConnections');
export interface RedisConnections {
  readonly commands: Redis;
  /**
   * A new connection of its own. `blocking` ones retry forever instead of failing commands while Redis is away,
   * as BullMQ workers and subscribers need.
   */
  dedicated(name: string, options?: { blocking?: boolean; pipelined?: boolean }): Redis;
  /** Resolves when Redis answers; rejects with E_CLUSTER naming the server otherwise. */
  ping(): Promise<void>;
  readonly target: string;
  close(): Promise<void>;
}

@injectable()
export class RedisConnectionsImpl implements RedisConnections {
  readonly target: string;
  private commandClient: Redis | undefined;
  private readonly opened = new Set<Redis>();
  /** What the connection itself last reported: the real cause behind a command that gave up retrying. */
  private lastError: Error | undefined;
  private readonly logger: Logger;

  constructor(@inject(ClusterSettings) private readonly settings: ClusterSettings, @inject(Logger) logger: Logger) {
    this.target = describeRedisUrl(settings.redisUrl);
    this.logger = logger.child({ component: 'cluster', redis: this.target });
  }

  get commands(): Redis {
    this.commandClient ??= this.open('commands', false, true);
    return this.commandClient;
  }

  dedicated(name: string, options: { blocking?: boolean; pipelined?: boolean } = {}): Redis {
    return this.open(name, options.blocking === true, options.pipelined === true);
  }

  async ping(): Promise<void> {
    try {
      await this.commands.ping();
    } catch (error) {
      const cause = this.commandClient?.status === 'ready' ? (error as Error) : this.lastError ?? (error as Error);
      throw new OpsroomError('E_CLUSTER', `Redis at ${this.target} does not answer: ${cause.message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const clients = [...this.opened];
    this.opened.clear();
    this.commandClient = undefined;
    // QUIT lets replies in flight arrive; a client that cannot say it (Redis is away) is simply cut off.
    await Promise.all(clients.map(async (client) => {
      if (!(await settlesWithin(client.quit(), QUIT_MS))) client.disconnect();
    }));
  }

  private open(name: string, blocking: boolean, pipelined: boolean): Redis {
    const options: RedisOptions = {
      // Commands issued in the same tick leave in one write: under load, socket writes are most of the CPU time.
      enableAutoPipelining: pipelined && !blocking,
      connectionName: `opsroom:${this.settings.nodeId}:${name}`,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // BullMQ workers and blocking pops must wait out an outage; plain commands fail after a few tries instead.
      maxRetriesPerRequest: blocking ? null : 3,
      lazyConnect: false,
    };
    const client = new Redis(this.settings.redisUrl, options);
    let reported = false;
    // Without a listener ioredis prints every failed reconnection attempt to stderr.
    client.on('error', (err: Error) => {
      this.lastError = err;
      if (reported) return;
      reported = true;
      this.logger.error({ err, connection: name }, 'lost the connection to Redis; reconnecting');
    });
    client.on('ready', () => {
      this.lastError = undefined;
      if (reported) this.logger.info({ connection: name }, 'connected to Redis again');
      reported = false;
    });
    this.opened.add(client);
    return client;
  }
}

import { hostname } from 'node:os';
import { inject, injectable } from 'inversify';
import type { Platform } from '../core/identity.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterSettings, holdsConnections, runsInvocations } from './cluster-settings.js';
import { RedisConnections } from './redis-connections.js';

/** What a process says about itself in its heartbeat. */
export interface NodeRecord {
  id: string;
  role: string;
  host: string;
  pid: number;
  /** Platforms whose connections this process holds (gateways), empty for workers. */
  platforms: Platform[];
  gateway: boolean;
  worker: boolean;
  startedAt: string;
}

export const HEARTBEAT_MS = 1_000;

/**
 * Heartbeats: every process renews a record that expires `deadAfterMs` after its last renewal, and keeps a view of
 * the others, refreshed with each heartbeat. A process killed with SIGKILL disappears from every view within
 * `deadAfterMs`, which is what lets its work be answered for and its schedules be taken over.
 */
export const NodePresence = Symbol('NodePresence');
export interface NodePresence {
  readonly self: NodeRecord;
  start(): Promise<void>;
  /** Changes what this process holds (after its adapters started) and renews at once. */
  announce(platforms: Platform[]): Promise<void>;
  /** From the view of the last heartbeat. */
  isAlive(nodeId: string): boolean;
  /** Asks Redis now, for decisions that must not rest on a view up to a second old. */
  checkAlive(nodeIds: readonly string[]): Promise<Set<string>>;
  /** Live gateways holding the platform, this process first when it is one. */
  gatewaysFor(platform: Platform): NodeRecord[];
  /** Every live process, this one included. */
  nodes(): NodeRecord[];
  stop(): Promise<void>;
}

@injectable()
export class NodePresenceImpl implements NodePresence {
  readonly self: NodeRecord;
  private readonly keys: ClusterKeys;
  private readonly logger: Logger;
  private view = new Map<string, NodeRecord>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private failing = false;

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(Logger) logger: Logger,
  ) {
    this.keys = new ClusterKeys(settings.keyPrefix);
    this.logger = logger.child({ component: 'cluster' });
    this.self = {
      id: settings.nodeId, role: settings.serves ? settings.role : 'tool', host: hostname(), pid: process.pid, platforms: [],
      gateway: holdsConnections(settings), worker: runsInvocations(settings), startedAt: new Date().toISOString(),
    };
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async announce(platforms: Platform[]): Promise<void> {
    this.self.platforms = [...new Set(platforms)].sort();
    await this.beat();
  }

  isAlive(nodeId: string): boolean {
    return nodeId === this.self.id || this.view.has(nodeId);
  }

  async checkAlive(nodeIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(nodeIds)];
    if (unique.length === 0) return new Set();
    const found = await this.redis.commands.exists(...unique.map((id) => this.keys.node(id)));
    // EXISTS with several keys only counts them; ask one by one when some are missing.
    if (found === unique.length) return new Set(unique);
    const results = await Promise.all(unique.map(async (id) => [id, await this.redis.commands.exists(this.keys.node(id))] as const));
    return new Set(results.filter(([, exists]) => exists === 1).map(([id]) => id));
  }

  gatewaysFor(platform: Platform): NodeRecord[] {
    const holders = [...this.view.values()].filter((node) => node.gateway && node.platforms.includes(platform));
    return holders.sort((a, b) => Number(b.id === this.self.id) - Number(a.id === this.self.id) || a.id.localeCompare(b.id));
  }

  nodes(): NodeRecord[] {
    return [...this.view.values()];
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await settlesWithin(this.beating ?? Promise.resolve(), 1_000);
    // Leaving on purpose: the others need not wait for the record to expire.
    await settlesWithin(this.redis.commands.multi().del(this.keys.node(this.self.id)).srem(this.keys.nodes(), this.self.id).exec(), 1_000);
  }

  private async tick(): Promise<void> {
    if (this.beating) return;
    this.beating = this.beat().then(() => {
      if (this.failing) this.logger.info('cluster heartbeat renewed again');
      this.failing = false;
    }, (err: unknown) => {
      if (!this.failing) this.logger.error({ err }, 'could not renew the cluster heartbeat; the others will count this process as gone if this lasts');
      this.failing = true;
    }).finally(() => { this.beating = undefined; });
    await this.beating;
  }

  private async beat(): Promise<void> {
    const { commands } = this.redis;
    await commands.multi()
      .set(this.keys.node(this.self.id), JSON.stringify(this.self), 'PX', this.settings.deadAfterMs)
      .sadd(this.keys.nodes(), this.self.id)
      .exec();
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    const { commands } = this.redis;
    const ids = await commands.smembers(this.keys.nodes());
    const records = ids.length === 0 ? [] : await commands.mget(...ids.map((id) => this.keys.node(id)));
    const view = new Map<string, NodeRecord>();
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const text = records[i];
      if (text === null || text === undefined) gone.push(id);
      else view.set(id, JSON.parse(text) as NodeRecord);
    });
    view.set(this.self.id, this.self);
    this.view = view;
    if (gone.length > 0) await commands.srem(this.keys.nodes(), ...gone);
  }
}

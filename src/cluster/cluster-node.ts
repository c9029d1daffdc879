import { inject, injectable, optional } from 'inversify';
import { ConfigReloader } from '../automation/config-reloader.js';
import type { ChatAdapter } from '../core/chat-adapter.js';
import type { Disposable } from '../core/disposable.js';
import { Logger } from '../core/logger.js';
import { Readiness } from '../http/readiness.js';
import { PluginManager } from '../plugins/plugin-manager.js';
import { CommandExecutorImpl, type CommandExecutor } from '../routing/command-executor.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { ClusterBus } from './cluster-bus.js';
import { ClusterMessenger } from './cluster-messenger.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { ClusterSettings, holdsConnections, runsInvocations } from './cluster-settings.js';
import { commandJobHandler } from './command-job-handler.js';
import { relayConfigReloads } from './relay-config-reloads.js';
import { JobDispatcher } from './job-dispatcher.js';
import { JobRunner } from './job-runner.js';
import { NodeInbox } from './node-inbox.js';
import { NodePresence } from './node-presence.js';
import { NodeRpc } from './node-rpc.js';
import { pluginAdminHandler, pluginEventHandler } from './plugin-job-handlers.js';
import { RedisConnections } from './redis-connections.js';

/**
 * This process as a member of the cluster, for the composition root: joins before the services start, takes work
 * once they have, says which platforms it holds once its adapters run, and leaves in the reverse order.
 */
export const ClusterNode = Symbol('ClusterNode');
export interface ClusterNode {
  readonly settings: ClusterSettings;
  /** Redis reachable, events subscribed, heartbeat running: before any lifecycle service starts. */
  connect(): Promise<void>;
  /** A worker takes jobs from the queue; a gateway answers the workers' sends. After the lifecycle services started. */
  serve(): Promise<void>;
  /** Tells the others which platform connections this process holds (after its adapters started). */
  announce(adapters: readonly ChatAdapter[]): Promise<void>;
  /** Keeps an adapter's conversation references in step with the other gateways. */
  follow(adapter: ChatAdapter): Disposable[];
  /** Takes no more jobs and waits for the running ones: before the services stop. */
  stopServing(): Promise<void>;
  /** Leaves the cluster and closes the Redis connections: last. */
  disconnect(): Promise<void>;
}

@injectable()
export class ClusterNodeImpl implements ClusterNode {
  private readonly subscriptions: Disposable[] = [];
  private readonly logger: Logger;
  private connected = false;

  constructor(
    @inject(ClusterSettings) readonly settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(ClusterBus) private readonly bus: ClusterBus,
    @inject(NodePresence) private readonly presence: NodePresence,
    @inject(NodeInbox) private readonly inbox: NodeInbox,
    @inject(NodeRpc) private readonly rpc: NodeRpc,
    @inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @inject(JobRunner) private readonly runner: JobRunner,
    @inject(ClusterMessenger) private readonly messenger: ClusterMessenger,
    @inject(ClusterMetrics) private readonly metrics: ClusterMetrics,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(CommandExecutorImpl) private readonly localExecutor: CommandExecutor,
    @inject(PluginManager) private readonly plugins: PluginManager,
    @inject(Readiness) private readonly readiness: Readiness,
    @inject(Logger) logger: Logger,
    @inject(ConfigReloader) @optional() private readonly reloader?: ConfigReloader,
  ) {
    this.logger = logger.child({ component: 'cluster', node: settings.nodeId });
  }

  async connect(): Promise<void> {
    await this.redis.ping();
    this.connected = true;
    await this.bus.start();
    await this.presence.start();
    this.inbox.start();
    this.rpc.start();
    this.subscriptions.push(this.readiness.add({ name: 'redis', check: () => this.redisState() }));
    if (this.reloader) this.subscriptions.push(...relayConfigReloads(this.reloader, this.bus, this.logger));
    this.logger.info({ role: this.settings.role, redis: this.redis.target }, 'joined the opsroom cluster');
  }

  async serve(): Promise<void> {
    if (!this.settings.serves) return;
    this.dispatcher.start();
    this.metrics.trackQueue(() => this.dispatcher.depth());
    if (holdsConnections(this.settings)) this.subscriptions.push(this.messenger.serve());
    if (runsInvocations(this.settings)) {
      this.subscriptions.push(
        this.runner.handle('command', commandJobHandler(this.registry, this.localExecutor)),
        this.runner.handle('plugin.event', pluginEventHandler(this.plugins)),
        this.runner.handle('plugin.admin', pluginAdminHandler(this.plugins)),
      );
      await this.runner.start();
    }
  }

  async announce(adapters: readonly ChatAdapter[]): Promise<void> {
    await this.presence.announce(adapters.map((a) => a.platform));
  }

  follow(adapter: ChatAdapter): Disposable[] {
    const restore = adapter.restoreReferences?.bind(adapter);
    const capture = adapter.onDidCaptureReference?.bind(adapter);
    if (!restore || !capture) return [];
    const { platform } = adapter;
    return [
      capture((reference) => {
        this.bus.publish({ kind: 'reference.captured', platform, reference }).catch((err: unknown) => {
          this.logger.warn({ err, platform }, 'could not tell the other gateways about a new conversation reference; they load it at their next start');
        });
      }),
      this.bus.on('reference.captured', (event) => {
        if (event.platform === platform) restore([event.reference]);
      }),
    ];
  }

  async stopServing(): Promise<void> {
    await this.runner.stop();
  }

  async disconnect(): Promise<void> {
    if (!this.connected) {
      await this.redis.close();
      return;
    }
    this.connected = false;
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await this.runner.stop();
    this.rpc.stop();
    await this.dispatcher.stop();
    await this.inbox.stop();
    await this.presence.stop().catch(() => undefined);
    await this.bus.stop();
    await this.redis.close();
    this.logger.info('left the opsroom cluster');
  }

  private async redisState(): Promise<string> {
    await this.redis.ping();
    const nodes = this.presence.nodes();
    const gateways = nodes.filter((n) => n.gateway).length;
    const workers = nodes.filter((n) => n.worker).length;
    return `ok (${this.settings.role}; ${gateways} gateway${gateways === 1 ? '' : 's'} and ${workers} worker${workers === 1 ? '' : 's'} alive)`;
  }
}

import type { Container, ContainerModule } from 'inversify';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { AuditLog } from '../audit/audit-log.js';
import type { ConfigSource } from '../automation/config-source.js';
import { ClusterNode } from '../cluster/cluster-node.js';
import { clusterSettingsOf, holdsConnections, type ClusterSettings, type ProcessRole } from '../cluster/cluster-settings.js';
import type { AdapterContext, AdapterPackage, ChatAdapter } from '../core/chat-adapter.js';
import { Clock } from '../core/clock.js';
import type { Disposable } from '../core/disposable.js';
import { LifecycleContribution } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { HealthRoutes } from '../http/health-routes.js';
import { HttpServer } from '../http/http-server.js';
import { Readiness } from '../http/readiness.js';
import { WebConsole } from '../http/console/web-console.js';
import { LocalChatHub, localHubOf } from '../core/local-chat-hub.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { Messenger } from '../routing/messenger.js';
import { Router } from '../routing/router.js';
import { Wishlist } from '../routing/wishlist.js';
import { ConversationReferenceStore } from '../storage/conversation-reference-store.js';
import { Database, openDatabase } from '../storage/database.js';
import { AdapterHooks } from './adapter-hooks.js';
import { adapterReadiness } from './adapter-readiness.js';
import { loadAdapterPackage } from './adapter-loader.js';
import { teamsAdapterSettings } from './adapter-settings.js';
import { feedCommands } from './command-feed.js';
import { discordAdapterSettings } from './discord-adapter-settings.js';
import { createContainer } from './create-container.js';

export interface AppOptions {
  config: OpsroomConfig;
  logger: Logger;
  /** Adapters made by the caller (tests: a fake); otherwise the ones the configuration enables. */
  adapters?: ChatAdapter[];
  io?: AdapterContext['io'];
  /** Start the HTTP server (off for the scripted shell, so it never fights a running instance for the port). */
  http?: boolean;
  extraModules?: ContainerModule[];
  /** Adapter packages to use instead of loading them by name (a test wraps the real one to give it stand-in credentials). */
  adapterPackages?: Record<string, AdapterPackage>;
  /** Where the configuration came from, so its `commands` can be reloaded without a restart. */
  configSource?: ConfigSource;
  /**
   * What `opsroom start` runs as (`all`, `gateway`, `worker`); absent for a one-shot command. With REDIS_URL set a
   * process joins the cluster: as a server in its role, or, for a one-shot command, only to tell the others its changes.
   */
  role?: ProcessRole;
}

/** One running opsroom: storage, the container, HTTP and adapters, started and stopped in order. */
export class OpsroomApp {
  private readonly subscriptions: Disposable[] = [];
  private readonly adapters: ChatAdapter[] = [];
  private readonly started: LifecycleContribution[] = [];
  private hooks: AdapterHooks | undefined;
  private webConsole: WebConsole | undefined;
  private stopping: Promise<void> | undefined;
  private cluster: ClusterNode | undefined;
  container!: Container;
  httpAddress: AddressInfo | undefined;

  private constructor(
    private readonly options: AppOptions,
    private readonly database: Database,
    private readonly clusterSettings: ClusterSettings | undefined,
  ) {}

  static async start(options: AppOptions): Promise<OpsroomApp> {
    const clusterSettings = clusterSettingsOf(options.config, options.role);
    const database = await openDatabase(options.config.storage, options.logger);
    const app = new OpsroomApp(options, database, clusterSettings);
    try {
      await app.boot();
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  /** This process's name in the cluster, or undefined when it runs alone. */
  get nodeId(): string | undefined {
    return this.clusterSettings?.nodeId;
  }

  get<T>(token: symbol): T {
    return this.container.get<T>(token);
  }

  /** Adapters whose input can end by itself (the scripted console). */
  finished(): Promise<void> {
    return Promise.all(this.adapters.map((a) => a.finished).filter((f) => f !== undefined)).then(() => undefined);
  }

  private async boot(): Promise<void> {
    const { config, logger } = this.options;
    this.container = createContainer({
      config, logger, database: this.database, extraModules: this.options.extraModules, configSource: this.options.configSource,
      cluster: this.clusterSettings,
    });
    // Joined before any service starts, so no change another process makes meanwhile goes unheard.
    if (this.clusterSettings) {
      this.cluster = this.container.get<ClusterNode>(ClusterNode);
      await this.cluster.connect();
    }
    const registry = this.container.get<CommandRegistry>(CommandRegistry);
    for (const builtin of this.container.getAll<BuiltinCommand>(BuiltinCommand, { optional: true })) {
      this.subscriptions.push(registry.register('core', builtin.spec, (invocation) => builtin.run(invocation)));
    }
    this.container.get<Wishlist>(Wishlist).watch();
    for (const service of this.container.getAll<LifecycleContribution>(LifecycleContribution, { optional: true })) {
      await service.start();
      this.started.push(service);
    }
    await this.cluster?.serve();
    if (this.options.http !== false && config.http.enabled) {
      this.container.get<HealthRoutes>(HealthRoutes).install();
      this.httpAddress = await this.container.get<HttpServer>(HttpServer).listen();
      logger.info({ address: this.httpAddress }, 'http server listening');
    }
    // A worker holds no platform connection: its HTTP server answers health and metrics only.
    const worker = this.clusterSettings?.serves === true && !holdsConnections(this.clusterSettings);
    if (!worker) await this.startAdapters();
    await this.cluster?.announce(this.adapters);
  }

  private async startAdapters(): Promise<void> {
    const adapters = this.options.adapters ?? (await this.configuredAdapters());
    this.installConsole(adapters);
    const messenger = this.container.get<Messenger>(Messenger);
    const router = this.container.get<Router>(Router);
    const hooks = this.adapterHooks();
    for (const adapter of adapters) {
      this.subscriptions.push(messenger.attach(adapter), adapter.onDidReceiveEvent((event) => router.handle(event)));
      this.subscriptions.push(...(await hooks.attach(adapter)));
      this.subscriptions.push(feedCommands(this.container.get<CommandRegistry>(CommandRegistry), adapter, this.options.logger));
      this.subscriptions.push(...(this.cluster?.follow(adapter) ?? []));
      await adapter.start();
      this.subscriptions.push(this.container.get<Readiness>(Readiness).add(adapterReadiness(adapter)));
      this.adapters.push(adapter);
      this.options.logger.info({ platform: adapter.platform }, 'adapter started');
    }
  }

  private adapterHooks(): AdapterHooks {
    this.hooks = new AdapterHooks({
      http: this.httpAddress ? this.container.get<HttpServer>(HttpServer) : undefined,
      references: this.container.get<ConversationReferenceStore>(ConversationReferenceStore),
      audit: this.container.get<AuditLog>(AuditLog), clock: this.container.get<Clock>(Clock), logger: this.options.logger,
    });
    return this.hooks;
  }

  /** The web console is the web side of the local adapter: it runs when that adapter and the HTTP server do. */
  private installConsole(adapters: ChatAdapter[]): void {
    const hub = adapters.map(localHubOf).find((h) => h !== undefined);
    if (!hub || !this.httpAddress || !this.options.config.http.console.enabled) return;
    this.container.bind(LocalChatHub).toConstantValue(hub);
    this.webConsole = this.container.get<WebConsole>(WebConsole);
    this.webConsole.install();
  }

  /** A fresh one-time login link for the web console, or undefined when it is not running. */
  consoleLoginUrl(): string | undefined {
    return this.webConsole?.loginUrl();
  }

  private async adapterPackage(name: string): Promise<AdapterPackage> {
    return this.options.adapterPackages?.[name] ?? loadAdapterPackage(name);
  }

  private async configuredAdapters(): Promise<ChatAdapter[]> {
    const { config, logger } = this.options;
    const adapters: ChatAdapter[] = [];
    if (config.adapters.local.enabled && this.options.io) {
      const pkg = await this.adapterPackage('local');
      adapters.push(await pkg.createAdapter({
        settings: config.adapters.local, botName: config.bot.name, logger: logger.child({ platform: 'local' }), io: this.options.io,
      }));
    }
    if (config.adapters.discord.enabled) {
      const pkg = await this.adapterPackage('discord');
      adapters.push(await pkg.createAdapter({
        settings: discordAdapterSettings(config.adapters.discord), botName: config.bot.name, logger: logger.child({ platform: 'discord' }),
        io: this.options.io ?? noConsole(),
      }));
    }
    if (config.adapters.teams.enabled) {
      const pkg = await this.adapterPackage('teams');
      adapters.push(await pkg.createAdapter({
        settings: teamsAdapterSettings(config.adapters.teams), botName: config.bot.name, logger: logger.child({ platform: 'teams' }),
        io: this.options.io ?? noConsole(),
      }));
    }
    return adapters;
  }

  /** Graceful: stop taking events, finish commands in flight (bounded), close HTTP and storage. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { logger, config } = this.options;
    if (this.container) {
      // The router refuses new events at once, then waits for the ones in flight, whose replies still need the adapters;
      // meanwhile a worker finishes the jobs it took (their answers still travel through Redis) and takes no more.
      const [drained] = await Promise.all([
        this.container.get<Router>(Router).drain(config.shutdown.timeoutMs),
        this.cluster?.stopServing().catch((err: unknown) => logger.warn({ err }, 'the invocation queue worker did not stop cleanly')),
      ]);
      if (!drained) logger.warn({ timeoutMs: config.shutdown.timeoutMs }, 'commands still running at shutdown were abandoned');
    }
    for (const adapter of this.adapters.splice(0).reverse()) {
      await adapter.stop().catch((err: unknown) => logger.warn({ err, platform: adapter.platform }, 'adapter did not stop cleanly'));
    }
    await this.hooks?.flush();
    for (const service of this.started.splice(0).reverse()) {
      await service.stop().catch((err: unknown) => logger.warn({ err, service: service.name }, 'service did not stop cleanly'));
    }
    this.webConsole?.close();
    if (this.container?.isBound(HttpServer)) await this.container.get<HttpServer>(HttpServer).close();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    if (this.container?.isBound(AuditLog)) await this.container.get<AuditLog>(AuditLog).flush().catch(() => undefined);
    await this.cluster?.disconnect().catch((err: unknown) => logger.warn({ err }, 'did not leave the cluster cleanly'));
    await this.database.close();
    logger.info('opsroom stopped');
  }
}

/** What a network adapter gets for a console it never uses: nothing to read, and writes go nowhere. */
function noConsole(): AdapterContext['io'] {
  return { input: Readable.from([]), output: new Writable({ write: (_chunk, _encoding, done) => done() }), interactive: false };
}

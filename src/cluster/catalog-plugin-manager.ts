import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import type { Disposable } from '../core/disposable.js';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { Readiness } from '../http/readiness.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import type { PluginStatus } from '../plugins/plugin-status.js';
import { CommandRegistry } from '../routing/command-registry.js';
import type { SandboxEntry } from '../sandbox/sandbox-host.js';
import { ClusterBus } from './cluster-bus.js';
import { JobDispatcher } from './job-dispatcher.js';
import { ClusterSettings } from './cluster-settings.js';
import { jobIdOf } from './job-protocol.js';
import { PluginCatalog, type CatalogCommand, type CatalogSnapshot } from './plugin-catalog.js';
import type { PluginAdminRequest, PluginEventJob } from './plugin-job-handlers.js';

interface Mirrored {
  signature: string;
  registrations: Disposable[];
}

/**
 * The plugins as a gateway knows them: it holds no sandbox, so it mirrors the catalog the workers publish (plugin
 * states, and commands to parse, gate and freeze), and hands every change and every plugin event to a worker.
 */
@injectable()
export class CatalogPluginManager implements PluginManager {
  readonly name = 'plugins';
  private snapshot: CatalogSnapshot | undefined;
  private readonly mirrored = new Map<string, Mirrored>();
  private readonly subscriptions: Disposable[] = [];
  private refreshing: Promise<void> = Promise.resolve();
  /** Wakes a start that waits for the first catalog. */
  private arrived: (() => void) | undefined;
  private readonly logger: Logger;

  constructor(
    @inject(PluginCatalog) private readonly catalog: PluginCatalog,
    @inject(ClusterBus) private readonly bus: ClusterBus,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(Readiness) private readonly readiness: Readiness,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'cluster' });
  }

  async start(): Promise<void> {
    this.subscriptions.push(
      this.bus.on('catalog.changed', () => this.refresh()),
      this.bus.onDidResubscribe(() => this.refresh()),
      this.readiness.add({ name: 'plugins', check: async () => this.catalogState() }),
    );
    await this.refresh();
    if (!this.snapshot) await this.waitForCatalog();
  }

  /**
   * A gateway that connected to chat before any worker published its plugins would answer every plugin command with
   * "there is no command": at a cold start of the whole cluster it waits a while for the first catalog instead.
   */
  private async waitForCatalog(): Promise<void> {
    const waitMs = this.settings.catalogWaitMs;
    this.logger.info({ waitMs }, 'no worker has published its plugins yet; waiting for one before connecting to chat');
    let timer: NodeJS.Timeout | undefined;
    const arrived = await new Promise<boolean>((resolve) => {
      this.arrived = () => resolve(true);
      timer = setTimeout(() => resolve(false), waitMs);
    }).finally(() => {
      clearTimeout(timer);
      this.arrived = undefined;
    });
    if (arrived) this.logger.info({ worker: this.snapshot?.publishedBy }, 'a worker published its plugins; their commands are known here');
    else this.logger.warn({ waitMs }, 'no worker published its plugins in time; connecting to chat without plugin commands, which appear as soon as a worker starts (cluster.catalogWaitMs sets the wait)');
  }

  private catalogState(): string {
    if (!this.snapshot) throw new Error('no worker has published its plugins yet, so this gateway knows no plugin command; start a worker (opsroom start --role worker)');
    const count = this.snapshot.plugins.length;
    return `ok (${count} plugin${count === 1 ? '' : 's'} from the workers' catalog)`;
  }

  async stop(): Promise<void> {
    this.arrived?.();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await this.refreshing;
    for (const mirrored of this.mirrored.values()) for (const registration of mirrored.registrations) registration.dispose();
    this.mirrored.clear();
  }

  list(): PluginStatus[] {
    return [...(this.snapshot?.plugins ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  info(name: string): PluginStatus | undefined {
    return this.snapshot?.plugins.find((p) => p.name === name);
  }

  grant(name: string, grant: string, actor: string): Promise<PluginStatus> {
    return this.admin({ op: 'grant', name, grant, actor }) as Promise<PluginStatus>;
  }

  revoke(name: string, grant: string, actor: string): Promise<PluginStatus> {
    return this.admin({ op: 'revoke', name, grant, actor }) as Promise<PluginStatus>;
  }

  setEnabled(name: string, enabled: boolean, actor: string): Promise<PluginStatus> {
    return this.admin({ op: 'setEnabled', name, enabled, actor }) as Promise<PluginStatus>;
  }

  reload(name: string): Promise<PluginStatus> {
    return this.admin({ op: 'reload', name }) as Promise<PluginStatus>;
  }

  add(dir: string): Promise<PluginStatus> {
    return this.admin({ op: 'add', dir: resolve(dir) }) as Promise<PluginStatus>;
  }

  async remove(name: string): Promise<void> {
    await this.admin({ op: 'remove', name });
  }

  deliver(name: string, entry: Exclude<SandboxEntry, { kind: 'command' }>, payload: unknown): Promise<unknown> {
    const job: PluginEventJob = { plugin: name, entry, payload };
    return this.dispatcher.run('plugin.event', jobIdOf('plugin.event', randomUUID()), job);
  }

  /** The worker that makes the change publishes the catalog before it answers, so reading it now sees the change. */
  private async admin(request: PluginAdminRequest): Promise<unknown> {
    const result = await this.dispatcher.run('plugin.admin', jobIdOf('plugin.admin', randomUUID()), request);
    await this.refresh();
    return result ?? undefined;
  }

  private refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.load()).catch((err: unknown) => {
      this.logger.error({ err }, 'could not read the plugin catalog; plugin commands stay as they were');
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const snapshot = await this.catalog.read();
    if (!snapshot) return;
    this.snapshot = snapshot;
    this.arrived?.();
    const byPlugin = new Map<string, CatalogCommand[]>();
    for (const command of snapshot.commands) byPlugin.set(command.plugin, [...(byPlugin.get(command.plugin) ?? []), command]);
    const signatures = new Map([...byPlugin].map(([plugin, commands]) => [plugin, JSON.stringify(commands)]));
    // Everything that changed goes first, so a command that moved between plugins never meets itself.
    for (const [plugin, mirrored] of [...this.mirrored]) {
      if (signatures.get(plugin) === mirrored.signature) continue;
      for (const registration of mirrored.registrations) registration.dispose();
      this.mirrored.delete(plugin);
    }
    for (const [plugin, commands] of byPlugin) {
      if (this.mirrored.has(plugin)) continue;
      this.mirrored.set(plugin, { signature: signatures.get(plugin) as string, registrations: commands.flatMap((c) => this.register(c)) });
    }
  }

  private register(command: CatalogCommand): Disposable[] {
    try {
      return [this.registry.register(command.plugin, command.spec, async () => {
        throw new OpsroomError('E_INTERNAL', `${command.spec.name} runs on a worker; a gateway hands plugin commands to the queue`);
      }, { fingerprint: () => command.fingerprint })];
    } catch (err) {
      this.logger.warn({ err, plugin: command.plugin, command: command.spec.name }, 'a plugin command of the catalog cannot be registered on this gateway');
      return [];
    }
  }
}

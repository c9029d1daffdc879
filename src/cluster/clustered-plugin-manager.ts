import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import type { Disposable } from '../core/disposable.js';
import { UserError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { PluginManagerImpl, type PluginManager } from '../plugins/plugin-manager.js';
import type { PluginStatus } from '../plugins/plugin-status.js';
import { CommandRegistry } from '../routing/command-registry.js';
import type { SandboxEntry } from '../sandbox/sandbox-host.js';
import { ClusterBus } from './cluster-bus.js';
import type { ClusterEventOf } from './cluster-events.js';
import { ClusterSettings, runsInvocations } from './cluster-settings.js';
import { PluginCatalog, snapshotOf } from './plugin-catalog.js';

type PluginChange = ClusterEventOf<'plugins.changed'>;

/**
 * The plugin manager of a process that holds plugins, in a cluster: every change made here is published so the
 * other processes apply it too (from the database, which already holds it), and a worker republishes the catalog
 * the gateways mirror after every change, its own or another's.
 */
@injectable()
export class ClusteredPluginManager implements PluginManager {
  readonly name = 'plugins';
  private readonly subscriptions: Disposable[] = [];
  private readonly logger: Logger;

  constructor(
    @inject(PluginManagerImpl) private readonly inner: PluginManager,
    @inject(ClusterBus) private readonly bus: ClusterBus,
    @inject(PluginCatalog) private readonly catalog: PluginCatalog,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'cluster' });
  }

  async start(): Promise<void> {
    this.subscriptions.push(
      this.bus.on('plugins.changed', (event) => this.apply(event)),
      this.bus.onDidResubscribe(() => this.publishCatalog()),
    );
    await this.inner.start();
    await this.publishCatalog();
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await this.inner.stop();
  }

  list(): PluginStatus[] {
    return this.inner.list();
  }

  info(name: string): PluginStatus | undefined {
    return this.inner.info(name);
  }

  deliver(name: string, entry: Exclude<SandboxEntry, { kind: 'command' }>, payload: unknown): Promise<unknown> {
    return this.inner.deliver(name, entry, payload);
  }

  async grant(name: string, grant: string, actor: string): Promise<PluginStatus> {
    return this.changed(await this.inner.grant(name, grant, actor), { kind: 'plugins.changed', op: 'reload', name });
  }

  async revoke(name: string, grant: string, actor: string): Promise<PluginStatus> {
    return this.changed(await this.inner.revoke(name, grant, actor), { kind: 'plugins.changed', op: 'reload', name });
  }

  async setEnabled(name: string, enabled: boolean, actor: string): Promise<PluginStatus> {
    return this.changed(await this.inner.setEnabled(name, enabled, actor), { kind: 'plugins.changed', op: 'reload', name });
  }

  async reload(name: string): Promise<PluginStatus> {
    return this.changed(await this.inner.reload(name), { kind: 'plugins.changed', op: 'reload', name });
  }

  async add(dir: string): Promise<PluginStatus> {
    return this.changed(await this.inner.add(dir), { kind: 'plugins.changed', op: 'add', dir: resolve(dir) });
  }

  async remove(name: string): Promise<void> {
    await this.inner.remove(name);
    await this.changed(undefined, { kind: 'plugins.changed', op: 'remove', name });
  }

  private async changed<T>(result: T, event: PluginChange): Promise<T> {
    try {
      await this.bus.publish(event);
    } catch (err) {
      this.logger.error({ err, change: event }, 'could not tell the other opsroom processes about a plugin change; they apply it at their next restart');
    }
    await this.publishCatalog();
    return result;
  }

  /** Another process changed a plugin: the database already says how it is now. */
  private async apply(event: PluginChange): Promise<void> {
    if (event.op === 'add') await this.addHere(event.dir);
    else if (this.inner.info(event.name) === undefined) this.logger.warn({ plugin: event.name, op: event.op }, 'another opsroom process changed a plugin this one does not have');
    else if (event.op === 'remove') await this.inner.remove(event.name);
    else await this.inner.reload(event.name);
    await this.publishCatalog();
  }

  private async addHere(dir: string): Promise<void> {
    if (!existsSync(dir)) {
      this.logger.error({ dir }, 'another opsroom process installed a plugin into a folder this one cannot see; share plugins.installDir between them (one volume), or run `opsroom plugin sync` here');
      return;
    }
    try {
      await this.inner.add(dir);
    } catch (error) {
      // An upgrade in place: the plugin of that name is loaded here already, from its old code.
      const loaded = this.inner.list().find((p) => p.dir === dir);
      if (!(error instanceof UserError) || !loaded) throw error;
      await this.inner.reload(loaded.name);
    }
  }

  private async publishCatalog(): Promise<void> {
    if (!runsInvocations(this.settings)) return;
    try {
      await this.catalog.publish(snapshotOf(this.settings.nodeId, this.inner.list(), this.registry));
    } catch (err) {
      this.logger.error({ err }, 'could not publish the plugin catalog; the gateways keep the one they have');
    }
  }
}

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import { CapabilityBroker } from '../capabilities/capability-broker.js';
import { SecretHandles } from '../capabilities/secrets/secret-handles.js';
import { SecretStore } from '../capabilities/secrets/secret-store.js';
import { Scheduler } from '../capabilities/schedule/scheduler.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { type Disposable } from '../core/disposable.js';
import { OpsroomError, UserError } from '../core/errors.js';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Logger } from '../core/logger.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { SandboxHost, type PluginLimits, type SandboxEntry } from '../sandbox/sandbox-host.js';
import { GrantStore } from './grant-store.js';
import { effectiveGrants, grantedSet, isGrantable, requestedGrants } from './plugin-grants.js';
import { PluginInvoker, type PluginRuntime } from './plugin-invoker.js';
import { discoverPluginFolders, readPluginFolder, type PluginDefinition } from './plugin-source.js';
import type { PluginStatus } from './plugin-status.js';
import { commandSpecOf, functionNameFor } from './plugin-commands-spec.js';

interface Entry {
  status: PluginStatus;
  definition?: PluginDefinition;
  runtime?: PluginRuntime;
  registrations: Disposable[];
}

export const BUNDLED_PLUGINS_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url));

/** Loads plugins into sandboxes, registers their commands, and applies grants and enable/disable at runtime. */
export const PluginManager = Symbol('PluginManager');
export interface PluginManager extends LifecycleContribution {
  list(): PluginStatus[];
  info(name: string): PluginStatus | undefined;
  grant(name: string, grant: string, actor: string): Promise<PluginStatus>;
  revoke(name: string, grant: string, actor: string): Promise<PluginStatus>;
  setEnabled(name: string, enabled: boolean, actor: string): Promise<PluginStatus>;
  /** Delivers a webhook or schedule event to a loaded plugin. */
  deliver(name: string, entry: Exclude<SandboxEntry, { kind: 'command' }>, payload: unknown): Promise<unknown>;
  reload(name: string): Promise<PluginStatus>;
  /** Loads a plugin folder that was installed while running; the grant store decides whether it is enabled. */
  add(dir: string): Promise<PluginStatus>;
  /** Unloads a plugin, drops its schedules and forgets it; its folder, grants and storage are the caller's. */
  remove(name: string): Promise<void>;
}

@injectable()
export class PluginManagerImpl implements PluginManager {
  readonly name = 'plugins';
  private readonly entries = new Map<string, Entry>();
  private readonly invoker: PluginInvoker;

  constructor(
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(SandboxHost) private readonly sandbox: SandboxHost,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(GrantStore) private readonly grants: GrantStore,
    @inject(SecretStore) private readonly secrets: SecretStore,
    @inject(Scheduler) private readonly scheduler: Scheduler,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Logger) private readonly logger: Logger,
    @inject(CapabilityBroker) broker: CapabilityBroker,
    @inject(RbacService) rbac: RbacService,
  ) {
    this.invoker = new PluginInvoker(sandbox, broker, rbac);
  }

  async start(): Promise<void> {
    const paths = [...this.config.plugins.paths, this.config.plugins.installDir];
    const folders = discoverPluginFolders(this.config.plugins.bundled ? BUNDLED_PLUGINS_DIR : undefined, paths);
    for (const folder of folders) await this.loadFolder(folder.dir, folder.bundled);
    await this.scheduler.start(async (job) => {
      await this.deliver(job.plugin, { kind: 'schedule' }, job);
    });
    const loaded = this.list().filter((p) => p.state === 'loaded').length;
    this.logger.info({ loaded, failed: this.list().filter((p) => p.state === 'failed').map((p) => p.name) }, 'plugins loaded');
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    for (const entry of this.entries.values()) this.unregister(entry);
    await this.sandbox.dispose();
  }

  list(): PluginStatus[] {
    return [...this.entries.values()].map((e) => e.status).sort((a, b) => a.name.localeCompare(b.name));
  }

  info(name: string): PluginStatus | undefined {
    return this.entries.get(name)?.status;
  }

  async grant(name: string, grant: string, actor: string): Promise<PluginStatus> {
    const definition = this.definitionOf(name);
    const wanted = grant === 'all' ? requestedGrants(definition.manifest.capabilities).filter((g) => g !== 'net:*') : [grant];
    for (const g of wanted) {
      if (!isGrantable(definition.manifest.capabilities, g)) {
        const asks = requestedGrants(definition.manifest.capabilities);
        throw new UserError('E_BAD_ARGS', `${name} does not ask for ${g}; it asks for ${asks.length > 0 ? asks.join(', ') : 'no capabilities'}`);
      }
    }
    for (const g of wanted) await this.grants.set(name, definition.manifest.version, g, 'granted', actor);
    await this.audit.append({ action: 'plugin.granted', actor, detail: { plugin: name, version: definition.manifest.version, grants: wanted } });
    return this.reload(name);
  }

  async revoke(name: string, grant: string, actor: string): Promise<PluginStatus> {
    const definition = this.definitionOf(name);
    const current = this.entries.get(name)?.status.granted ?? [];
    const wanted = grant === 'all' ? current : [grant];
    if (grant !== 'all' && !current.includes(grant)) {
      throw new UserError('E_BAD_ARGS', `${name} does not hold ${grant}; it holds ${current.length > 0 ? current.join(', ') : 'no grants'}`);
    }
    for (const g of wanted) await this.grants.set(name, definition.manifest.version, g, 'revoked', actor);
    await this.audit.append({ action: 'plugin.revoked', actor, detail: { plugin: name, version: definition.manifest.version, grants: wanted } });
    return this.reload(name);
  }

  async setEnabled(name: string, enabled: boolean, actor: string): Promise<PluginStatus> {
    this.definitionOf(name);
    await this.grants.setEnabled(name, enabled, actor);
    await this.audit.append({ action: enabled ? 'plugin.enabled' : 'plugin.disabled', actor, detail: { plugin: name } });
    return this.reload(name);
  }

  async deliver(name: string, entry: Exclude<SandboxEntry, { kind: 'command' }>, payload: unknown): Promise<unknown> {
    const loaded = this.entries.get(name);
    if (!loaded?.runtime || loaded.status.state !== 'loaded') throw new OpsroomError('E_NOT_FOUND', `plugin ${name} is not loaded`);
    return this.invoker.event(loaded.runtime, entry, payload);
  }

  async reload(name: string): Promise<PluginStatus> {
    const entry = this.entries.get(name);
    if (!entry) throw new UserError('E_NOT_FOUND', `there is no plugin ${name}`);
    this.unregister(entry);
    this.entries.delete(name);
    await this.sandbox.unload(name);
    await this.loadFolder(entry.status.dir, entry.status.bundled);
    return this.entries.get(name)?.status ?? entry.status;
  }

  async add(dir: string): Promise<PluginStatus> {
    const full = resolve(dir);
    await this.loadFolder(full, false);
    const added = [...this.entries.values()].find((e) => e.status.dir === full);
    if (!added) throw new UserError('E_BAD_ARGS', `${full} could not be loaded: another plugin of the same name is loaded`);
    return added.status;
  }

  async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new UserError('E_NOT_FOUND', `there is no plugin ${name}`);
    this.unregister(entry);
    this.entries.delete(name);
    await this.sandbox.unload(name);
    await this.scheduler.removeAll(name);
  }

  private definitionOf(name: string): PluginDefinition {
    const entry = this.entries.get(name);
    if (!entry) {
      const known = [...this.entries.keys()].sort();
      throw new UserError('E_NOT_FOUND', `there is no plugin ${name}${known.length > 0 ? ` (plugins: ${known.join(', ')})` : ''}`);
    }
    if (!entry.definition) throw new UserError('E_BAD_ARGS', `plugin ${name} could not be read: ${entry.status.problems.join('; ')}`);
    return entry.definition;
  }

  private async loadFolder(dir: string, bundled: boolean): Promise<void> {
    const read = readPluginFolder(dir, bundled);
    if (!read.ok) {
      this.fail({ name: read.name, dir, bundled }, read.problems, undefined);
      return;
    }
    const { plugin } = read;
    const name = plugin.manifest.name;
    const other = this.entries.get(name);
    if (other) {
      this.logger.warn({ plugin: name, dir, loadedFrom: other.status.dir }, 'duplicate plugin name');
      return;
    }
    const status = this.baseStatus(plugin);
    const entry: Entry = { status, definition: plugin, registrations: [] };
    this.entries.set(name, entry);
    const changes = await this.grants.changes(name);
    const granted = grantedSet(plugin.manifest.capabilities, this.config.plugins.grants[name], changes);
    status.granted = [...granted].sort();
    if ((await this.grants.enabled(name)) === false) {
      status.state = 'disabled';
      return;
    }
    try {
      await this.activate(entry, plugin, granted);
      status.state = 'loaded';
    } catch (error) {
      this.unregister(entry);
      await this.sandbox.unload(name).catch(() => undefined);
      status.state = 'failed';
      status.problems = [error instanceof Error ? error.message : String(error)];
      this.logger.warn({ plugin: name, problems: status.problems }, 'plugin failed to load; running on without it');
    }
  }

  private async activate(entry: Entry, plugin: PluginDefinition, granted: Set<string>): Promise<void> {
    const { manifest } = plugin;
    const limits = this.limitsOf(manifest.limits);
    entry.status.limits = limits;
    const report = await this.sandbox.load({ name: manifest.name, version: manifest.version, source: plugin.source, limits });
    entry.status.loadMs = report.loadMs;
    const grants = effectiveGrants(manifest.capabilities, granted);
    const runtime: PluginRuntime = {
      name: manifest.name, grants,
      handles: new SecretHandles(manifest.name, grants.secrets, this.secrets),
      config: { ...(manifest.config ?? {}), ...(this.config.plugins.config[manifest.name] ?? {}) },
    };
    if (manifest.events.includes('webhook') && !report.hasOnWebhook) throw new OpsroomError('E_PLUGIN_LOAD', `${manifest.name}: plugin.json lists the webhook event but index.js exports no onWebhook`);
    if (manifest.events.includes('schedule') && !report.hasOnSchedule) throw new OpsroomError('E_PLUGIN_LOAD', `${manifest.name}: plugin.json lists the schedule event but index.js exports no onSchedule`);
    const fingerprint = `${manifest.name}@${manifest.version}#${plugin.digest.slice(0, 16)}#${[...granted].sort().join(',')}`;
    for (const command of manifest.commands) {
      const fn = functionNameFor(command.name, report.commands);
      if (!fn) throw new OpsroomError('E_PLUGIN_LOAD', `${manifest.name}: plugin.json declares the command "${command.name}" but index.js exports no function commands["${command.name}"]`);
      entry.registrations.push(this.registry.register(manifest.name, commandSpecOf(command, manifest.name), (invocation) => this.invoker.command(runtime, fn, invocation), { fingerprint: () => fingerprint }));
    }
    entry.runtime = runtime;
    if (report.hasSetup) await this.invoker.event(runtime, { kind: 'setup' }, {});
  }

  private limitsOf(asked: { memoryMb?: number; cpuMs?: number; wallMs?: number }): PluginLimits {
    const operator = this.config.plugins.limits;
    return {
      memoryMb: Math.min(operator.memoryMb, asked.memoryMb ?? operator.memoryMb),
      cpuMs: Math.min(operator.cpuMs, asked.cpuMs ?? operator.cpuMs),
      wallMs: Math.min(operator.wallMs, asked.wallMs ?? operator.wallMs),
    };
  }

  private baseStatus(plugin: PluginDefinition): PluginStatus {
    const { manifest } = plugin;
    return {
      name: manifest.name, version: manifest.version, description: manifest.description, dir: plugin.dir, bundled: plugin.bundled,
      state: 'failed', problems: [], commands: manifest.commands.map((c) => c.name),
      requested: requestedGrants(manifest.capabilities), granted: [], limits: undefined, loadMs: undefined, manifest, readme: plugin.readme,
    };
  }

  private fail(where: { name: string; dir: string; bundled: boolean }, problems: string[], manifest: PluginStatus['manifest']): void {
    if (this.entries.has(where.name)) return;
    this.logger.warn({ plugin: where.name, dir: where.dir, problems }, 'plugin failed to load; running on without it');
    this.entries.set(where.name, {
      registrations: [],
      status: {
        name: where.name, version: manifest?.version ?? '?', description: manifest?.description ?? '', dir: where.dir, bundled: where.bundled,
        state: 'failed', problems, commands: [], requested: [], granted: [], limits: undefined, loadMs: undefined, manifest, readme: undefined,
      },
    });
  }

  private unregister(entry: Entry): void {
    for (const registration of entry.registrations.splice(0)) registration.dispose();
    entry.runtime = undefined;
  }
}

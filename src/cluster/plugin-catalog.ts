import { inject, injectable } from 'inversify';
import type { CommandSpec } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import type { PluginStatus } from '../plugins/plugin-status.js';
import type { CommandRegistry } from '../routing/command-registry.js';
import { ClusterBus } from './cluster-bus.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterSettings } from './cluster-settings.js';
import { RedisConnections } from './redis-connections.js';

/** A plugin command as a gateway needs it: to parse, gate and freeze an invocation, not to run it. */
export interface CatalogCommand {
  plugin: string;
  spec: CommandSpec;
  fingerprint: string;
}

/** What the workers loaded: every plugin's state and every plugin command, as the last worker to change it saw them. */
export interface CatalogSnapshot {
  publishedBy: string;
  at: string;
  plugins: PluginStatus[];
  commands: CatalogCommand[];
}

/** The catalog of a process that holds plugins: its plugin states, and the commands those plugins registered. */
export function snapshotOf(nodeId: string, plugins: PluginStatus[], registry: CommandRegistry): CatalogSnapshot {
  const names = new Set(plugins.map((p) => p.name));
  const commands = registry.all().filter((c) => names.has(c.plugin)).map((c) => ({ plugin: c.plugin, spec: c.spec, fingerprint: c.fingerprint() }));
  return { publishedBy: nodeId, at: new Date().toISOString(), plugins, commands };
}

/** The shared catalog in Redis; publishing it tells every gateway to read it again. */
export const PluginCatalog = Symbol('PluginCatalog');
export interface PluginCatalog {
  publish(snapshot: CatalogSnapshot): Promise<void>;
  read(): Promise<CatalogSnapshot | undefined>;
}

@injectable()
export class PluginCatalogImpl implements PluginCatalog {
  private readonly keys: ClusterKeys;

  constructor(
    @inject(ClusterSettings) settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(ClusterBus) private readonly bus: ClusterBus,
  ) {
    this.keys = new ClusterKeys(settings.keyPrefix);
  }

  async publish(snapshot: CatalogSnapshot): Promise<void> {
    await this.redis.commands.set(this.keys.catalog(), JSON.stringify(snapshot));
    await this.bus.publish({ kind: 'catalog.changed' });
  }

  async read(): Promise<CatalogSnapshot | undefined> {
    const text = await this.redis.commands.get(this.keys.catalog());
    if (text === null) return undefined;
    const parsed = JSON.parse(text) as Partial<CatalogSnapshot>;
    if (!Array.isArray(parsed.plugins) || !Array.isArray(parsed.commands) || typeof parsed.publishedBy !== 'string') {
      throw new OpsroomError('E_CLUSTER', `the plugin catalog in Redis (${this.keys.catalog()}) is not one this version can read`);
    }
    return parsed as CatalogSnapshot;
  }
}

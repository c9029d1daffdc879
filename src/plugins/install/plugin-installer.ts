import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { inject, injectable } from 'inversify';
import { AuditLog } from '../../audit/audit-log.js';
import { PluginKvStore } from '../../capabilities/storage/plugin-kv-store.js';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { Clock } from '../../core/clock.js';
import { UserError } from '../../core/errors.js';
import { GrantStore } from '../grant-store.js';
import { PluginManager } from '../plugin-manager.js';
import { readPluginFolder, type PluginDefinition } from '../plugin-source.js';
import type { PluginStatus } from '../plugin-status.js';
import { ArtifactFetcher, type Artifact } from './artifact-fetcher.js';
import { capabilityDiff } from './capability-diff.js';
import { InstallFolders } from './install-folders.js';
import type { InstallReport, UpgradeReport } from './install-report.js';
import { updateLock, type LockEntry } from './lock-file.js';
import { parseSource, type SourceSpec } from './source-spec.js';
import { syncFromLock, type SyncReport } from './plugin-sync.js';

/** How an artifact is put in place: a fresh `install` asks for consent again; `sync` keeps decisions already stored. */
export type PlaceMode = 'install' | 'sync';

/** Installs, upgrades and removes community plugins in `plugins.installDir`, keeping the lock file in step. */
export const PluginInstaller = Symbol('PluginInstaller');
export interface PluginInstaller {
  /** The lock file this installer keeps in step (absolute). */
  readonly lockFile: string;
  /** Installs DISABLED, with no grants; the report lists what it asks for. */
  install(source: string, actor: string): Promise<InstallReport>;
  /** Replaces the code, keeps the grants whose meaning did not change; without a source, the newest of the same origin. */
  upgrade(name: string, source: string | undefined, actor: string): Promise<UpgradeReport>;
  /** Removes code and grants, and with `purge` the plugin's storage too. */
  remove(name: string, options: { purge: boolean }, actor: string): Promise<string>;
  /** Makes the installed set exactly the lock file's: installs, upgrades and removes, checking every integrity. */
  sync(actor: string): Promise<SyncReport>;
}

@injectable()
export class PluginInstallerImpl implements PluginInstaller {
  readonly lockFile: string;
  private readonly folders: InstallFolders;
  private readonly lockDir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @inject(OpsroomConfigToken) config: OpsroomConfig,
    @inject(PluginManager) private readonly plugins: PluginManager,
    @inject(GrantStore) private readonly grants: GrantStore,
    @inject(PluginKvStore) private readonly kv: PluginKvStore,
    @inject(ArtifactFetcher) private readonly fetcher: ArtifactFetcher,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.folders = new InstallFolders(config.plugins.installDir);
    this.lockFile = resolve(config.plugins.lockFile ?? 'opsroom-plugins.lock.json');
    this.lockDir = dirname(this.lockFile);
  }

  sync(actor: string): Promise<SyncReport> {
    return this.exclusive(() => syncFromLock({
      lockFile: this.lockFile, lockDir: this.lockDir, folders: this.folders, fetcher: this.fetcher, audit: this.audit, actor,
      install: (artifact) => this.place(artifact, actor, 'sync', false),
      upgrade: (name, artifact) => this.replace(name, artifact, actor, false),
      remove: (name) => this.removeCode(name),
    }));
  }

  /** Runs one change at a time, so two installs never race for the same folder or lock file. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  install(source: string, actor: string): Promise<InstallReport> {
    return this.exclusive(async () => this.place(await this.fetcher.fetch(parseSource(source)), actor, 'install', true));
  }

  upgrade(name: string, source: string | undefined, actor: string): Promise<UpgradeReport> {
    return this.exclusive(async () => {
      const record = this.installedRecord(name);
      const spec = source === undefined ? this.sameOrigin(name, record) : parseSource(source);
      const artifact = await this.fetcher.fetch(spec);
      if (artifact.integrity === record.integrity && portableSource(artifact.source, this.lockDir) === record.source) {
        throw new UserError('E_INSTALL', `${name} ${record.version} is already installed from ${record.source}; nothing to upgrade`);
      }
      return this.replace(name, artifact, actor, true);
    });
  }

  remove(name: string, options: { purge: boolean }, actor: string): Promise<string> {
    return this.exclusive(async () => {
      const record = this.installedRecord(name);
      await this.removeCode(name);
      updateLock(this.lockFile, name, undefined);
      await this.grants.forget(name);
      const purged = options.purge ? await this.kv.purge(name) : undefined;
      await this.audit.append({ action: 'plugin.removed', actor, detail: { plugin: name, version: record.version, source: record.source, purge: options.purge, ...(purged !== undefined ? { keysPurged: purged } : {}) } });
      const storage = purged === undefined ? `its storage was kept (\`plugin remove ${name} --purge\` deletes it)` : `${purged} stored key${purged === 1 ? '' : 's'} deleted`;
      return `Removed ${name} ${record.version}: its code and grants are gone; ${storage}.`;
    });
  }

  private async place(artifact: Artifact, actor: string, mode: PlaceMode, lock: boolean): Promise<InstallReport> {
    this.folders.cleanStaging(this.clock.now());
    const staged = this.folders.stage(artifact.entries);
    let placed: string | undefined;
    try {
      const plugin = this.validate(staged);
      const { name, version } = plugin.manifest;
      this.checkFree(name);
      if (mode === 'install') await this.grants.forget(name);
      if (mode === 'install' || (await this.grants.enabled(name)) === undefined) await this.grants.setEnabled(name, false, actor);
      this.folders.place(staged, name);
      placed = name;
      const entry = lockEntryOf(artifact, version, this.lockDir);
      this.folders.writeRecord(name, entry);
      const status = await this.plugins.add(this.folders.pluginDir(name));
      if (lock) updateLock(this.lockFile, name, entry);
      await this.audit.append({ action: 'plugin.installed', actor, detail: { plugin: name, version, source: artifact.source, integrity: artifact.integrity, asks: status.requested, via: mode } });
      return { status, source: artifact.source, integrity: artifact.integrity };
    } catch (error) {
      if (placed === undefined) this.folders.discard(staged);
      else await this.removeCode(placed);
      throw error;
    }
  }

  private async replace(name: string, artifact: Artifact, actor: string, lock: boolean): Promise<UpgradeReport> {
    const before = this.plugins.info(name);
    const staged = this.folders.stage(artifact.entries);
    let plugin: PluginDefinition;
    try {
      plugin = this.validate(staged);
      if (plugin.manifest.name !== name) throw new UserError('E_INSTALL', `the new code names itself ${plugin.manifest.name}, not ${name}; nothing was changed`);
    } catch (error) {
      this.folders.discard(staged);
      throw error;
    }
    const { version } = plugin.manifest;
    const diff = capabilityDiff(before?.manifest?.capabilities ?? {}, plugin.manifest.capabilities, name);
    const revoked = diff.changed.map((c) => c.grant).filter((g) => before?.granted.includes(g));
    for (const grant of revoked) await this.grants.set(name, version, grant, 'revoked', actor);
    this.folders.swap(staged, name);
    const entry = lockEntryOf(artifact, version, this.lockDir);
    this.folders.writeRecord(name, entry);
    if (lock) updateLock(this.lockFile, name, entry);
    const status = await this.plugins.reload(name);
    await this.audit.append({
      action: 'plugin.upgraded', actor,
      detail: { plugin: name, from: before?.version ?? '?', to: version, source: artifact.source, integrity: artifact.integrity, added: diff.added.map((a) => a.grant), changed: diff.changed.map((a) => a.grant), removed: diff.removed.map((a) => a.grant), revoked },
    });
    return { status, source: artifact.source, integrity: artifact.integrity, from: before?.version ?? '?', diff, revoked };
  }

  private validate(dir: string): PluginDefinition {
    if (!existsSync(resolve(dir, 'plugin.json'))) {
      throw new UserError('E_INSTALL', 'the plugin has no plugin.json at its top (or inside its single top folder); nothing was installed');
    }
    const read = readPluginFolder(dir, false);
    if (!read.ok) throw new UserError('E_INSTALL', `the plugin is not valid; nothing was installed:\n${read.problems.map((p) => `  - ${p}`).join('\n')}`);
    return read.plugin;
  }

  private checkFree(name: string): void {
    const existing = this.plugins.info(name);
    if (existing && this.isInstalledHere(existing)) {
      throw new UserError('E_INSTALL', `${name} ${existing.version} is already installed; \`plugin upgrade ${name}\` replaces it`);
    }
    if (existing) throw new UserError('E_INSTALL', `a plugin named ${name} is already loaded from ${existing.bundled ? 'the bundled plugins' : existing.dir}; a second plugin of that name is refused`);
    if (existsSync(this.folders.pluginDir(name))) throw new UserError('E_INSTALL', `${this.folders.pluginDir(name)} already exists but is not a loaded plugin; remove that folder first`);
  }

  private installedRecord(name: string): LockEntry {
    const record = this.folders.record(name);
    if (record) return record;
    const status = this.plugins.info(name);
    if (!status) throw new UserError('E_NOT_FOUND', `there is no plugin ${name}; \`plugin list\` shows them`);
    throw new UserError('E_INSTALL', `${name} was not installed with plugin install (it comes from ${status.bundled ? 'the bundled plugins' : status.dir}); disable it with \`plugin disable ${name}\` instead`);
  }

  private sameOrigin(name: string, record: LockEntry): SourceSpec {
    const spec = parseSource(record.source, this.lockDir);
    if (spec.kind === 'npm') return { ...spec, version: 'latest' };
    if (spec.kind === 'folder') return spec;
    throw new UserError('E_INSTALL', `${name} came from a pinned tarball URL; give the new one: \`plugin upgrade ${name} https://...#sha256=<hex>\``);
  }

  private isInstalledHere(status: PluginStatus): boolean {
    return status.dir.startsWith(this.folders.root + sep);
  }

  /** Unloads the plugin if it was loaded from the install folder, and deletes its folder and record. */
  private async removeCode(name: string): Promise<void> {
    const status = this.plugins.info(name);
    if (status && this.isInstalledHere(status)) await this.plugins.remove(name);
    this.folders.discard(this.folders.pluginDir(name));
    this.folders.removeRecord(name);
  }
}

/**
 * A folder next to the lock file (or below it) is recorded relative to it, `file:./plugins/hello`, so the lock file
 * means the same on every machine that checks out the same tree.
 */
function portableSource(source: string, lockDir: string): string {
  if (!source.startsWith('file:')) return source;
  const path = relative(lockDir, source.slice('file:'.length));
  return path === '' || path.startsWith('..') || isAbsolute(path) ? source : `file:./${path.split(sep).join('/')}`;
}

function lockEntryOf(artifact: Artifact, version: string, lockDir: string): LockEntry {
  return { version, source: portableSource(artifact.source, lockDir), integrity: artifact.integrity, ...(artifact.resolved ? { resolved: artifact.resolved } : {}) };
}

import { existsSync } from 'node:fs';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Artifact, ArtifactFetcher } from './artifact-fetcher.js';
import type { InstallFolders } from './install-folders.js';
import type { InstallReport, UpgradeReport } from './install-report.js';
import { readLock, type LockEntry } from './lock-file.js';
import { parseSource } from './source-spec.js';

/** One line per plugin: `+` installed, `~` upgraded, `=` already right, `-` removed, `!` failed. */
export interface SyncReport {
  lines: string[];
  failed: number;
}

export interface SyncSteps {
  lockFile: string;
  /** Relative folder sources (`file:./x`) are relative to the lock file's folder. */
  lockDir: string;
  folders: InstallFolders;
  fetcher: ArtifactFetcher;
  audit: AuditLog;
  actor: string;
  install(artifact: Artifact): Promise<InstallReport>;
  upgrade(name: string, artifact: Artifact): Promise<UpgradeReport>;
  remove(name: string): Promise<void>;
}

function same(a: LockEntry | undefined, b: LockEntry): boolean {
  return a !== undefined && a.source === b.source && a.integrity === b.integrity && a.version === b.version;
}

async function syncOne(steps: SyncSteps, name: string, entry: LockEntry): Promise<string> {
  const record = steps.folders.record(name);
  if (same(record, entry) && existsSync(steps.folders.pluginDir(name))) return `= ${name} ${entry.version} is as locked`;
  const artifact = await steps.fetcher.fetch(parseSource(entry.source, steps.lockDir), entry.integrity);
  if (record) {
    const report = await steps.upgrade(name, artifact);
    return `~ ${name} ${report.from} -> ${report.status.version} (${report.status.state})`;
  }
  const report = await steps.install(artifact);
  if (report.status.name !== name) {
    await steps.remove(report.status.name);
    throw new Error(`the locked source holds a plugin named ${report.status.name}, not ${name}; it was removed again`);
  }
  return `+ ${name} ${report.status.version} installed (${report.status.state})`;
}

/**
 * Makes this machine's installed plugins exactly the lock file's set: each locked plugin is fetched from its
 * recorded source and must match the recorded integrity; a plugin installed here but not locked is removed
 * (its code; grants and storage stay for a later install). A failure of one plugin does not stop the others.
 */
export async function syncFromLock(steps: SyncSteps): Promise<SyncReport> {
  const lock = readLock(steps.lockFile);
  const lines: string[] = [];
  let failed = 0;
  for (const name of Object.keys(lock.plugins).sort()) {
    try {
      lines.push(await syncOne(steps, name, lock.plugins[name] as LockEntry));
    } catch (error) {
      failed++;
      lines.push(`! ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const name of steps.folders.recorded()) {
    if (Object.hasOwn(lock.plugins, name)) continue;
    await steps.remove(name);
    lines.push(`- ${name} removed (not in ${steps.lockFile})`);
  }
  if (lines.length === 0) lines.push(`Nothing to do: ${steps.lockFile} locks no plugins and none are installed.`);
  await steps.audit.append({ action: 'plugin.synced', actor: steps.actor, outcome: failed === 0 ? 'succeeded' : 'failed', detail: { lockFile: steps.lockFile, changes: lines.filter((l) => !l.startsWith('=')) } });
  return { lines, failed };
}

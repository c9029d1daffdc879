import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArchiveEntry } from './archive-entry.js';
import { readRecord, writeJsonAtomic, type LockEntry } from './lock-file.js';
import { writeEntries } from './unpack.js';

const STALE_MS = 60 * 60 * 1000;

/**
 * The layout of `plugins.installDir`: one folder per plugin (`<dir>/<name>`), unpacked first into a fresh folder
 * under `.staging/` on the same file system so it appears whole with one rename, and what was installed from where
 * under `.records/<name>.json`. Dot folders hold no plugin.json, so plugin discovery never picks them up.
 */
export class InstallFolders {
  readonly root: string;

  constructor(installDir: string) {
    this.root = resolve(installDir);
  }

  pluginDir(name: string): string {
    return join(this.root, name);
  }

  /** Writes the entries into a new, empty staging folder; on any failure the folder is gone again. */
  stage(entries: ArchiveEntry[]): string {
    const staging = join(this.root, '.staging');
    mkdirSync(staging, { recursive: true, mode: 0o755 });
    const dir = mkdtempSync(join(staging, 'unpack-'));
    try {
      writeEntries(dir, entries);
    } catch (error) {
      this.discard(dir);
      throw error;
    }
    return dir;
  }

  /** Moves a staged folder to its final place, which must not exist. */
  place(staged: string, name: string): void {
    renameSync(staged, this.pluginDir(name));
  }

  /** Replaces an installed plugin's folder with a staged one; the old folder comes back if the swap fails. */
  swap(staged: string, name: string): void {
    const target = this.pluginDir(name);
    const trash = join(this.root, '.staging', `old-${name}-${randomBytes(4).toString('hex')}`);
    renameSync(target, trash);
    try {
      renameSync(staged, target);
    } catch (error) {
      renameSync(trash, target);
      throw error;
    }
    this.discard(trash);
  }

  discard(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  record(name: string): LockEntry | undefined {
    return readRecord(this.recordPath(name));
  }

  writeRecord(name: string, entry: LockEntry): void {
    writeJsonAtomic(this.recordPath(name), entry);
  }

  removeRecord(name: string): void {
    rmSync(this.recordPath(name), { force: true });
  }

  /** Names of the plugins installed here (those with a record). */
  recorded(): string[] {
    const dir = join(this.root, '.records');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => /^[a-z][a-z0-9-]{1,39}\.json$/.test(f)).map((f) => f.slice(0, -'.json'.length)).sort();
  }

  /** Leftovers of installs that died half-way (a crash between unpacking and the rename), older than an hour. */
  cleanStaging(now: Date): void {
    const staging = join(this.root, '.staging');
    if (!existsSync(staging)) return;
    for (const name of readdirSync(staging)) {
      const path = join(staging, name);
      if (now.getTime() - statSync(path).mtimeMs > STALE_MS) this.discard(path);
    }
  }

  private recordPath(name: string): string {
    return join(this.root, '.records', `${name}.json`);
  }
}

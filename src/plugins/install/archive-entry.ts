import { UserError } from '../../core/errors.js';

/** One file or folder of a plugin archive or folder, with a path already checked to stay inside its target. */
export type ArchiveEntry = { type: 'file'; path: string; data: Buffer } | { type: 'dir'; path: string };

/** How much one archive may hold. */
export interface ArchiveLimits {
  /** Entries (files and folders). */
  maxFiles: number;
  /** Bytes of all files together, unpacked. */
  maxUnpackedBytes: number;
}

const MAX_PATH = 255;

export function archiveError(message: string): UserError {
  return new UserError('E_INSTALL', `the plugin archive was refused: ${message}; nothing was installed`);
}

/**
 * A relative path with `/` separators, or an E_INSTALL: absolute paths, drive letters, backslashes, `..`, control
 * characters and overlong names are refused, never repaired. `./` segments and a trailing `/` are dropped.
 */
export function safeRelativePath(raw: string): string {
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  if (raw.length === 0) throw archiveError('an entry has an empty name');
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw archiveError(`the entry ${shown} has a control character in its name`);
  if (raw.includes('\\')) throw archiveError(`the entry ${shown} has a backslash in its name`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw archiveError(`the entry ${shown} has an absolute path`);
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw archiveError(`the entry ${shown} climbs out of its folder with ..`);
  const path = segments.join('/');
  if (path.length === 0) return '';
  if (path.length > MAX_PATH) throw archiveError(`the entry ${shown} has a path longer than ${MAX_PATH} characters`);
  return path;
}

/** Counts entries and bytes as they are read, and refuses duplicates and a file standing where a folder must be. */
export class EntryCollector {
  readonly entries: ArchiveEntry[] = [];
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();
  private bytes = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  addFile(path: string, data: Buffer): void {
    if (path === '') throw archiveError('a file entry has no name');
    this.count();
    this.bytes += data.length;
    if (this.bytes > this.limits.maxUnpackedBytes) throw archiveError(`it unpacks to more than ${Math.floor(this.limits.maxUnpackedBytes / 1024)} KiB`);
    if (this.files.has(path) || this.dirs.has(path)) throw archiveError(`the entry ${JSON.stringify(path)} appears twice`);
    this.parentsOf(path);
    this.files.add(path);
    this.entries.push({ type: 'file', path, data });
  }

  addDir(path: string): void {
    if (path === '') return;
    this.count();
    if (this.files.has(path)) throw archiveError(`the entry ${JSON.stringify(path)} is both a file and a folder`);
    this.parentsOf(path);
    if (!this.dirs.has(path)) {
      this.dirs.add(path);
      this.entries.push({ type: 'dir', path });
    }
  }

  private parentsOf(path: string): void {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (this.files.has(parent)) throw archiveError(`the entry ${JSON.stringify(path)} lies under ${JSON.stringify(parent)}, which is a file`);
      this.dirs.add(parent);
    }
  }

  private count(): void {
    if (this.entries.length + 1 > this.limits.maxFiles) throw archiveError(`it holds more than ${this.limits.maxFiles} entries`);
  }
}

/**
 * Archives usually wrap everything in one folder (`package/` from npm, `repo-1.0/` from a forge). When every entry
 * is under the same top folder and no plugin.json sits at the top, that folder is taken away.
 */
export function stripCommonFolder(entries: ArchiveEntry[]): ArchiveEntry[] {
  if (entries.length === 0 || entries.some((e) => e.type === 'file' && e.path === 'plugin.json')) return entries;
  const top = entries[0]?.path.split('/')[0] ?? '';
  const wrapped = entries.every((e) => e.path === top ? e.type === 'dir' : e.path.startsWith(`${top}/`));
  if (!wrapped) return entries;
  return entries.filter((e) => e.path !== top).map((e) => ({ ...e, path: e.path.slice(top.length + 1) }));
}

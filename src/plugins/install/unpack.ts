import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { ArchiveEntry } from './archive-entry.js';

/**
 * Writes checked entries into `dir`, a folder this process just created empty: files are created exclusively
 * (`wx`) and never executable, and every target is confirmed to lie inside `dir`.
 */
export function writeEntries(dir: string, entries: ArchiveEntry[]): void {
  const root = resolve(dir);
  for (const entry of entries) {
    const target = resolve(root, entry.path);
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write ${entry.path} outside ${root}`);
    if (entry.type === 'dir') {
      mkdirSync(target, { recursive: true, mode: 0o755 });
    } else {
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, entry.data, { flag: 'wx', mode: 0o644 });
    }
  }
}

/** The integrity of a set of entries (a local folder): sha256 over each path, kind and content digest, sorted. */
export function entriesIntegrity(entries: ArchiveEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const digest = entry.type === 'file' ? createHash('sha256').update(entry.data).digest('hex') : '';
    hash.update(`${entry.path}\0${entry.type}\0${digest}\n`);
  }
  return `sha256-${hash.digest('base64')}`;
}


import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EntryCollector, archiveError, safeRelativePath, type ArchiveEntry, type ArchiveLimits } from './archive-entry.js';

/** Folders a local plugin folder may have that are never part of the plugin. */
const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * Reads a local plugin folder with the same rules as an archive: links and special files are refused, the entry
 * and size caps apply. `.git` and `node_modules` are left out.
 */
export function readFolder(root: string, limits: ArchiveLimits): ArchiveEntry[] {
  const collector = new EntryCollector(limits);
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(join(root, path));
      if (stats.isDirectory()) {
        if (SKIPPED.has(name)) continue;
        collector.addDir(safeRelativePath(path));
        walk(path);
      } else if (stats.isFile()) {
        if (stats.size > limits.maxUnpackedBytes) throw archiveError(`${path} is larger than ${Math.floor(limits.maxUnpackedBytes / 1024)} KiB`);
        collector.addFile(safeRelativePath(path), readFileSync(join(root, path)));
      } else {
        throw archiveError(`${path} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file or folder'}, which a plugin may not contain`);
      }
    }
  };
  walk('');
  return collector.entries;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { formatIssues } from '../config/format-issues.js';
import { manifestSchema, type PluginManifest } from './plugin-manifest.js';

/** A plugin folder found on disk, read and validated, not yet loaded into a sandbox. */
export interface PluginDefinition {
  dir: string;
  bundled: boolean;
  manifest: PluginManifest;
  source: string;
  readme: string | undefined;
  /** sha256 of plugin.json and the code: part of every command's fingerprint. */
  digest: string;
}

export type PluginReadResult =
  | { ok: true; plugin: PluginDefinition }
  | { ok: false; name: string; dir: string; bundled: boolean; problems: string[] };

const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/** Plugin folders: each entry of `paths` is a plugin folder itself (has plugin.json) or a folder of them. */
export function discoverPluginFolders(bundledDir: string | undefined, paths: string[]): Array<{ dir: string; bundled: boolean }> {
  const found: Array<{ dir: string; bundled: boolean }> = [];
  const seen = new Set<string>();
  const add = (dir: string, bundled: boolean) => {
    const full = resolve(dir);
    if (!seen.has(full)) {
      seen.add(full);
      found.push({ dir: full, bundled });
    }
  };
  const scan = (root: string, bundled: boolean) => {
    if (!existsSync(root) || !statSync(root).isDirectory()) return;
    if (existsSync(join(root, 'plugin.json'))) return add(root, bundled);
    for (const entry of readdirSync(root).sort()) {
      const dir = join(root, entry);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'plugin.json'))) add(dir, bundled);
    }
  };
  if (bundledDir) scan(bundledDir, true);
  for (const path of paths) scan(path, false);
  return found;
}

/** Reads and validates one plugin folder; every problem is reported, as `plugin.json: commands[0].args[1].type: ...`. */
export function readPluginFolder(dir: string, bundled: boolean): PluginReadResult {
  const fallbackName = basename(dir);
  const fail = (problems: string[], name = fallbackName): PluginReadResult => ({ ok: false, name, dir, bundled, problems });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8'));
  } catch (error) {
    return fail([`plugin.json: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`]);
  }
  const rawName = typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : fallbackName;
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return fail(formatIssues(parsed.error.issues, 'plugin.json: '), rawName);
  const manifest = parsed.data;
  const mainPath = join(dir, manifest.main);
  if (!existsSync(mainPath)) return fail([`${manifest.main}: missing (plugin.json names it as main)`], manifest.name);
  const size = statSync(mainPath).size;
  if (size > MAX_SOURCE_BYTES) return fail([`${manifest.main}: ${Math.round(size / 1024)} KB is over the 5 MB limit for plugin code`], manifest.name);
  const source = readFileSync(mainPath, 'utf8');
  const readmePath = join(dir, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
  const digest = createHash('sha256').update(JSON.stringify(manifest)).update('\0').update(source).digest('hex');
  return { ok: true, plugin: { dir, bundled, manifest, source, readme, digest } };
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { formatIssues } from '../../config/format-issues.js';
import { UserError } from '../../core/errors.js';

const entrySchema = z.object({
  version: z.string().min(1),
  /** `file:<path>`, `https://...#sha256=<hex>` or `npm:<name>@<exact version>`. */
  source: z.string().min(1),
  /** SRI (`sha512-...`, `sha256-...`) of the tarball, or of the files of a folder source. */
  integrity: z.string().min(1),
  resolved: z.string().optional(),
}).strict();

const lockSchema = z.object({
  lockfileVersion: z.literal(1),
  plugins: z.record(z.string().regex(/^[a-z][a-z0-9-]{1,39}$/), entrySchema),
}).strict();

export type LockEntry = z.infer<typeof entrySchema>;
export type LockData = z.infer<typeof lockSchema>;

/** The lock file: missing means nothing is locked; anything unreadable is an error naming the file. */
export function readLock(path: string): LockData {
  if (!existsSync(path)) return { lockfileVersion: 1, plugins: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('E_INSTALL', `the lock file ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('E_INSTALL', `the lock file ${path} is not valid: ${formatIssues(parsed.error.issues).join('; ')}`);
  return parsed.data;
}

/** Writes JSON atomically (a temporary file renamed over the old one), keys sorted so diffs stay small. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, path);
}

export function writeLock(path: string, data: LockData): void {
  const plugins = Object.fromEntries(Object.keys(data.plugins).sort().map((name) => [name, data.plugins[name] as LockEntry]));
  writeJsonAtomic(path, { lockfileVersion: 1, plugins });
}

/** Changes one plugin's entry (or removes it with `undefined`). */
export function updateLock(path: string, name: string, entry: LockEntry | undefined): void {
  const lock = readLock(path);
  if (entry) lock.plugins[name] = entry;
  else delete lock.plugins[name];
  writeLock(path, lock);
}

export function readRecord(path: string): LockEntry | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = entrySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { configSchema, type OpsroomConfig } from './config-schema.js';
import { formatIssues } from './format-issues.js';

export const OpsroomConfigToken = Symbol('OpsroomConfig');

export interface LoadConfigOptions {
  /** An explicit file; missing is an error. Without it `OPSROOM_CONFIG` or `./opsroom.yaml` is used if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type Tree = Record<string, unknown>;

/** Environment variables that map onto config paths. Secrets are not here: they are read by name when used. */
const ENV_PATHS: Record<string, { path: string[]; list?: boolean }> = {
  OPSROOM_PREFIX: { path: ['bot', 'prefix'] },
  OPSROOM_BOT_NAME: { path: ['bot', 'name'] },
  OPSROOM_HTTP_HOST: { path: ['http', 'host'] },
  OPSROOM_HTTP_PORT: { path: ['http', 'port'] },
  OPSROOM_LOG_LEVEL: { path: ['logging', 'level'] },
  OPSROOM_LOG_FILE: { path: ['logging', 'file'] },
  OPSROOM_SQLITE_PATH: { path: ['storage', 'sqlitePath'] },
  OPSROOM_DATABASE_SCHEMA: { path: ['storage', 'schema'] },
  DATABASE_URL: { path: ['storage', 'databaseUrl'] },
  REDIS_URL: { path: ['cluster', 'redisUrl'] },
  OPSROOM_ROLE: { path: ['cluster', 'role'] },
  OPSROOM_REDIS_PREFIX: { path: ['cluster', 'keyPrefix'] },
  OPSROOM_PLUGIN_PATHS: { path: ['plugins', 'paths'], list: true },
};

function setPath(tree: Tree, path: string[], value: unknown, append: boolean): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  const last = path[path.length - 1] as string;
  const existing = node[last];
  node[last] = append && Array.isArray(existing) && Array.isArray(value) ? [...existing, ...value] : value;
}

function readYaml(file: string): Tree {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${file} is not valid YAML`, doc.errors.map((e) => `${e.linePos?.[0] ? `line ${e.linePos[0].line}` : 'yaml'}: ${e.message.split('\n')[0]}`));
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file} is not a configuration`, ['(top level): wrong type (expected a mapping of sections)']);
  }
  return value as Tree;
}

export function resolveConfigFile(options: LoadConfigOptions): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.file) return resolve(cwd, options.file);
  if (env.OPSROOM_CONFIG) return resolve(cwd, env.OPSROOM_CONFIG);
  const fallback = resolve(cwd, 'opsroom.yaml');
  return existsSync(fallback) ? fallback : undefined;
}

/** Loads, merges the environment and validates; throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): { config: OpsroomConfig; file: string | undefined } {
  const env = options.env ?? process.env;
  const file = resolveConfigFile(options);
  if (file !== undefined && !existsSync(file)) {
    throw new ConfigError(`configuration file ${file} does not exist`, [`${file}: not found (expected a YAML file; run without it for the embedded default)`]);
  }
  const tree: Tree = file ? readYaml(file) : {};
  for (const [name, target] of Object.entries(ENV_PATHS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(tree, target.path, target.list ? raw.split(':').filter(Boolean) : raw, target.list === true);
  }
  const config = validateConfig(tree, file ?? 'configuration');
  config.plugins.lockFile ??= resolve(file ? dirname(file) : options.cwd ?? process.cwd(), 'opsroom-plugins.lock.json');
  return { config, file };
}

export function validateConfig(tree: unknown, source: string): OpsroomConfig {
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ConfigError(`${source} has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems);
  }
  return parsed.data;
}

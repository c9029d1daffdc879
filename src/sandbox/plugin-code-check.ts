import { OpsroomError } from '../core/errors.js';
import type { PluginCode, PluginLimits } from './sandbox-host.js';

/** The manifest's plugin name rule; the sandbox relies on it because names appear in every message. */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,39}$/;
/** isolated-vm refuses a smaller isolate. */
export const MIN_MEMORY_MB = 8;
const MAX_MEMORY_MB = 4096;
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

function loadError(plugin: string, reason: string): OpsroomError {
  return new OpsroomError('E_PLUGIN_LOAD', `${plugin}: ${reason}`);
}

function limit(plugin: string, limits: Partial<PluginLimits>, key: keyof PluginLimits, fallback: number, min: number, max: number): number {
  const value = limits[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw loadError(plugin, `limits.${key} must be a number from ${min} to ${max}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** Checks a PluginCode before anything is sent to a runner, filling limits it leaves out from the operator's defaults. */
export function checkPluginCode(code: PluginCode, defaults: PluginLimits): PluginCode {
  if (code === null || typeof code !== 'object') throw new OpsroomError('E_PLUGIN_LOAD', 'plugin code must be an object with name, version, source and limits');
  const name = typeof code.name === 'string' ? code.name : String(code.name);
  if (!PLUGIN_NAME.test(name)) throw loadError(JSON.stringify(name.slice(0, 60)), 'a plugin name must match ^[a-z][a-z0-9-]{1,39}$');
  if (typeof code.version !== 'string' || code.version.length === 0) throw loadError(name, 'version must be a non-empty string');
  if (typeof code.source !== 'string') throw loadError(name, 'source must be the text of index.js');
  if (Buffer.byteLength(code.source, 'utf8') > MAX_SOURCE_BYTES) throw loadError(name, 'index.js is larger than 8 MiB');
  const given: Partial<PluginLimits> = code.limits ?? {};
  if (typeof given !== 'object') throw loadError(name, 'limits must be an object { memoryMb, cpuMs, wallMs }');
  const limits: PluginLimits = {
    memoryMb: limit(name, given, 'memoryMb', defaults.memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB),
    cpuMs: limit(name, given, 'cpuMs', defaults.cpuMs, 1, 3_600_000),
    wallMs: limit(name, given, 'wallMs', defaults.wallMs, 1, 86_400_000),
  };
  return { name, version: code.version, source: code.source, limits };
}

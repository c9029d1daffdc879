import { ConfigError } from '../core/errors.js';
import type { PluginLimits } from './sandbox-host.js';

/** How the sandbox host runs: runner processes, their own heap cap, and the limits a plugin gets by default. */
export const SandboxOptions = Symbol('SandboxOptions');
export interface SandboxOptions {
  /** Runner processes that hold isolates (a spare is kept ready besides these, for fast recovery). */
  runners: number;
  /** `--max-old-space-size` of each runner process: its own heap, not the isolates' heaps. */
  heapCapMb: number;
  /** Used for any limit a PluginCode leaves out. */
  defaultLimits: PluginLimits;
}

export const DEFAULT_PLUGIN_LIMITS: Readonly<PluginLimits> = Object.freeze({ memoryMb: 32, cpuMs: 200, wallMs: 30_000 });

export const DEFAULT_SANDBOX_OPTIONS: Readonly<SandboxOptions> = Object.freeze({
  runners: 2,
  heapCapMb: 256,
  defaultLimits: DEFAULT_PLUGIN_LIMITS,
});

/** Refuses options the host cannot run with, naming the field. */
export function checkSandboxOptions(options: SandboxOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.runners) || options.runners < 1 || options.runners > 64) problems.push('runners must be an integer from 1 to 64');
  if (!Number.isInteger(options.heapCapMb) || options.heapCapMb < 64) problems.push('heapCapMb must be an integer of at least 64');
  const limits = options.defaultLimits;
  if (limits === null || typeof limits !== 'object') {
    problems.push('defaultLimits must be { memoryMb, cpuMs, wallMs }');
  } else {
    if (!(limits.memoryMb >= 8)) problems.push('defaultLimits.memoryMb must be at least 8');
    if (!(limits.cpuMs > 0)) problems.push('defaultLimits.cpuMs must be positive');
    if (!(limits.wallMs > 0)) problems.push('defaultLimits.wallMs must be positive');
  }
  if (problems.length > 0) throw new ConfigError(`invalid sandbox options: ${problems.join('; ')}`, problems);
}

import type { LoadReport, PluginLimits } from './sandbox-host.js';

/** Messages over the fork channel between the host and a runner process. Values that came from plugin code travel as JSON text. */

export type EntryKind = 'command' | 'webhook' | 'schedule' | 'setup';

export interface LoadRequest { t: 'load'; id: number; plugin: string; version: string; source: string; limits: PluginLimits }
export interface CallRequest { t: 'call'; id: number; plugin: string; kind: EntryKind; name?: string; context: string; payload?: string }
export interface CapabilityReply { t: 'capres'; plugin: string; call: number; cap: number; value?: string; error?: { name: string; message: string } }
export interface UnloadRequest { t: 'unload'; id: number; plugin: string }
export type HostToRunner = LoadRequest | CallRequest | CapabilityReply | UnloadRequest;

export interface RunnerReady { t: 'ready' }
export interface LoadDone { t: 'loaded'; id: number; report: LoadReport }
export interface LoadFailed { t: 'loadfailed'; id: number; reason: string }
export interface UnloadDone { t: 'unloaded'; id: number }
export interface CallResult { t: 'result'; id: number; value?: string }
export interface CallFailed { t: 'fail'; id: number; message: string }
/** A capability call that expects an answer (`capres`). */
export interface CapabilityRequest { t: 'cap'; call: number; cap: number; capability: string; method: string; args: string }
/** A fire-and-forget capability call (logs, denied secrets). */
export interface CapabilityNote { t: 'note'; call: number; capability: string; method: string; args: string }
export interface RunnerLog { t: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> }
export interface RunnerFatal { t: 'fatal'; message: string }
export type RunnerToHost =
  | RunnerReady | LoadDone | LoadFailed | UnloadDone | CallResult | CallFailed | CapabilityRequest | CapabilityNote | RunnerLog | RunnerFatal;

/** Largest return value, and largest argument list of one capability call, in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Capability calls one invocation may have waiting at once (a flood of promises is refused, not queued). */
export const MAX_CAPABILITY_CALLS_IN_FLIGHT = 1000;
/** Fire-and-forget calls (log lines, denial notices) one invocation may send; more are dropped. */
export const MAX_NOTES_PER_CALL = 1000;
/** Pending timers (setTimeout/setInterval) one isolate may hold. */
export const MAX_TIMERS = 256;
/** How often a runner charges isolate CPU time to the calls in flight and checks their deadlines. */
export const BUDGET_TICK_MS = 10;
/** A runner enforces wall time itself; if it has not answered this long after the limit it is wedged and is killed. */
export const HOST_WALL_GRACE_MS = 2000;

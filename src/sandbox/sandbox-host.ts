/** Runs plugin code in isolated-vm isolates held by supervised runner processes. */
export const SandboxHost = Symbol('SandboxHost');

/** What one plugin may use: memory per isolate, CPU and wall time per call. */
export interface PluginLimits {
  memoryMb: number;
  cpuMs: number;
  wallMs: number;
}

/** A plugin's code as the sandbox receives it; kept so a crashed runner can reload it. */
export interface PluginCode {
  name: string;
  version: string;
  /** The text of index.js: one ES module, no imports. */
  source: string;
  limits: PluginLimits;
}

/** What a successful load found in the default export. */
export interface LoadReport {
  /** Function names under `default.commands`. */
  commands: string[];
  hasOnWebhook: boolean;
  hasOnSchedule: boolean;
  hasSetup: boolean;
  loadMs: number;
}

/** Which handler of the default export a call runs. */
export type SandboxEntry = { kind: 'command'; name: string } | { kind: 'webhook' } | { kind: 'schedule' } | { kind: 'setup' };

/** Copied into the isolate as the data behind `ctx`. */
export interface CallContext {
  invocation?: {
    id: string;
    command: string;
    platform: string;
    channel: { id: string; name?: string };
    user: { id: string; name: string };
    roles: string[];
    text: string;
    threadId?: string;
  };
  /**
   * Granted secret name -> opaque placeholder. `ctx.secret(name)` of a name not here throws synchronously an
   * Error named `CapabilityDenied` ("secret NAME was not granted to this plugin") and notifies the host with the
   * fire-and-forget call `{ capability: 'secret', method: 'denied', args: [name] }` so it can be audited.
   */
  secrets: Record<string, string>;
  /** The plugin's settings (manifest `config` with the operator's overrides), deep-frozen as `ctx.config`; `{}` when absent. */
  config?: Record<string, unknown>;
}

/** One request from plugin code through `ctx`, as plain data. */
export interface CapabilityCall {
  capability: 'reply' | 'post' | 'fetch' | 'secret' | 'storage' | 'runbook' | 'schedule' | 'log';
  method: string;
  args: unknown[];
}

/**
 * The host's answer to a capability call. Throwing an Error whose name is `CapabilityDenied` (or any error) makes
 * the promise inside the isolate reject with an Error of the same name and message (never the host stack).
 */
export type CapabilityHandler = (call: CapabilityCall) => Promise<unknown>;

export interface SandboxHost {
  /**
   * Compiles the source as an ES module in a fresh isolate and context and runs its top-level code. Rejects with
   * OpsroomError('E_PLUGIN_LOAD', '<plugin>: <reason>') on a syntax error, an import, a missing or invalid default
   * export, a top-level throw or a limit overrun. Loading a name that is loaded replaces it once the new code loads.
   */
  load(code: PluginCode): Promise<LoadReport>;
  /** Runs one handler and resolves to its return value, copied (JSON-like only); failures are E_PLUGIN_FAILED. */
  call(plugin: string, entry: SandboxEntry, context: CallContext, payload: unknown, capabilities: CapabilityHandler): Promise<unknown>;
  /** Disposes the plugin's isolate; calls in flight fail. Unloading a plugin that is not loaded does nothing. */
  unload(plugin: string): Promise<void>;
  stats(): { runners: Array<{ pid: number; plugins: string[]; restarts: number }> };
  /** Kills every runner; idempotent. */
  dispose(): Promise<void>;
}

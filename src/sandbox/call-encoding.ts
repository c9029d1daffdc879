import { OpsroomError } from '../core/errors.js';
import type { CallContext, SandboxEntry } from './sandbox-host.js';
import type { CallRequest } from './sandbox-protocol.js';

function badInput(plugin: string, reason: string): OpsroomError {
  return new OpsroomError('E_INTERNAL', `a call to ${plugin} was refused before it reached the sandbox: ${reason}`);
}

function toJson(plugin: string, what: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw badInput(plugin, `the ${what} is not JSON-serializable (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json === undefined) throw badInput(plugin, `the ${what} is not JSON-serializable`);
  return json;
}

function checkContext(plugin: string, context: CallContext): void {
  if (context === null || typeof context !== 'object') throw badInput(plugin, 'the call context must be an object');
  const { secrets, invocation, config } = context;
  if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) {
    throw badInput(plugin, 'context.secrets must map secret names to placeholder strings');
  }
  for (const [name, placeholder] of Object.entries(secrets)) {
    if (typeof placeholder !== 'string') throw badInput(plugin, `context.secrets.${name} must be a placeholder string`);
  }
  if (invocation !== undefined && (invocation === null || typeof invocation !== 'object')) {
    throw badInput(plugin, 'context.invocation must be an object when present');
  }
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) {
    throw badInput(plugin, 'context.config must be an object when present');
  }
}

/** The parts of a call message that come from the caller, as JSON text the isolate parses into its own copies. */
export function encodeCall(plugin: string, entry: SandboxEntry, context: CallContext, payload: unknown): Pick<CallRequest, 'kind' | 'name' | 'context' | 'payload'> {
  checkContext(plugin, context);
  const encoded: Pick<CallRequest, 'kind' | 'name' | 'context' | 'payload'> = { kind: entry.kind, context: toJson(plugin, 'call context', context) };
  if (entry.kind === 'command') encoded.name = entry.name;
  if (payload !== undefined) encoded.payload = toJson(plugin, 'payload', payload);
  return encoded;
}

import { onTestFinished } from 'vitest';
import type { CapabilityCall, CapabilityHandler, PluginCode, PluginLimits } from '../../../src/sandbox/sandbox-host.js';
import { SandboxHostImpl } from '../../../src/sandbox/sandbox-host-impl.js';
import { DEFAULT_SANDBOX_OPTIONS, type SandboxOptions } from '../../../src/sandbox/sandbox-options.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

/** A real host with real runner processes, disposed (every runner killed) when the test finishes. */
export function startHost(options: Partial<SandboxOptions> = {}): { host: SandboxHostImpl; logger: TestLogger } {
  const logger = createTestLogger('info');
  const host = new SandboxHostImpl({ ...DEFAULT_SANDBOX_OPTIONS, ...options }, logger);
  onTestFinished(async () => {
    await host.dispose();
  });
  return { host, logger };
}

export function code(name: string, source: string, limits: Partial<PluginLimits> = {}): PluginCode {
  return { name, version: '1.0.0', source, limits: { memoryMb: 32, cpuMs: 200, wallMs: 5000, ...limits } };
}

/** A plugin whose commands are the given functions' source, e.g. `{ hi: 'hi(ctx, args) { return "hi" }' }`. */
export function commandsPlugin(name: string, commands: Record<string, string>, limits: Partial<PluginLimits> = {}, prelude = ''): PluginCode {
  const body = Object.values(commands).join(',\n');
  return code(name, `${prelude}\nexport default { commands: {\n${body}\n} };\n`, limits);
}

export const noContext = { secrets: {} };

/** Fails the call if plugin code reaches any capability. */
export const noCapabilities: CapabilityHandler = async (call) => {
  throw new Error(`unexpected capability call ${JSON.stringify(call)}`);
};

/** Records every capability call and answers with `answer` (which may throw). */
export function recordingHandler(answer: (call: CapabilityCall) => unknown = () => undefined): { handler: CapabilityHandler; calls: CapabilityCall[] } {
  const calls: CapabilityCall[] = [];
  return {
    calls,
    handler: async (call) => {
      calls.push(call);
      return answer(call);
    },
  };
}

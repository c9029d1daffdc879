import type { Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';
import type { CommandExecutor } from '../routing/command-executor.js';
import type { CommandRegistry } from '../routing/command-registry.js';
import { NotReadyError } from './job-protocol.js';
import type { JobHandler } from './job-runner.js';
import { toWire, type WireError } from './wire-error.js';
import { toWireResult } from './wire-message.js';

/** A command job: the invocation the gateway gated, and the command as the gateway knew it. */
export interface CommandJob {
  invocation: Invocation;
  command: string;
  plugin: string;
  fingerprint: string;
}

/** What the worker answers: the executor's outcome, as plain data. */
export type CommandJobResult =
  | { ok: true; result: ReturnType<typeof toWireResult>; durationMs: number }
  | { ok: false; error: WireError; durationMs: number };

/**
 * Runs command jobs with the worker's own executor. A command this worker does not have (yet) is tried again,
 * maybe on another worker; an approved invocation whose command changed since it was approved is refused.
 */
export function commandJobHandler(registry: CommandRegistry, executor: CommandExecutor): JobHandler {
  return {
    async prepare(payload: unknown) {
      const job = payload as CommandJob;
      const command = registry.get(job.command);
      if (!command || command.plugin !== job.plugin) {
        throw new NotReadyError(`the worker has no command ${job.command} of ${job.plugin === 'core' ? 'opsroom' : `the plugin ${job.plugin}`} loaded`);
      }
      if (job.invocation.approval && command.fingerprint() !== job.fingerprint) {
        throw new UserError('E_APPROVAL_STALE', `${job.command} changed after it was approved (the plugin was upgraded, regranted or disabled); ask again`);
      }
      return async (): Promise<CommandJobResult> => {
        const outcome = await executor.execute(command, job.invocation);
        return outcome.ok
          ? { ok: true, result: toWireResult(outcome.result), durationMs: outcome.durationMs }
          : { ok: false, error: toWire(outcome.error), durationMs: outcome.durationMs };
      };
    },
  };
}

import { inject, injectable } from 'inversify';
import type { CommandResult, Invocation } from '../core/command.js';
import { OpsroomError, isUserError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { Metrics } from '../core/metrics.js';
import type { RegisteredCommand } from './command-registry.js';

export type ExecutionOutcome =
  | { ok: true; result: CommandResult; durationMs: number }
  | { ok: false; error: OpsroomError; durationMs: number };

/** Runs a command that passed the gate: times it, counts it, and turns any failure into an OpsroomError. */
export const CommandExecutor = Symbol('CommandExecutor');
export interface CommandExecutor {
  execute(command: RegisteredCommand, invocation: Invocation): Promise<ExecutionOutcome>;
}

@injectable()
export class CommandExecutorImpl implements CommandExecutor {
  constructor(
    @inject(Logger) private readonly logger: Logger,
    @inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute(command: RegisteredCommand, invocation: Invocation): Promise<ExecutionOutcome> {
    const started = performance.now();
    try {
      const result = await command.run(invocation);
      const durationMs = performance.now() - started;
      this.metrics.commandSeconds.observe({ plugin: command.plugin }, durationMs / 1000);
      this.metrics.commands.inc({ outcome: 'succeeded' });
      return { ok: true, result, durationMs };
    } catch (cause) {
      const durationMs = performance.now() - started;
      const error = toOpsroomError(cause, command);
      this.metrics.commands.inc({ outcome: 'failed' });
      if (!isUserError(error)) {
        this.logger.error({ err: cause, invocation: invocation.id, plugin: command.plugin }, 'command failed');
      }
      return { ok: false, error, durationMs };
    }
  }
}

function toOpsroomError(cause: unknown, command: RegisteredCommand): OpsroomError {
  if (cause instanceof OpsroomError) return cause;
  if (command.plugin === 'core') return new OpsroomError('E_INTERNAL', `${command.spec.name} failed`, { cause });
  const message = cause instanceof Error ? cause.message : String(cause);
  return new OpsroomError('E_PLUGIN_FAILED', `${command.plugin} failed: ${message}`, { cause });
}

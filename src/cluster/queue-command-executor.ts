import { inject, injectable } from 'inversify';
import type { Invocation } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { Metrics } from '../core/metrics.js';
import type { CommandExecutor, ExecutionOutcome } from '../routing/command-executor.js';
import type { RegisteredCommand } from '../routing/command-registry.js';
import type { CommandJob, CommandJobResult } from './command-job-handler.js';
import { JobDispatcher } from './job-dispatcher.js';
import { jobIdOf } from './job-protocol.js';
import { fromWire } from './wire-error.js';
import { fromWireResult } from './wire-message.js';

/**
 * The executor of a gateway: the invocation travels to a worker through the queue (job id = invocation id) and its
 * outcome comes back. The worker's run time is the duration reported; queueing shows in opsroom_job_latency_seconds.
 */
@injectable()
export class QueueCommandExecutor implements CommandExecutor {
  constructor(
    @inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: RegisteredCommand, invocation: Invocation): Promise<ExecutionOutcome> {
    const started = performance.now();
    const job: CommandJob = { invocation, command: command.spec.name, plugin: command.plugin, fingerprint: command.fingerprint() };
    let answer: CommandJobResult;
    try {
      answer = (await this.dispatcher.run('command', jobIdOf('command', invocation.id), job)) as CommandJobResult;
    } catch (cause) {
      const error = cause instanceof OpsroomError ? cause : new OpsroomError('E_CLUSTER', `${command.spec.name} could not be run by a worker`, { cause });
      if (error.audience === 'system') this.logger.error({ err: cause, invocation: invocation.id, plugin: command.plugin }, 'command did not come back from the workers');
      this.metrics.commands.inc({ outcome: 'failed' });
      return { ok: false, error, durationMs: performance.now() - started };
    }
    this.metrics.commandSeconds.observe({ plugin: command.plugin }, (performance.now() - started) / 1000);
    this.metrics.commands.inc({ outcome: answer.ok ? 'succeeded' : 'failed' });
    if (answer.ok) return { ok: true, result: fromWireResult(answer.result), durationMs: answer.durationMs };
    return { ok: false, error: fromWire(answer.error), durationMs: answer.durationMs };
  }
}

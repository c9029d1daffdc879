import { inject, injectable } from 'inversify';
import { Worker, type Job } from 'bullmq';
import { disposable, type Disposable } from '../core/disposable.js';
import { OpsroomError, UserError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ErrorReporter } from './error-reporter.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { ClusterSettings } from './cluster-settings.js';
import { NotReadyError, STARTED_TTL_MS, type JobAnswer, type JobData, type JobKind } from './job-protocol.js';
import { NodeInbox } from './node-inbox.js';
import { NodePresence } from './node-presence.js';
import { RedisConnections } from './redis-connections.js';
import { toWire } from './wire-error.js';

/**
 * Runs one kind of job. `prepare` does the checks that may fail before anything happens (throw NotReadyError to have
 * the job tried again, maybe elsewhere; any other error is the answer); the function it returns is the job itself.
 */
export interface JobHandler {
  prepare(payload: unknown): Promise<() => Promise<unknown>>;
}

/** A killed worker's jobs go back to the queue this long after its last lock renewal. */
const LOCK_MS = 10_000;
const STALL_CHECK_MS = 5_000;
const ANSWER_TRIES = 5;
/** Running jobs get this long to finish at shutdown (plugin calls are bounded by their own wall-time limit). */
const CLOSE_MS = 30_000;
const CLOSE_STEP_MS = 2_000;

/**
 * The worker side of the invocation queue. Each job is started at most once across every worker: the worker that
 * starts it first sets its start marker (SET NX); a redelivered job whose marker is set is not run again, and if
 * the worker that started it died, its caller is told the job was interrupted.
 */
export const JobRunner = Symbol('JobRunner');
export interface JobRunner {
  handle(kind: JobKind, handler: JobHandler): Disposable;
  start(): Promise<void>;
  /** Takes no new jobs and waits for the running ones. */
  stop(): Promise<void>;
  running(): number;
}

@injectable()
export class JobRunnerImpl implements JobRunner {
  private readonly handlers = new Map<JobKind, JobHandler>();
  private readonly keys: ClusterKeys;
  private readonly logger: Logger;
  private worker: Worker<JobData> | undefined;
  private active = 0;
  private readonly errors: ErrorReporter;

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(RedisConnections) private readonly redis: RedisConnections,
    @inject(NodeInbox) private readonly inbox: NodeInbox,
    @inject(NodePresence) private readonly presence: NodePresence,
    @inject(ClusterMetrics) private readonly metrics: ClusterMetrics,
    @inject(Logger) logger: Logger,
  ) {
    this.keys = new ClusterKeys(settings.keyPrefix);
    this.logger = logger.child({ component: 'cluster' });
    this.errors = new ErrorReporter(this.logger, 'the invocation queue worker reported an error');
  }

  handle(kind: JobKind, handler: JobHandler): Disposable {
    this.handlers.set(kind, handler);
    return disposable(() => { if (this.handlers.get(kind) === handler) this.handlers.delete(kind); });
  }

  async start(): Promise<void> {
    if (this.worker) return;
    const worker = new Worker<JobData>(this.keys.queueName, (job) => this.process(job), {
      connection: this.redis.dedicated('worker', { blocking: true }), prefix: this.keys.prefix,
      concurrency: this.settings.workerConcurrency, lockDuration: LOCK_MS, stalledInterval: STALL_CHECK_MS, maxStalledCount: 2,
      autorun: false,
    });
    worker.on('error', (err) => this.errors.report(err));
    this.worker = worker;
    void worker.run().catch((err: unknown) => this.logger.error({ err }, 'the invocation queue worker stopped'));
    await worker.waitUntilReady();
    this.logger.info({ concurrency: this.settings.workerConcurrency }, 'taking invocations from the queue');
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    // Stop fetching first, then let the running jobs finish; the close itself needs Redis, which may be away.
    await settlesWithin(worker.pause(true), CLOSE_STEP_MS);
    const deadline = Date.now() + CLOSE_MS;
    while (this.active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.active > 0) this.logger.warn({ running: this.active, waitedMs: CLOSE_MS }, 'stopped with jobs still running; their callers are told they were interrupted');
    if (!(await settlesWithin(worker.close(true), CLOSE_STEP_MS))) this.logger.warn('the invocation queue worker did not close (Redis is away); its connection is cut');
  }

  running(): number {
    return this.active;
  }

  private async process(job: Job<JobData>): Promise<void> {
    const jobId = job.id as string;
    const { kind, replyTo, payload } = job.data;
    if (job.attemptsMade === 0) this.metrics.jobWaitSeconds.observe({ kind }, Math.max(0, Date.now() - job.timestamp) / 1000);
    let run: () => Promise<unknown>;
    try {
      const handler = this.handlers.get(kind);
      if (!handler) throw new NotReadyError(`${this.settings.nodeId} takes no ${kind} jobs`);
      run = await handler.prepare(payload);
    } catch (error) {
      if (error instanceof NotReadyError && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
      this.metrics.jobsRun.inc({ kind, outcome: 'refused' });
      const reason = error instanceof NotReadyError ? new UserError('E_NO_WORKER', `It did not run: ${error.message}.`) : error;
      await this.answer(replyTo, { t: 'job', id: jobId, ok: false, error: toWire(reason) });
      return;
    }
    const claimed = await this.redis.commands.set(this.keys.started(jobId), this.settings.nodeId, 'PX', STARTED_TTL_MS, 'NX');
    if (claimed !== 'OK') return this.redelivered(jobId, kind, replyTo);
    this.active++;
    let answer: JobAnswer;
    try {
      answer = { t: 'job', id: jobId, ok: true, value: (await run()) ?? null };
      this.metrics.jobsRun.inc({ kind, outcome: 'done' });
    } catch (error) {
      answer = { t: 'job', id: jobId, ok: false, error: toWire(error) };
      this.metrics.jobsRun.inc({ kind, outcome: 'failed' });
    } finally {
      this.active--;
    }
    await this.answer(replyTo, answer);
  }

  /** A job seen again after it started (its lock lapsed): never run twice; answer for it only if its worker died. */
  private async redelivered(jobId: string, kind: JobKind, replyTo: string): Promise<void> {
    const owner = await this.redis.commands.get(this.keys.started(jobId));
    if (owner === null || owner === this.settings.nodeId) return;
    if ((await this.presence.checkAlive([owner])).has(owner)) return;
    this.logger.warn({ job: jobId, owner }, 'a job came back from a worker that died while running it; its caller is told');
    await this.answer(replyTo, {
      t: 'job', id: jobId, ok: false,
      error: toWire(new UserError('E_INTERRUPTED', `The ${kind === 'command' ? 'command' : 'job'} was interrupted: the opsroom worker running it (${owner}) stopped before it finished, so whether it took effect is unknown. Check before running it again.`)),
    });
  }

  private async answer(replyTo: string, answer: JobAnswer): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.inbox.send(replyTo, answer as unknown as Record<string, unknown> & { t: string });
        return;
      } catch (error) {
        if (attempt >= ANSWER_TRIES) {
          throw new OpsroomError('E_CLUSTER', `could not send the answer of ${answer.id} to ${replyTo}: ${(error as Error).message}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}

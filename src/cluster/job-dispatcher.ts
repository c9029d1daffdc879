import { inject, injectable } from 'inversify';
import { Queue } from 'bullmq';
import { OpsroomError, UserError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { settlesWithin } from './settles-within.js';
import { ErrorReporter } from './error-reporter.js';
import { ClusterKeys } from './cluster-keys.js';
import { ClusterMetrics } from './cluster-metrics.js';
import { ClusterSettings } from './cluster-settings.js';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, type JobAnswer, type JobData, type JobKind } from './job-protocol.js';
import { NodeInbox, type InboxMessage } from './node-inbox.js';
import { NodePresence } from './node-presence.js';
import { RedisConnections } from './redis-connections.js';
import { fromWire } from './wire-error.js';

const SWEEP_MS = 1_000;
/** Younger jobs are not looked after yet: nearly all are answered well within this. */
const LOOK_AFTER_MS = 2_000;
/** A job started this long ago whose worker still lives but never answered is given up on. */
const MAX_RUN_MS = 15 * 60_000;

interface Pending {
  kind: JobKind;
  enqueuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The gateway side of the invocation queue: enqueues a job (its id is the invocation's), and answers for it exactly
 * once: with what the worker sent, or, when no worker took it in time, E_NO_WORKER (it was taken out of the queue
 * and never ran), or, when the worker that started it died, E_INTERRUPTED.
 */
export const JobDispatcher = Symbol('JobDispatcher');
export interface JobDispatcher {
  start(): void;
  run(kind: JobKind, jobId: string, payload: unknown): Promise<unknown>;
  /** Jobs by BullMQ state (waiting, active, delayed, prioritized), for /metrics. */
  depth(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

@injectable()
export class JobDispatcherImpl implements JobDispatcher {
  private readonly pending = new Map<string, Pending>();
  private readonly keys: ClusterKeys;
  private readonly logger: Logger;
  private queue: Queue<JobData> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;

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
  }

  start(): void {
    if (this.queue) return;
    this.queue = new Queue<JobData>(this.keys.queueName, { connection: this.redis.dedicated('queue', { pipelined: true }), prefix: this.keys.prefix });
    const errors = new ErrorReporter(this.logger, 'the invocation queue reported an error');
    this.queue.on('error', (err) => errors.report(err));
    this.inbox.on('job', (message) => this.answered(message));
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  async run(kind: JobKind, jobId: string, payload: unknown): Promise<unknown> {
    const queue = this.queue;
    if (!queue) throw new OpsroomError('E_SHUTTING_DOWN', 'opsroom is not taking commands (the invocation queue is closed)');
    if (this.pending.has(jobId)) throw new OpsroomError('E_INTERNAL', `job ${jobId} is already waiting for its answer`);
    const answer = new Promise<unknown>((resolve, reject) => {
      this.pending.set(jobId, { kind, enqueuedAt: Date.now(), resolve, reject });
    });
    const data: JobData = { kind, replyTo: this.settings.nodeId, payload };
    try {
      await queue.add(kind, data, {
        jobId, attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: JOB_BACKOFF_MS },
        removeOnComplete: true, removeOnFail: { age: 24 * 3600, count: 1000 },
      });
    } catch (error) {
      this.settle(jobId, { error: new OpsroomError('E_CLUSTER', `could not enqueue ${kind} (it did not run): ${(error as Error).message}`, { cause: error }) });
    }
    return answer;
  }

  async depth(): Promise<Record<string, number>> {
    if (!this.queue) return {};
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const queue = this.queue;
    this.queue = undefined;
    for (const jobId of [...this.pending.keys()]) {
      this.settle(jobId, { error: new OpsroomError('E_SHUTTING_DOWN', 'opsroom stopped before the answer came back') });
    }
    if (queue) await settlesWithin(queue.close(), 2_000);
  }

  private answered(message: InboxMessage): void {
    const answer = message as unknown as JobAnswer;
    if (typeof answer.id !== 'string' || !this.pending.has(answer.id)) return;
    if (answer.ok) this.settle(answer.id, { value: answer.value });
    else this.settle(answer.id, { error: fromWire(answer.error) });
  }

  private settle(jobId: string, outcome: { value: unknown } | { error: unknown }): void {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    this.pending.delete(jobId);
    const failed = 'error' in outcome;
    this.metrics.jobSeconds.observe({ kind: pending.kind, outcome: failed ? 'failed' : 'answered' }, (Date.now() - pending.enqueuedAt) / 1000);
    if (failed) pending.reject(outcome.error);
    else pending.resolve(outcome.value);
  }

  /** Looks after jobs that have waited a while: a dead worker's, and those nobody took. */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    const now = Date.now();
    const overdue = [...this.pending].filter(([, p]) => now - p.enqueuedAt >= LOOK_AFTER_MS).map(([id]) => id);
    if (overdue.length === 0) return;
    this.sweeping = true;
    try {
      const owners = await this.redis.commands.mget(...overdue.map((id) => this.keys.started(id)));
      const alive = await this.presence.checkAlive(owners.filter((o): o is string => typeof o === 'string'));
      await Promise.all(overdue.map((jobId, i) => this.lookAfter(jobId, owners[i] ?? null, alive, now)));
    } catch (err) {
      this.logger.warn({ err }, 'could not look after the jobs waiting for an answer; trying again');
    } finally {
      this.sweeping = false;
    }
  }

  private async lookAfter(jobId: string, owner: string | null, alive: Set<string>, now: number): Promise<void> {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    const age = now - pending.enqueuedAt;
    if (owner !== null) {
      if (!alive.has(owner)) this.settle(jobId, { error: interrupted(pending.kind, owner) });
      else if (age > MAX_RUN_MS) this.settle(jobId, { error: new OpsroomError('E_CLUSTER', `${owner} started ${jobId} ${Math.round(age / 60_000)} minutes ago and never answered`) });
      return;
    }
    if (age > this.settings.queueTimeoutMs) await this.withdraw(jobId, pending);
  }

  /** Takes a job nobody started out of the queue, so it can never run after its caller was told it did not. */
  private async withdraw(jobId: string, pending: Pending): Promise<void> {
    const job = await this.queue?.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'active' || state === 'completed') return;
    if (job && state !== 'failed') {
      try {
        await job.remove();
      } catch {
        // A worker took it between the look and the removal: its answer is on the way.
        return;
      }
    }
    const seconds = Math.round(this.settings.queueTimeoutMs / 1000);
    const why = state === 'failed' && job?.failedReason ? `it could not be started: ${job.failedReason}` : `no worker took it within ${seconds} s`;
    this.logger.warn({ job: jobId, kind: pending.kind, state }, 'a job was given up before it ran');
    this.settle(jobId, { error: new UserError('E_NO_WORKER', `${describeKind(pending.kind)} did not run: ${why}. Nothing was done; try again, and if it keeps happening tell an operator to check the opsroom workers.`) });
  }
}

function describeKind(kind: JobKind): string {
  return kind === 'command' ? 'The command' : kind === 'plugin.event' ? 'The plugin event' : 'The plugin change';
}

function interrupted(kind: JobKind, owner: string): UserError {
  return new UserError('E_INTERRUPTED', `${describeKind(kind)} was interrupted: the opsroom worker running it (${owner}) stopped before it finished, so whether it took effect is unknown. Check before running it again.`);
}

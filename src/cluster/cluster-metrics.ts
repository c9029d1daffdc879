import { inject, injectable } from 'inversify';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '../core/metrics.js';

const JOB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120];

/** The cluster's figures on /metrics: queue depth, job latency, and what this process's workers ran. */
export const ClusterMetrics = Symbol('ClusterMetrics');
export interface ClusterMetrics {
  /** From enqueue to the answer, on the process that enqueued (a gateway). */
  readonly jobSeconds: Histogram<'kind' | 'outcome'>;
  /** From enqueue to the start, on the worker. */
  readonly jobWaitSeconds: Histogram<'kind'>;
  readonly jobsRun: Counter<'kind' | 'outcome'>;
  /** Reports the queue's depth by state at each scrape. */
  trackQueue(depth: () => Promise<Record<string, number>>): void;
}

@injectable()
export class ClusterMetricsImpl implements ClusterMetrics {
  readonly jobSeconds: Histogram<'kind' | 'outcome'>;
  readonly jobWaitSeconds: Histogram<'kind'>;
  readonly jobsRun: Counter<'kind' | 'outcome'>;
  private depth: (() => Promise<Record<string, number>>) | undefined;

  constructor(@inject(Metrics) metrics: Metrics) {
    const registers = [metrics.registry];
    this.jobSeconds = new Histogram({
      name: 'opsroom_job_latency_seconds', help: 'Invocation queue jobs from enqueue to answer, on the process that enqueued them',
      labelNames: ['kind', 'outcome'], buckets: JOB_BUCKETS, registers,
    });
    this.jobWaitSeconds = new Histogram({
      name: 'opsroom_job_wait_seconds', help: 'Invocation queue jobs from enqueue to start, on the worker that ran them',
      labelNames: ['kind'], buckets: JOB_BUCKETS, registers,
    });
    this.jobsRun = new Counter({
      name: 'opsroom_jobs_run_total', help: 'Invocation queue jobs this worker ran, by outcome', labelNames: ['kind', 'outcome'], registers,
    });
    const tracker = this;
    new Gauge({
      name: 'opsroom_queue_jobs', help: 'Jobs in the invocation queue, by state', labelNames: ['state'], registers,
      async collect() {
        if (!tracker.depth) return;
        this.reset();
        try {
          for (const [state, count] of Object.entries(await tracker.depth())) this.set({ state }, count);
        } catch {
          // A scrape must not fail while Redis is away; /readyz says so, and the depth is simply absent meanwhile.
        }
      },
    });
  }

  trackQueue(depth: () => Promise<Record<string, number>>): void {
    this.depth = depth;
  }
}

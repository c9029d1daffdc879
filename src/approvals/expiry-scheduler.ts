import { inject, injectable } from 'inversify';
import { Clock } from '../core/clock.js';
import { Logger } from '../core/logger.js';

/** What a sweep did: `waiting` counts overdue requests it could not end yet (their platform is not connected). */
export interface SweepResult {
  expired: number;
  waiting: number;
}

export type Sweep = () => Promise<SweepResult>;

/** Backstop for requests this process holds no timer for (made by another instance, or before a restart). */
export const BACKSTOP_SWEEP_MS = 30_000;
/** Retry soon when an overdue request waits for its adapter (at start-up, adapters connect after the timers are armed). */
const RETRY_MS = 250;

/**
 * Wakes the sweep at each request's deadline, and every 30 s in any case. The sweep itself decides what is due from
 * the database, so a timer that fires late, twice, or in two processes at once is harmless.
 */
export const ExpiryScheduler = Symbol('ExpiryScheduler');
export interface ExpiryScheduler {
  start(sweep: Sweep): void;
  arm(requestId: string, deadline: Date): void;
  forget(requestId: string): void;
  stop(): Promise<void>;
}

@injectable()
export class ExpirySchedulerImpl implements ExpiryScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sweep: Sweep | undefined;
  private backstop: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Consecutive sweeps that left requests waiting: the retry backs off up to the backstop interval. */
  private waits = 0;
  private readonly logger: Logger;

  constructor(@inject(Clock) private readonly clock: Clock, @inject(Logger) logger: Logger) {
    this.logger = logger.child({ component: 'approvals' });
  }

  start(sweep: Sweep): void {
    this.sweep = sweep;
    this.backstop = setInterval(() => this.wake(), BACKSTOP_SWEEP_MS);
    this.backstop.unref();
  }

  arm(requestId: string, deadline: Date): void {
    if (!this.sweep) return;
    this.forget(requestId);
    const delay = Math.max(0, deadline.getTime() - this.clock.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(requestId);
      this.wake();
    }, delay);
    timer.unref();
    this.timers.set(requestId, timer);
  }

  forget(requestId: string): void {
    const timer = this.timers.get(requestId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(requestId);
  }

  async stop(): Promise<void> {
    this.sweep = undefined;
    clearInterval(this.backstop);
    clearTimeout(this.retry);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.running;
  }

  /** Runs one sweep at a time; a wake during a sweep runs another right after it. */
  private wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again && this.sweep) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    const sweep = this.sweep;
    if (!sweep) return;
    try {
      const result = await sweep();
      this.waits = result.waiting > 0 ? this.waits + 1 : 0;
      if (this.waits > 0 && this.sweep) {
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.wake(), Math.min(RETRY_MS * 2 ** (this.waits - 1), BACKSTOP_SWEEP_MS));
        this.retry.unref();
      }
    } catch (err) {
      this.logger.error({ err }, 'the approval expiry sweep failed; it runs again at the next deadline');
    }
  }
}

import type { StopReason } from '../sandbox-messages.js';

/** The CPU charged to one call (or one load) and the moment its wall time runs out. */
export class CallBudget {
  cpuNs = 0;
  readonly deadline: number;

  constructor(private readonly cpuLimitNs: number, wallMs: number, now: number) {
    this.deadline = now + wallMs;
  }

  /** Which limit this call has gone past, if any; CPU first, since a spinning call also runs out of wall time. */
  overrun(now: number): StopReason | undefined {
    if (this.cpuNs > this.cpuLimitNs) return 'cpu';
    if (now >= this.deadline) return 'wall';
    return undefined;
  }
}

/**
 * Charges an isolate's CPU time to the calls in flight in it. An isolate runs one thing at a time: while it executes
 * an operation that belongs to one call (its start, a capability answer), the time is that call's. Otherwise (a timer
 * firing; an isolate cannot tell which call a timer belongs to) it is shared equally among the calls in flight.
 */
export class CpuMeter {
  private lastNs: number;

  constructor(startNs: number) {
    this.lastNs = startNs;
  }

  charge(nowNs: number, budgets: Iterable<CallBudget>, count: number, running?: CallBudget): void {
    const used = nowNs - this.lastNs;
    this.lastNs = nowNs;
    if (used <= 0) return;
    if (running !== undefined) {
      running.cpuNs += used;
      return;
    }
    if (count === 0) return;
    const share = used / count;
    for (const budget of budgets) budget.cpuNs += share;
  }
}

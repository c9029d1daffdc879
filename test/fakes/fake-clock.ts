import type { Clock } from '../../src/core/clock.js';

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: Date | string = '2025-03-01T09:00:00.000Z') {
    this.#now = new Date(start).getTime();
    if (Number.isNaN(this.#now)) throw new RangeError(`FakeClock start ${String(start)} is not a valid date`);
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock.advance needs a finite number of milliseconds >= 0, got ${ms}`);
    this.#now += ms;
  }
}

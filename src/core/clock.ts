/** Time, injected so tests can control it. */
export const Clock = Symbol('Clock');
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

import type { CapabilityHandler, PluginLimits } from './sandbox-host.js';
import type { RunnerSlot } from './runner-pool.js';

/** A call the host has sent to a runner and not yet settled. */
export interface PendingCall {
  readonly id: number;
  readonly plugin: string;
  readonly slot: RunnerSlot;
  readonly handler: CapabilityHandler;
  readonly limits: PluginLimits;
  capsInFlight: number;
}

interface Entry extends PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

/** Calls in flight, by id; each is settled exactly once, whichever of result, failure, crash or backstop comes first. */
export class CallRegistry {
  private readonly calls = new Map<number, Entry>();
  private lastId = 0;

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** Registers a call; `onOverdue` runs if it is still open after `overdueMs`. */
  open(call: Omit<PendingCall, 'capsInFlight'>, overdueMs: number, onOverdue: (call: PendingCall) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { ...call, capsInFlight: 0, resolve, reject, timer: undefined };
      entry.timer = setTimeout(() => onOverdue(entry), overdueMs);
      this.calls.set(call.id, entry);
    });
  }

  get(id: number): PendingCall | undefined {
    return this.calls.get(id);
  }

  resolve(id: number, value: () => unknown): void {
    const entry = this.take(id);
    if (entry === undefined) return;
    try {
      entry.resolve(value());
    } catch (error) {
      entry.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  reject(id: number, error: Error): void {
    this.take(id)?.reject(error);
  }

  /** Rejects every open call that matches, each with its own error. */
  rejectWhere(matches: (call: PendingCall) => boolean, error: (call: PendingCall) => Error): void {
    for (const entry of [...this.calls.values()]) {
      if (matches(entry)) this.reject(entry.id, error(entry));
    }
  }

  private take(id: number): Entry | undefined {
    const entry = this.calls.get(id);
    if (entry === undefined) return undefined;
    this.calls.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }
}

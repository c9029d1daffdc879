import { OpsroomError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RunnerToHost } from './sandbox-protocol.js';
import { RunnerProcess, type RunnerExit } from './runner-process.js';

/** A place for a runner: plugins are assigned to a slot and stay there; the process in it is replaced when it dies. */
export interface RunnerSlot {
  readonly index: number;
  /** The current process; undefined only between a failed start and its retry. */
  runner: RunnerProcess | undefined;
  restarts: number;
  readonly plugins: Set<string>;
  /** Resolves to the slot's process once it is ready. */
  available: Promise<RunnerProcess>;
  /** Consecutive processes that died before they were ready; restarts back off while this grows. */
  startFailures: number;
}

export interface RunnerPoolEvents {
  onMessage(slot: RunnerSlot, message: RunnerToHost): void;
  /** The slot's process exited; calls in it have failed and its plugins need reloading. */
  onRunnerLost(slot: RunnerSlot, exit: RunnerExit): void;
  /** A new process is ready in the slot; the host reloads the slot's plugins into it. */
  onRunnerReplaced(slot: RunnerSlot, runner: RunnerProcess): Promise<void>;
}

const MAX_RESTART_DELAY_MS = 5000;

/**
 * The runner processes: a fixed number of slots, plus one spare process started in advance so a crashed runner is
 * replaced in the time it takes to reload its plugins, not the time a Node process takes to start.
 */
export class RunnerPool {
  private readonly slots: RunnerSlot[];
  private spare: RunnerProcess | undefined;
  private started: Promise<void> | undefined;
  private disposed = false;
  /** Slots waiting out a restart backoff, with how to cancel the wait. */
  private readonly delayed = new Map<RunnerSlot, () => void>();

  constructor(
    private readonly options: { runners: number; heapCapMb: number },
    private readonly logger: Logger,
    private readonly events: RunnerPoolEvents,
  ) {
    this.slots = Array.from({ length: options.runners }, (_, index) => ({
      index, runner: undefined, restarts: 0, plugins: new Set<string>(), available: Promise.reject(new Error('not started')), startFailures: 0,
    }));
    for (const slot of this.slots) slot.available.catch(() => undefined);
  }

  /** The slot's process once it is ready (after a restart, the new one). */
  runnerFor(slot: RunnerSlot): Promise<RunnerProcess> {
    return slot.available;
  }

  /** Starts every slot's process (once); resolves when all are ready. */
  start(): Promise<void> {
    this.started ??= this.startAll();
    return this.started;
  }

  /** The slot with the fewest plugins (the lowest index on a tie); a plugin keeps its slot until unloaded. */
  assign(plugin: string): RunnerSlot {
    const existing = this.slotOf(plugin);
    if (existing !== undefined) return existing;
    const slot = this.slots.reduce((best, candidate) => (candidate.plugins.size < best.plugins.size ? candidate : best));
    slot.plugins.add(plugin);
    return slot;
  }

  release(plugin: string): void {
    this.slotOf(plugin)?.plugins.delete(plugin);
  }

  slotOf(plugin: string): RunnerSlot | undefined {
    return this.slots.find((slot) => slot.plugins.has(plugin));
  }

  stats(): { runners: Array<{ pid: number; plugins: string[]; restarts: number }> } {
    return {
      runners: this.slots
        .filter((slot) => slot.runner !== undefined)
        .map((slot) => ({ pid: slot.runner?.pid ?? 0, plugins: [...slot.plugins].sort(), restarts: slot.restarts })),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    const processes = [...this.slots.map((slot) => slot.runner), this.spare].filter((runner) => runner !== undefined);
    this.spare = undefined;
    await Promise.all(processes.map((runner) => runner.kill()));
  }

  private async startAll(): Promise<void> {
    for (const slot of this.slots) this.install(slot, new RunnerProcess(this.options.heapCapMb));
    try {
      await Promise.all(this.slots.map((slot) => slot.available));
    } catch (error) {
      this.started = undefined;
      throw error;
    }
    this.refillSpare();
  }

  private install(slot: RunnerSlot, runner: RunnerProcess): void {
    slot.runner = runner;
    runner.onMessage = (message) => this.events.onMessage(slot, message);
    runner.onExit = (exit) => this.lost(slot, runner, exit);
    const available = runner.ready.then(() => runner);
    available.catch(() => undefined);
    slot.available = available;
  }

  private lost(slot: RunnerSlot, runner: RunnerProcess, exit: RunnerExit, why?: string): void {
    if (this.disposed || slot.runner !== runner) return;
    slot.restarts++;
    slot.startFailures = exit.duringStartup ? slot.startFailures + 1 : 0;
    const message = why ?? (exit.duringStartup ? 'sandbox runner died while starting; starting another' : 'sandbox runner exited unexpectedly; restarting it');
    this.logger.error({ runner: slot.index, pid: runner.pid, code: exit.code, signal: exit.signal, stderr: exit.stderr.slice(-1000) || undefined }, message);
    this.events.onRunnerLost(slot, exit);
    const delay = slot.startFailures === 0 ? 0 : Math.min(100 * 2 ** (slot.startFailures - 1), MAX_RESTART_DELAY_MS);
    if (delay === 0) {
      void this.replace(slot);
      return;
    }
    // A runner that cannot start is retried with backoff, not in a tight loop; work for the slot waits meanwhile.
    slot.runner = undefined;
    let release: (next: Promise<RunnerProcess>) => void = () => undefined;
    slot.available = new Promise((resolve) => (release = resolve));
    slot.available.catch(() => undefined);
    const timer = setTimeout(() => {
      this.delayed.delete(slot);
      const replaced = this.replace(slot);
      release(slot.available);
      void replaced;
    }, delay);
    this.delayed.set(slot, () => {
      clearTimeout(timer);
      release(Promise.reject(new OpsroomError('E_SHUTTING_DOWN', 'opsroom is shutting down; the sandbox takes no new work')));
    });
  }

  private async replace(slot: RunnerSlot): Promise<void> {
    const runner = this.takeSpare() ?? new RunnerProcess(this.options.heapCapMb);
    this.install(slot, runner);
    try {
      await runner.ready;
    } catch {
      return; // its exit handler has already scheduled the next attempt
    }
    if (this.disposed || slot.runner !== runner) return;
    this.refillSpare();
    await this.events.onRunnerReplaced(slot, runner);
  }

  private takeSpare(): RunnerProcess | undefined {
    const spare = this.spare;
    this.spare = undefined;
    return spare?.alive === true ? spare : undefined;
  }

  private refillSpare(): void {
    if (this.disposed || this.spare !== undefined) return;
    const spare = new RunnerProcess(this.options.heapCapMb);
    this.spare = spare;
    spare.onExit = (exit) => {
      if (this.spare !== spare) return;
      this.spare = undefined;
      if (!this.disposed) this.logger.warn({ pid: spare.pid, code: exit.code, signal: exit.signal }, 'spare sandbox runner exited; a new one starts with the next restart');
    };
  }

  /** For the host's wall-time backstop: the slot moves on to a new process at once, and the unresponsive one is killed. */
  replaceUnresponsive(slot: RunnerSlot): void {
    const runner = slot.runner;
    if (runner === undefined || this.disposed) return;
    this.lost(slot, runner, { code: null, signal: null, duringStartup: false, stderr: '' }, 'sandbox runner stopped answering; killing and replacing it');
    void runner.kill();
  }

  assertUsable(): void {
    if (this.disposed) throw new OpsroomError('E_SHUTTING_DOWN', 'opsroom is shutting down; the sandbox takes no new work');
  }
}

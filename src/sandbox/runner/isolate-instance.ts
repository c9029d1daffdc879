import ivm from 'isolated-vm';
import type { LoadReport } from '../sandbox-host.js';
import { truncate } from '../sandbox-messages.js';
import { MAX_CAPABILITY_CALLS_IN_FLIGHT, MAX_NOTES_PER_CALL, MAX_PAYLOAD_BYTES, MAX_TIMERS } from '../sandbox-protocol.js';
import { BOOTSTRAP_SOURCE } from './bootstrap-source.js';


const BOOTSTRAP_SETTINGS = JSON.stringify({
  maxCapsInFlight: MAX_CAPABILITY_CALLS_IN_FLIGHT,
  maxArgChars: MAX_PAYLOAD_BYTES,
  maxOutputChars: MAX_PAYLOAD_BYTES,
  maxNotes: MAX_NOTES_PER_CALL,
  maxTimers: MAX_TIMERS,
});

/** Receives what the bootstrap sends out of the isolate; every argument is a copied primitive, still untrusted. */
export type BridgeListener = (kind: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown) => void;

export type DispatchArg = string | number | boolean | undefined;

export type InstallOutcome = { report: Omit<LoadReport, 'loadMs'> } | { refused: string };

export interface IsolateHooks {
  listener: BridgeListener;
  /** isolated-vm disposed the isolate itself: it ran out of memory (or failed catastrophically). */
  onLost(error: unknown): void;
  /**
   * Plugin code left a promise rejected with no handler when an operation ended. isolated-vm reports that as the
   * operation's failure; the operation itself has run, so this is the plugin's bug to report, not the bridge's.
   */
  onUnhandledRejection(reason: unknown): void;
  onCatastrophicError(message: string): void;
}

export function isMemoryError(error: unknown): boolean {
  return error instanceof Error && /memory limit/i.test(error.message);
}

/** A thrown value that isolated-vm copied out of the isolate, in words. */
export function describeIsolateError(error: unknown): string {
  if (error instanceof Error) {
    if (error.message.startsWith('An object was thrown from supplied code')) return 'a non-Error object';
    return error.name === 'Error' || error.name === '' ? truncate(error.message, 2000) : `${error.name}: ${truncate(error.message, 2000)}`;
  }
  return truncate(String(error), 500);
}

/**
 * One isolate with one context, the bootstrap evaluated in it, and the plugin module loaded after it. The runner
 * holds the only Reference (to the bootstrap's dispatch function); plugin code holds none.
 */
export class IsolateInstance {
  /** Dispatches queued or running: while above zero, the isolate may be executing plugin code. */
  outstanding = 0;
  /** The owner of each outstanding dispatch, oldest first (isolated-vm runs them in the order they were queued). */
  private readonly owners: Array<number | undefined> = [];
  private stopped = false;

  private constructor(
    readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    private readonly dispatchRef: ivm.Reference<unknown>,
    private readonly hooks: IsolateHooks,
  ) {}

  static async create(memoryMb: number, hooks: IsolateHooks): Promise<IsolateInstance> {
    // No inspector, ever: it would let a debugger protocol client reach into the isolate.
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: (message) => hooks.onCatastrophicError(message) });
    try {
      const context = await isolate.createContext();
      const bootstrap = await context.eval(BOOTSTRAP_SOURCE, { reference: true, filename: 'opsroom-bootstrap.js' });
      // Named so a test can look for it anywhere plugin code can reach (it must be nowhere).
      const opsroomBridge: BridgeListener = (kind, a, b, c, d, e) => hooks.listener(kind, a, b, c, d, e);
      const bridge = new ivm.Callback(opsroomBridge, { ignored: true });
      const dispatchRef = await bootstrap.apply(undefined, [bridge, BOOTSTRAP_SETTINGS], { result: { reference: true } });
      bootstrap.release();
      return new IsolateInstance(isolate, context, dispatchRef, hooks);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** Compiles (never from cached data), links with no imports, runs the top-level code and checks the default export. */
  async install(source: string): Promise<InstallOutcome> {
    let module: ivm.Module;
    try {
      module = await this.isolate.compileModule(source, { filename: 'index.js' });
    } catch (error) {
      if (this.isolate.isDisposed) throw error;
      return { refused: describeIsolateError(error) };
    }
    const imports = module.dependencySpecifiers;
    if (imports.length > 0) {
      const named = imports.slice(0, 5).map((specifier) => JSON.stringify(truncate(specifier, 100))).join(', ');
      return { refused: `imports are not allowed; index.js must be one self-contained module (it imports ${named})` };
    }
    await module.instantiate(this.context, (specifier) => {
      throw new Error(`import of ${specifier} is not allowed`);
    });
    try {
      await module.evaluate();
    } catch (error) {
      if (this.isolate.isDisposed) throw error;
      return { refused: `top-level code threw: ${describeIsolateError(error)}` };
    }
    const outcome = await this.dispatchRef.apply(undefined, ['install', module.namespace.derefInto()], { result: { copy: true } });
    module.release();
    const parsed = JSON.parse(String(outcome)) as { report?: Omit<LoadReport, 'loadMs'>; error?: string };
    return parsed.report !== undefined ? { report: parsed.report } : { refused: parsed.error ?? 'the default export could not be read' };
  }

  /**
   * Runs one bridge operation in the isolate, in order with the others; the outcome arrives through the listener.
   * `owner` is the call the operation runs code for, if one call can be named (a timer cannot).
   */
  dispatch(owner: number | undefined, op: string, ...args: DispatchArg[]): void {
    this.outstanding++;
    this.owners.push(owner);
    const settled = (): void => {
      this.outstanding--;
      this.owners.shift();
    };
    this.dispatchRef.apply(undefined, [op, ...args]).then(settled, (error: unknown) => {
      settled();
      if (this.stopped) return;
      if (this.isolate.isDisposed || isMemoryError(error)) this.hooks.onLost(error);
      else this.hooks.onUnhandledRejection(error);
    });
  }

  /** The call whose operation the isolate is executing now, if any: it is the one using the CPU. */
  get runningCall(): number | undefined {
    return this.outstanding > 0 ? this.owners[0] : undefined;
  }

  /** CPU time the isolate has used, in nanoseconds; it keeps counting while plugin code runs. */
  cpuNs(): number {
    return this.isolate.isDisposed ? 0 : Number(this.isolate.cpuTime);
  }

  /** Disposed by isolated-vm itself (memory limit, catastrophic error) rather than by `stop()`. */
  get lost(): boolean {
    return !this.stopped && this.isolate.isDisposed;
  }

  /** Terminates whatever runs in the isolate and frees it. */
  stop(): void {
    this.stopped = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}

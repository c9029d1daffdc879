import type { LoadReport, PluginLimits } from '../sandbox-host.js';
import {
  describeStop, stoppedMessage, stoppedWithSiblingMessage, threwMessage, tooLargeMessage, truncate, uncopyableMessage, unloadedMessage,
  type StopReason,
} from '../sandbox-messages.js';
import { MAX_PAYLOAD_BYTES, type CallRequest, type CapabilityReply, type LoadRequest, type RunnerToHost } from '../sandbox-protocol.js';
import { CallBudget, CpuMeter } from './call-budget.js';
import { BridgeTraffic } from './bridge-traffic.js';
import { describeIsolateError, IsolateInstance, isMemoryError } from './isolate-instance.js';

/** A load the plugin's own code made fail; the reason is shown after `<plugin>: `. */
export class LoadRefused extends Error {
  override readonly name = 'LoadRefused';
}

/** One call in flight, as the runner tracks it. */
export interface RunnerCall {
  readonly id: number;
  readonly budget: CallBudget;
  capsInFlight: number;
}

export interface RunnerOutput {
  send(message: RunnerToHost): void;
  onCatastrophicError(plugin: string, message: string): void;
}

/**
 * One plugin in a runner: its kept source, its current isolate, and the calls in flight in it. An isolate that runs
 * past a limit is disposed and rebuilt from the kept source (top-level code only) for the next call.
 */
export class PluginIsolate {
  readonly name: string;
  readonly limits: PluginLimits;
  private readonly source: string;
  private instance: IsolateInstance | undefined;
  private meter = new CpuMeter(0);
  private generation = 0;
  /** The isolate being built, with the budget its top-level code runs under. */
  private pendingLoad: { instance: IsolateInstance; budget: CallBudget; meter: CpuMeter } | undefined;
  private loadStop: StopReason | undefined;
  private building = false;
  private rebuilding: Promise<void> | undefined;
  private rebuildFailure: string | undefined;
  private retired = false;
  private rejections = { loggedAt: -Infinity, suppressed: 0 };
  readonly calls = new Map<number, RunnerCall>();
  private readonly traffic: BridgeTraffic;

  constructor(request: LoadRequest, private readonly output: RunnerOutput) {
    this.name = request.plugin;
    this.limits = request.limits;
    this.source = request.source;
    this.traffic = new BridgeTraffic(this, output);
  }

  /** Builds the isolate from the source; rejects with LoadRefused naming what went wrong. */
  async load(): Promise<LoadReport> {
    return this.build();
  }

  get busy(): boolean {
    return this.calls.size > 0 || this.building;
  }

  get current(): IsolateInstance | undefined {
    return this.instance;
  }

  async call(request: CallRequest): Promise<void> {
    if (this.instance === undefined) {
      const failure = await this.whenRebuilt();
      if (failure !== undefined) {
        this.output.send({ t: 'fail', id: request.id, message: `${this.name} could not be restarted after it was stopped: ${failure}` });
        return;
      }
    }
    const instance = this.instance as IsolateInstance;
    this.chargeCpu();
    const budget = new CallBudget(this.limits.cpuMs * 1e6, this.limits.wallMs, performance.now());
    this.calls.set(request.id, { id: request.id, budget, capsInFlight: 0 });
    instance.dispatch(request.id, 'start', request.id, request.kind, request.name ?? '', request.context, request.payload);
  }

  capabilityReply(reply: CapabilityReply): void {
    const call = this.calls.get(reply.call);
    if (call === undefined || this.instance === undefined) return;
    call.capsInFlight--;
    this.instance.dispatch(reply.call, 'settle', reply.call, reply.cap, reply.value, reply.error?.name, reply.error?.message);
  }

  /** Charges CPU, then ends whatever went past a limit. Called every tick while busy. */
  tick(now: number): void {
    if (this.pendingLoad !== undefined) this.checkLoad(now, this.pendingLoad);
    const instance = this.instance;
    if (instance === undefined) return;
    if (instance.lost) {
      this.stopInstance('memory', undefined);
      return;
    }
    this.chargeCpu();
    for (const call of this.calls.values()) {
      const reason = call.budget.overrun(now);
      if (reason === undefined) continue;
      this.overrun(call, reason);
      if (this.instance !== instance) return;
    }
  }

  /** Ends a call whose result arrived, or whose handler threw. */
  complete(callId: number, outcome: { value?: string } | { failure: string }): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.chargeCpu();
    this.forget(call);
    if (call.budget.cpuNs > this.limits.cpuMs * 1e6) {
      this.fail(call.id, stoppedMessage(this.name, 'cpu', this.limits));
    } else if ('failure' in outcome) {
      this.fail(call.id, outcome.failure);
    } else if (outcome.value !== undefined && Buffer.byteLength(outcome.value, 'utf8') > MAX_PAYLOAD_BYTES) {
      this.fail(call.id, tooLargeMessage(this.name));
    } else {
      this.output.send(outcome.value === undefined ? { t: 'result', id: call.id } : { t: 'result', id: call.id, value: outcome.value });
    }
  }

  threw(callId: number, name: string, message: string): void {
    this.complete(callId, { failure: threwMessage(this.name, truncate(name, 100), truncate(message, 2000)) });
  }

  returnedTooMuch(callId: number): void {
    this.complete(callId, { failure: tooLargeMessage(this.name) });
  }

  returnedUncopyable(callId: number, detail: string): void {
    this.complete(callId, { failure: uncopyableMessage(this.name, truncate(detail, 500)) });
  }

  /** Stops taking calls; the isolate is disposed once the calls in flight have ended. */
  retire(): void {
    this.retired = true;
    if (this.calls.size === 0) this.dispose();
  }

  get finished(): boolean {
    return this.retired && this.instance === undefined && this.calls.size === 0;
  }

  unload(): void {
    this.retired = true;
    for (const call of [...this.calls.values()]) {
      this.forget(call);
      this.fail(call.id, unloadedMessage(this.name));
    }
    this.dispose();
  }

  private dispose(): void {
    this.generation++;
    this.traffic.clearTimers();
    this.pendingLoad?.instance.stop();
    this.instance?.stop();
    this.instance = undefined;
  }

  private async build(): Promise<LoadReport> {
    const started = performance.now();
    const generation = ++this.generation;
    this.loadStop = undefined;
    this.building = true;
    let instance: IsolateInstance | undefined;
    try {
      instance = await IsolateInstance.create(this.limits.memoryMb, {
        listener: (kind, a, b, c, d, e) => {
          if (this.generation === generation) this.traffic.receive(kind, a, b, c, d, e);
        },
        onLost: () => {
          if (this.generation === generation) this.stopInstance('memory', undefined);
        },
        onUnhandledRejection: (reason) => {
          if (this.generation === generation) this.unhandledRejection(reason);
        },
        onCatastrophicError: (message) => this.output.onCatastrophicError(this.name, message),
      });
      const budget = new CallBudget(this.limits.cpuMs * 1e6, this.limits.wallMs, started);
      this.pendingLoad = { instance, budget, meter: new CpuMeter(instance.cpuNs()) };
      const outcome = await instance.install(this.source);
      if ('refused' in outcome) throw new LoadRefused(outcome.refused);
      if (this.generation !== generation) throw new LoadRefused('it was unloaded while it was loading');
      this.instance = instance;
      this.meter = new CpuMeter(instance.cpuNs());
      return { ...outcome.report, loadMs: Math.round((performance.now() - started) * 1000) / 1000 };
    } catch (error) {
      instance?.stop();
      throw this.loadFailure(error, instance);
    } finally {
      this.pendingLoad = undefined;
      this.building = false;
    }
  }

  private checkLoad(now: number, load: { instance: IsolateInstance; budget: CallBudget; meter: CpuMeter }): void {
    load.meter.charge(load.instance.cpuNs(), [load.budget], 1);
    const reason = load.budget.overrun(now);
    if (reason === undefined) return;
    this.loadStop = reason;
    load.instance.stop();
  }

  private loadFailure(error: unknown, instance: IsolateInstance | undefined): LoadRefused {
    if (error instanceof LoadRefused) return error;
    if (this.retired) return new LoadRefused('it was unloaded while it was loading');
    const stop = this.loadStop ?? (isMemoryError(error) || instance?.isolate.isDisposed === true ? 'memory' : undefined);
    if (stop !== undefined) return new LoadRefused(`top-level code ${describeStop(stop, this.limits)}`);
    return new LoadRefused(`the sandbox could not load it: ${describeIsolateError(error)}`);
  }

  /** Waits for the rebuild after a stop (starting one if an earlier one failed); resolves to why it failed, if it did. */
  private async whenRebuilt(): Promise<string | undefined> {
    if (this.rebuilding === undefined) this.startRebuild();
    await this.rebuilding;
    return this.instance === undefined ? (this.rebuildFailure ?? 'it was unloaded') : undefined;
  }

  private startRebuild(): void {
    if (this.retired) return;
    this.rebuilding = this.build().then(
      () => {
        this.rebuildFailure = undefined;
      },
      (error: unknown) => {
        this.rebuildFailure = error instanceof Error ? error.message : String(error);
        this.output.send({ t: 'log', level: 'error', msg: 'plugin isolate could not be rebuilt', fields: { plugin: this.name, reason: this.rebuildFailure } });
      },
    ).finally(() => {
      this.rebuilding = undefined;
    });
  }

  private chargeCpu(): void {
    if (this.instance === undefined) return;
    const running = this.instance.runningCall;
    const budgets = [...this.calls.values()].map((call) => call.budget);
    this.meter.charge(this.instance.cpuNs(), budgets, budgets.length, running === undefined ? undefined : this.calls.get(running)?.budget);
  }

  private overrun(call: RunnerCall, reason: StopReason): void {
    const instance = this.instance;
    if (reason === 'wall' && instance !== undefined && instance.outstanding === 0) {
      // Nothing is executing: the call is only waiting (on a capability or a timer), so it alone ends.
      this.forget(call);
      instance.dispatch(undefined, 'end', call.id);
      this.fail(call.id, stoppedMessage(this.name, 'wall', this.limits));
      return;
    }
    this.stopInstance(reason, call);
  }

  /** Disposes the isolate (ending whatever runs in it) and fails every call in flight; the next call gets a fresh one. */
  private stopInstance(reason: StopReason, culprit: RunnerCall | undefined): void {
    this.dispose();
    for (const call of [...this.calls.values()]) {
      this.forget(call);
      const sibling = culprit !== undefined && call !== culprit;
      this.fail(call.id, sibling ? stoppedWithSiblingMessage(this.name, reason, this.limits) : stoppedMessage(this.name, reason, this.limits));
    }
    this.output.send({ t: 'log', level: 'warn', msg: 'plugin isolate stopped', fields: { plugin: this.name, reason } });
    if (!this.retired) this.startRebuild();
  }

  /** Logged (at most every 10 s per plugin, with a count), like a browser would; the calls carry on. */
  private unhandledRejection(reason: unknown): void {
    this.rejections.suppressed++;
    const now = performance.now();
    if (now - this.rejections.loggedAt < 10_000) return;
    const fields = { plugin: this.name, reason: describeIsolateError(reason), count: this.rejections.suppressed };
    this.rejections = { loggedAt: now, suppressed: 0 };
    this.output.send({ t: 'log', level: 'warn', msg: 'plugin code left a promise rejection unhandled', fields });
  }

  private forget(call: RunnerCall): void {
    this.calls.delete(call.id);
    if (this.calls.size > 0) return;
    this.traffic.clearTimers();
    if (this.retired) this.dispose();
  }

  private fail(id: number, message: string): void {
    this.output.send({ t: 'fail', id, message });
  }
}

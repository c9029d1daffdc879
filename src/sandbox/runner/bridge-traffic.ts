import { checkCapabilityShape } from '../capability-check.js';
import { MAX_CAPABILITY_CALLS_IN_FLIGHT, MAX_TIMERS } from '../sandbox-protocol.js';
import type { PluginIsolate, RunnerOutput } from './plugin-isolate.js';

const MAX_TIMER_MS = 2_147_483_647;

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

/**
 * What the bootstrap sends out of one plugin's isolate: results, capability calls, timers. Plugin code cannot reach
 * the bridge, but everything is still checked here as if it could: ids must name a call in flight, values must be
 * the expected primitives, and capability calls must be well-formed and within the in-flight cap.
 */
export class BridgeTraffic {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly plugin: PluginIsolate, private readonly output: RunnerOutput) {}

  receive(kind: unknown, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown): void {
    switch (kind) {
      case 'done':
        if (isId(a) && optionalString(b)) this.plugin.complete(a, b === undefined ? {} : { value: b });
        return;
      case 'threw':
        if (isId(a) && typeof b === 'string' && typeof c === 'string') this.plugin.threw(a, b, c);
        return;
      case 'big':
        if (isId(a)) this.plugin.returnedTooMuch(a);
        return;
      case 'bad':
        if (isId(a) && typeof b === 'string') this.plugin.returnedUncopyable(a, b);
        return;
      case 'cap':
        this.request(a, b, c, d, e);
        return;
      case 'note':
        this.note(a, b, c, d);
        return;
      case 'timer':
        this.setTimer(a, b);
        return;
      case 'untimer':
        this.clearTimer(a);
        return;
      default:
        this.output.send({ t: 'log', level: 'warn', msg: 'unknown message from a plugin isolate', fields: { plugin: this.plugin.name } });
    }
  }

  clearTimers(): void {
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }

  private request(callId: unknown, capId: unknown, capability: unknown, method: unknown, args: unknown): void {
    if (!isId(callId) || !isId(capId)) return;
    const call = this.plugin.calls.get(callId);
    const instance = this.plugin.current;
    // A call that has ended may still have code running; what it asks for now is dropped.
    if (call === undefined || instance === undefined) return;
    const refused = checkCapabilityShape(capability, method, args, 'request');
    if (refused !== undefined) {
      instance.dispatch(callId, 'settle', callId, capId, undefined, 'TypeError', refused);
      return;
    }
    if (call.capsInFlight >= MAX_CAPABILITY_CALLS_IN_FLIGHT) {
      const message = `too many capability calls in flight (limit ${MAX_CAPABILITY_CALLS_IN_FLIGHT}); await some before starting more`;
      instance.dispatch(callId, 'settle', callId, capId, undefined, 'RangeError', message);
      return;
    }
    call.capsInFlight++;
    this.output.send({ t: 'cap', call: callId, cap: capId, capability: capability as string, method: method as string, args: args as string });
  }

  private note(callId: unknown, capability: unknown, method: unknown, args: unknown): void {
    if (!isId(callId) || !this.plugin.calls.has(callId)) return;
    if (checkCapabilityShape(capability, method, args, 'note') !== undefined) return;
    this.output.send({ t: 'note', call: callId, capability: capability as string, method: method as string, args: args as string });
  }

  private setTimer(id: unknown, ms: unknown): void {
    // Timers live only while a call is in flight; the bootstrap sets none otherwise, and a stale request is ignored.
    if (!isId(id) || typeof ms !== 'number' || !(ms >= 1) || this.plugin.calls.size === 0) return;
    if (!this.timers.has(id) && this.timers.size >= MAX_TIMERS) return;
    clearTimeout(this.timers.get(id));
    const handle = setTimeout(() => {
      this.timers.delete(id);
      if (this.plugin.calls.size > 0) this.plugin.current?.dispatch(undefined, 'fire', id);
    }, Math.min(ms, MAX_TIMER_MS));
    this.timers.set(id, handle);
  }

  private clearTimer(id: unknown): void {
    if (!isId(id)) return;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}

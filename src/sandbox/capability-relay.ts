import { OpsroomError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkCapabilityCall } from './capability-check.js';
import type { PendingCall } from './call-registry.js';
import { truncate } from './sandbox-messages.js';
import { MAX_CAPABILITY_CALLS_IN_FLIGHT, type CapabilityNote, type CapabilityReply, type CapabilityRequest } from './sandbox-protocol.js';

/** How an error thrown by a capability handler is shown inside the isolate: name and message only, never a stack. */
export function errorForIsolate(error: unknown): { name: string; message: string } {
  if (error instanceof OpsroomError && error.code === 'E_CAPABILITY_DENIED') return { name: 'CapabilityDenied', message: error.message };
  if (error instanceof Error) return { name: truncate(error.name || 'Error', 100), message: truncate(error.message, 2000) };
  let text: string;
  try {
    text = String(error);
  } catch {
    text = 'the capability failed with a value that cannot be printed';
  }
  return { name: 'Error', message: truncate(text, 2000) };
}

/** Carries capability calls from a runner to the call's CapabilityHandler and the answers back, checking both ways. */
export class CapabilityRelay {
  constructor(private readonly logger: Logger) {}

  request(call: PendingCall, message: CapabilityRequest, reply: (answer: CapabilityReply) => void): void {
    const answer = (outcome: { value?: string; error?: { name: string; message: string } }): void =>
      reply({ t: 'capres', plugin: call.plugin, call: message.call, cap: message.cap, ...outcome });
    const checked = checkCapabilityCall(message.capability, message.method, message.args, 'request');
    if (!checked.ok) {
      answer({ error: { name: 'TypeError', message: checked.reason } });
      return;
    }
    if (call.capsInFlight >= MAX_CAPABILITY_CALLS_IN_FLIGHT) {
      answer({ error: { name: 'RangeError', message: `too many capability calls in flight (limit ${MAX_CAPABILITY_CALLS_IN_FLIGHT})` } });
      return;
    }
    call.capsInFlight++;
    const capability = checked.call.capability;
    Promise.resolve()
      .then(() => call.handler(checked.call))
      .then(
        (value) => answer(this.encode(call, capability, value)),
        (error: unknown) => answer({ error: errorForIsolate(error) }),
      )
      .finally(() => {
        call.capsInFlight--;
      });
  }

  note(call: PendingCall, message: CapabilityNote): void {
    const checked = checkCapabilityCall(message.capability, message.method, message.args, 'note');
    if (!checked.ok) return;
    Promise.resolve()
      .then(() => call.handler(checked.call))
      .catch((error: unknown) => {
        this.logger.warn({ plugin: call.plugin, capability: checked.call.capability, method: checked.call.method, err: error }, 'capability handler failed on a fire-and-forget call');
      });
  }

  private encode(call: PendingCall, capability: string, value: unknown): { value?: string; error?: { name: string; message: string } } {
    try {
      const json = value === undefined ? undefined : JSON.stringify(value);
      return json === undefined ? {} : { value: json };
    } catch (error) {
      this.logger.error({ plugin: call.plugin, capability, err: error }, 'capability handler returned a value that is not JSON-serializable');
      return { error: { name: 'Error', message: `ctx.${capability} returned a value that cannot be copied into the sandbox` } };
    }
  }
}

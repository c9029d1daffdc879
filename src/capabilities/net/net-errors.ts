import { OpsroomError } from '../../core/errors.js';

/** A refusal by policy (grant, address, limit); the sandbox bridge shows it to plugins as `CapabilityDenied`. */
export class CapabilityDeniedError extends OpsroomError {
  override readonly name: string = 'CapabilityDenied';
  constructor(message: string) {
    super('E_CAPABILITY_DENIED', message);
  }
}

/**
 * A request that could not be made or failed on the wire: malformed input, DNS, connection, TLS.
 * No `cause` is kept on either class: a low-level error may quote request data, so callers put
 * its redacted text into the message instead.
 */
export class NetworkError extends OpsroomError {
  override readonly name: string = 'NetworkError';
  constructor(message: string) {
    super('E_NET', message);
  }
}

export function netDenied(message: string): CapabilityDeniedError {
  return new CapabilityDeniedError(message);
}

export function netFailed(message: string): NetworkError {
  return new NetworkError(message);
}

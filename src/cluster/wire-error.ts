import { ERROR_CODES, OpsroomError, UserError, type ErrorCode } from '../core/errors.js';

/** An error as it travels between processes: the code, the words and the name, never a stack. */
export interface WireError {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** The error's name when it matters to the receiver (`CapabilityDenied` reaches plugin code by name). */
  name?: string;
}

export function toWire(error: unknown): WireError {
  if (error instanceof OpsroomError) {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), name: error.name };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'E_INTERNAL', message, ...(error instanceof Error ? { name: error.name } : {}) };
}

/** The error back as an OpsroomError of the same code; a code this version does not know becomes E_CLUSTER. */
export function fromWire(wire: unknown): OpsroomError {
  const value = (typeof wire === 'object' && wire !== null ? wire : {}) as Partial<WireError>;
  const message = typeof value.message === 'string' ? value.message : 'a cluster peer reported a failure without a message';
  if (typeof value.code !== 'string' || !(value.code in ERROR_CODES)) {
    return new OpsroomError('E_CLUSTER', `a cluster peer reported a failure with an unknown code ${JSON.stringify(value.code)}: ${message}`);
  }
  const code = value.code as ErrorCode;
  const options = typeof value.hint === 'string' ? { hint: value.hint } : {};
  const error = ERROR_CODES[code].audience === 'user' ? new UserError(code, message, options) : new OpsroomError(code, message, options);
  if (typeof value.name === 'string' && value.name !== error.name) Object.defineProperty(error, 'name', { value: value.name });
  return error;
}

import { OpsroomError } from '../core/errors.js';
import type { JsonObject, JsonValue } from './json-value.js';

/** Keys whose values never reach the audit log. */
export const SECRET_KEY = /token|secret|password|passwd|authorization|api[-_]?key|credential/i;
export const REDACTED = '[redacted]';

function invalid(path: string, what: string): OpsroomError {
  return new OpsroomError('E_INTERNAL', `audit entry ${path} is ${what}; audit values must be JSON (string, finite number, boolean, null, array, plain object)`);
}

function toJsonObject(value: object, path: string, seen: Set<object>): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const json = SECRET_KEY.test(key) ? REDACTED : toJsonValue(member, `${path}.${key}`, seen);
    // defineProperty, because assigning a "__proto__" key would replace the prototype instead of storing it.
    Object.defineProperty(out, key, { value: json, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function toJsonContainer(value: object, path: string, seen: Set<object>): JsonValue {
  if (seen.has(value)) throw invalid(path, 'a circular reference');
  seen.add(value);
  try {
    if (Array.isArray(value)) return Array.from(value, (item: unknown, index) => toJsonValue(item ?? null, `${path}[${index}]`, seen));
    if (value instanceof Error) return toJsonObject({ name: value.name, message: value.message, code: (value as { code?: unknown }).code }, path, seen);
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return toJsonValue((value as { toJSON(): unknown }).toJSON(), path, seen);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw invalid(path, `a ${value.constructor?.name ?? 'non-plain object'}`);
    return toJsonObject(value, path, seen);
  } finally {
    seen.delete(value);
  }
}

function toJsonValue(value: unknown, path: string, seen: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, String(value));
      return value;
    case 'object':
      return value === null ? null : toJsonContainer(value, path, seen);
    default:
      throw invalid(path, `a ${typeof value}`);
  }
}

/**
 * `args` or `detail` as a JSON object with secret-looking keys redacted at every depth. Dates and other
 * objects with toJSON become their JSON form, Errors their name, message and code; anything JSON cannot
 * carry exactly (bigint, functions, NaN, Map, circular references) is refused rather than silently changed.
 */
export function toAuditObject(value: unknown, field: 'args' | 'detail'): JsonObject | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, Array.isArray(value) ? 'an array (expected an object)' : `a ${typeof value} (expected an object)`);
  const json = toJsonValue(value, field, new Set());
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid(field, 'not an object after toJSON()');
  return json;
}

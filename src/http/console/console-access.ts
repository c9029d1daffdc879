import type { Actor } from '../../core/chat-event.js';
import type { RbacService } from '../../rbac/rbac-service.js';
import { ConsoleHttpError } from './http-io.js';

/** Refuses with 403 naming the permission when the acting user lacks it: views check exactly what the chat commands check. */
export function requirePermission(rbac: RbacService, actor: Actor, permission: string, what: string): void {
  if (rbac.can(actor, permission)) return;
  throw new ConsoleHttpError(403, 'E_DENIED', `${what} needs the permission ${permission}, which ${actor.name} does not hold`);
}

/** A whole number query parameter within bounds, or the default when absent. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConsoleHttpError(400, 'E_BAD_ARGS', `${name} must be a whole number from ${min} to ${max}, not "${raw.slice(0, 40)}"`);
  }
  return Number(raw);
}

/** A text query parameter, trimmed; undefined when absent or empty. */
export function textParam(query: URLSearchParams, name: string, max = 200): string | undefined {
  const raw = query.get(name)?.trim();
  if (!raw) return undefined;
  if (raw.length > max) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `${name} may be at most ${max} characters`);
  return raw;
}

import type { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../core/chat-event.js';
import type { Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { isQualifiedUser } from '../core/identity.js';
import { PermissionSet } from './permission-set.js';
import { RBAC_ADMIN_PERMISSION, type RbacSettings } from './rbac-settings.js';
import type { RoleModel } from './role-model.js';

/** Who makes an RBAC change, and from where (for the audit entry). */
export interface ChangeContext {
  actor: Actor;
  platform?: string;
  channel?: string;
  invocationId?: string;
}

/** The actor of changes made outside chat (the `opsroom roles` command): holds no role, and is never locked out. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', name: 'system', isBot: false, groups: [] as string[] });

/** A principal given by a caller must be a qualified user id. */
export function checkPrincipal(principal: string): string {
  if (!isQualifiedUser(principal)) {
    throw new UserError('E_BAD_ARGS', `"${principal}" is not a user id (expected a mention, or an id such as discord:user:123 or local:user:alice)`);
  }
  return principal;
}

function holdsAdmin(settings: RbacSettings, model: RoleModel, actor: Actor): boolean {
  const patterns = model.rolesOf(actor).flatMap((role) => settings.roles[role]?.permissions ?? []);
  return new PermissionSet(patterns).has(RBAC_ADMIN_PERMISSION);
}

/** Refuses a change that would take the acting admin's own last `rbac:admin` away, so roles stay manageable from chat. */
export function assertNoLockout(settings: RbacSettings, before: RoleModel, after: RoleModel, actor: Actor, what: string): void {
  if (actor.id === SYSTEM_ACTOR.id) return;
  if (holdsAdmin(settings, before, actor) && !holdsAdmin(settings, after, actor)) {
    throw new UserError('E_LOCKOUT', `${what} would take away your own ${RBAC_ADMIN_PERMISSION}: no other role of yours grants it. Ask another admin to do it.`);
  }
}

export async function auditChange(audit: AuditLog, action: string, context: ChangeContext, detail: Record<string, unknown>): Promise<void> {
  await audit.append({
    action, actor: context.actor.id, platform: context.platform, channel: context.channel,
    invocationId: context.invocationId, outcome: 'succeeded', detail,
  });
}

/** The context of a change asked for in chat. */
export function contextOf(invocation: Invocation): ChangeContext {
  return { actor: invocation.actor, platform: invocation.platform, channel: invocation.channel.id, invocationId: invocation.id };
}

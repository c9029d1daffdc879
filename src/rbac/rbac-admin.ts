import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { assertNoLockout, auditChange, checkPrincipal, type ChangeContext } from './change-context.js';
import { RbacService } from './rbac-service.js';
import { RbacSettings } from './rbac-settings.js';
import type { RoleChange } from './rbac-state.js';
import { RbacStore } from './rbac-store.js';
import { RoleModel, type DirectHolding } from './role-model.js';

/** One configured role and who holds it. */
export interface RoleReport {
  name: string;
  description?: string;
  permissions: string[];
  /** Principals holding it themselves (configuration or grant), sorted. */
  principals: string[];
  /** Platform groups bound to it in the configuration, sorted. */
  groups: string[];
}

/** Everything about one principal's roles. */
export interface PrincipalReport {
  principal: string;
  /** Roles it holds itself, with their source. */
  holdings: DirectHolding[];
  /** Configuration bindings hidden by a revocation. */
  hidden: RoleChange[];
  linked: string[];
  /** Roles that come from a linked identity. */
  throughLinks: Array<{ role: string; from: string }>;
}

export interface RoleChangeResult {
  principal: string;
  role: string;
  /** False when the principal already was in that state; nothing was stored or audited. */
  changed: boolean;
  /** For a revocation: a configuration binding is now hidden. */
  hidesConfigBinding?: boolean;
}

/** Role changes at runtime, by holders of `rbac:admin` or the CLI: the configuration is the seed, the database holds changes. */
export const RbacAdmin = Symbol('RbacAdmin');
export interface RbacAdmin {
  listRoles(): Promise<RoleReport[]>;
  show(principal: string): Promise<PrincipalReport>;
  grant(principal: string, role: string, context: ChangeContext): Promise<RoleChangeResult>;
  revoke(principal: string, role: string, context: ChangeContext): Promise<RoleChangeResult>;
}

@injectable()
export class RbacAdminImpl implements RbacAdmin {
  constructor(
    @inject(RbacSettings) private readonly settings: RbacSettings,
    @inject(RbacStore) private readonly store: RbacStore,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async listRoles(): Promise<RoleReport[]> {
    const model = await this.freshModel();
    const principals = model.principals();
    return Object.entries(this.settings.roles).sort(([a], [b]) => a.localeCompare(b)).map(([name, role]) => ({
      name,
      ...(role.description === undefined ? {} : { description: role.description }),
      permissions: role.permissions,
      principals: principals.filter((p) => model.holdsDirectly(p, name)),
      groups: [...model.groupBindings()].filter(([, roles]) => roles.has(name)).map(([group]) => group).sort(),
    }));
  }

  async show(principal: string): Promise<PrincipalReport> {
    const model = await this.freshModel();
    const who = checkPrincipal(principal);
    const linked = model.linkedTo(who);
    return {
      principal: who,
      holdings: model.directHoldings(who),
      hidden: model.hiddenBindings(who),
      linked,
      throughLinks: linked.flatMap((from) => model.directHoldings(from)
        .filter((h) => !model.holdsDirectly(who, h.role))
        .map((h) => ({ role: h.role, from }))),
    };
  }

  async grant(principal: string, role: string, context: ChangeContext): Promise<RoleChangeResult> {
    const who = checkPrincipal(principal);
    this.checkRoleExists(role);
    const model = await this.freshModel();
    if (model.holdsDirectly(who, role)) return { principal: who, role, changed: false };
    await this.store.saveRoleChange({ principal: who, role, state: 'granted', by: context.actor.id, at: this.clock.now() });
    await auditChange(this.audit, 'rbac.role.granted', context, { principal: who, role });
    await this.rbac.reload();
    return { principal: who, role, changed: true };
  }

  async revoke(principal: string, role: string, context: ChangeContext): Promise<RoleChangeResult> {
    const who = checkPrincipal(principal);
    const model = await this.freshModel();
    const holding = model.directHoldings(who).find((h) => h.role === role);
    if (!holding) throw this.notHeld(model, who, role);
    const change: RoleChange = { principal: who, role, state: 'revoked', by: context.actor.id, at: this.clock.now() };
    assertNoLockout(this.settings, model, model.withChange(change), context.actor, `Revoking ${role} from ${who}`);
    await this.store.saveRoleChange(change);
    const hidesConfigBinding = holding.source === 'config';
    await auditChange(this.audit, 'rbac.role.revoked', context, { principal: who, role, hidesConfigBinding });
    await this.rbac.reload();
    return { principal: who, role, changed: true, hidesConfigBinding };
  }

  private async freshModel(): Promise<RoleModel> {
    return new RoleModel(this.settings, await this.store.load());
  }

  private checkRoleExists(role: string): void {
    if (Object.hasOwn(this.settings.roles, role)) return;
    throw new UserError('E_NOT_FOUND', `There is no role "${role}". Known roles: ${this.knownRoles()} (defined in rbac.roles of the configuration).`);
  }

  private knownRoles(): string {
    const names = Object.keys(this.settings.roles).sort();
    return names.length > 0 ? names.join(', ') : 'none';
  }

  private notHeld(model: RoleModel, who: string, role: string): UserError {
    if (!Object.hasOwn(this.settings.roles, role) && !model.linkedTo(who).some((p) => model.holdsDirectly(p, role))) {
      return new UserError('E_NOT_FOUND', `There is no role "${role}". Known roles: ${this.knownRoles()}.`);
    }
    const from = model.linkedTo(who).find((p) => model.holdsDirectly(p, role));
    if (from) return new UserError('E_NOT_FOUND', `${who} holds ${role} through the linked identity ${from}; revoke it from ${from}.`);
    return new UserError('E_NOT_FOUND', `${who} does not hold ${role} itself. Roles given through platform groups change on the platform or in rbac.bindings of the configuration.`);
  }
}

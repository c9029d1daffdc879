import { inject, injectable } from 'inversify';
import type { Actor } from '../core/chat-event.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { allow, deny, type Decision } from '../core/decision.js';
import { PermissionSet } from './permission-set.js';
import { RbacSettings } from './rbac-settings.js';
import { EMPTY_RBAC_STATE } from './rbac-state.js';
import { RbacStore } from './rbac-store.js';
import { RoleModel } from './role-model.js';
import { RuleBook } from './rule-book.js';

export { RbacSettings, type RoleBinding, type RoleDefinition } from './rbac-settings.js';

/** Who holds which roles and permissions; principals are qualified ids, never display names. */
export const RbacService = Symbol('RbacService');
export interface RbacService {
  /** Synchronous and cached: it runs for every message. */
  rolesOf(actor: Actor): string[];
  can(actor: Actor, permission: string): boolean;
  /** May this actor run this command at all? Read-only built-ins are open to everyone. */
  mayRun(actor: Actor, spec: CommandSpec): Decision;
  /** May this invocation run: the command's permission, plus rules on its arguments and channel. */
  decide(invocation: Invocation, spec: CommandSpec): Decision;
  /** The other identities of the same person (linked on other platforms), sorted. */
  linkedIdentities(principal: string): string[];
  /** Replaces the cache with the database's role changes and links; every change, local or not, ends here. */
  reload(): Promise<void>;
}

/** Without a store (benchmarks, unit tests of decisions) the configuration alone is the state. */
const CONFIG_ONLY: Pick<RbacStore, 'load'> = { load: async () => EMPTY_RBAC_STATE };

@injectable()
export class RbacServiceImpl implements RbacService {
  private model: RoleModel;
  private readonly rules: RuleBook;
  private readonly rolePatterns: ReadonlyMap<string, string[]>;
  /** Compiled permission sets by sorted role list: most callers share a handful of combinations. */
  private readonly cache = new Map<string, PermissionSet>();
  /** The same sets by the model's shared role arrays, which skips building the key on the hot path. */
  private readonly byRoleArray = new WeakMap<readonly string[], PermissionSet>();
  private loadsStarted = 0;
  private loadApplied = 0;

  constructor(
    @inject(RbacSettings) private readonly settings: RbacSettings,
    @inject(RbacStore) private readonly store: Pick<RbacStore, 'load'> = CONFIG_ONLY,
  ) {
    this.rolePatterns = new Map(Object.entries(settings.roles).map(([name, role]) => [name, role.permissions]));
    this.rules = new RuleBook(settings.rules ?? [], settings.channels ?? {});
    this.model = new RoleModel(settings, EMPTY_RBAC_STATE);
  }

  rolesOf(actor: Actor): string[] {
    return [...this.model.rolesOf(actor)];
  }

  can(actor: Actor, permission: string): boolean {
    if (actor.isBot) return false;
    return this.permissionSet(actor).has(permission);
  }

  mayRun(actor: Actor, spec: CommandSpec): Decision {
    if (actor.isBot) return deny('bots cannot run commands');
    if (spec.readOnly) return allow;
    if (this.permissionSet(actor).has(spec.permission)) return allow;
    return deny(`${spec.name} needs the permission ${spec.permission} and ${this.why(actor)}; ask an admin for a role`);
  }

  decide(invocation: Invocation, spec: CommandSpec): Decision {
    const { actor } = invocation;
    const base = this.mayRun(actor, spec);
    if (!base.allowed || !this.rules.governs(spec.name)) return base;
    const set = this.permissionSet(actor);
    return this.rules.check(spec, invocation.args, invocation.channel, { has: (permission) => set.has(permission), why: () => this.why(actor) });
  }

  linkedIdentities(principal: string): string[] {
    return this.model.linkedTo(principal);
  }

  async reload(): Promise<void> {
    const ticket = ++this.loadsStarted;
    const state = await this.store.load();
    // Two reloads may finish out of order; the later one read the newer state.
    if (ticket < this.loadApplied) return;
    this.loadApplied = ticket;
    this.model = new RoleModel(this.settings, state);
  }

  private why(actor: Actor): string {
    const roles = this.rolesOf(actor);
    return roles.length === 0 ? 'you have no role that grants it' : `none of your roles (${roles.join(', ')}) grants it`;
  }

  private permissionSet(actor: Actor): PermissionSet {
    const roles = this.model.rolesOf(actor);
    let set = this.byRoleArray.get(roles);
    if (set) return set;
    const key = roles.join(',');
    set = this.cache.get(key);
    if (!set) {
      set = new PermissionSet(roles.flatMap((r) => this.rolePatterns.get(r) ?? []));
      this.cache.set(key, set);
    }
    this.byRoleArray.set(roles, set);
    return set;
  }
}

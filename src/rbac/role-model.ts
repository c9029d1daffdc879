import type { Actor } from '../core/chat-event.js';
import { LinkGraph } from './link-graph.js';
import type { RbacSettings } from './rbac-settings.js';
import type { IdentityLink, RbacState, RoleChange } from './rbac-state.js';

const NO_ROLES: readonly string[] = Object.freeze([]);

/** One role a principal holds itself (not through a group or a link), and where it comes from. */
export interface DirectHolding {
  role: string;
  source: 'config' | 'granted';
  /** For a granted role: who granted it, and when. */
  change?: RoleChange;
}

/**
 * Who holds which role at one moment: the configuration seed with the stored changes on top, and the
 * identity links. Immutable, so a reload swaps it whole and a check never sees half of a change.
 */
export class RoleModel {
  private readonly configByPrincipal = new Map<string, Set<string>>();
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly changes = new Map<string, Map<string, RoleChange>>();
  private readonly graph: LinkGraph;
  /** Effective roles per principal (its own and its linked identities'), computed on first use. */
  private readonly effective = new Map<string, readonly string[]>();

  constructor(private readonly settings: RbacSettings, readonly state: RbacState) {
    for (const binding of settings.bindings) {
      const key = binding.principal ?? binding.group;
      if (key === undefined) continue;
      const map = binding.principal !== undefined ? this.configByPrincipal : this.byGroup;
      const roles = map.get(key) ?? new Set<string>();
      for (const role of binding.roles) roles.add(role);
      map.set(key, roles);
    }
    for (const change of state.roleChanges) {
      const byRole = this.changes.get(change.principal) ?? new Map<string, RoleChange>();
      byRole.set(change.role, change);
      this.changes.set(change.principal, byRole);
    }
    this.graph = new LinkGraph(state.links);
  }

  isDefined(role: string): boolean {
    return Object.hasOwn(this.settings.roles, role);
  }

  /** Sorted role names of the actor: its own, its linked identities', and its platform groups'. Undefined roles are ignored. */
  rolesOf(actor: Pick<Actor, 'id' | 'groups'>): readonly string[] {
    const own = this.effectiveRoles(actor.id);
    let extra: string[] | undefined;
    for (const group of actor.groups) {
      const bound = this.byGroup.get(group);
      if (bound === undefined) continue;
      for (const role of bound) if (this.isDefined(role) && !own.includes(role)) (extra ??= []).push(role);
    }
    // The shared frozen array when groups add nothing: the caller's permission cache keys on it.
    return extra === undefined ? own : [...new Set([...own, ...extra])].sort();
  }

  /** The roles a principal holds itself, with their source; revoked configuration bindings are left out. */
  directHoldings(principal: string): DirectHolding[] {
    const holdings: DirectHolding[] = [];
    const changes = this.changes.get(principal);
    for (const role of this.configByPrincipal.get(principal) ?? []) {
      if (changes?.get(role)?.state !== 'revoked') holdings.push({ role, source: 'config' });
    }
    for (const change of changes?.values() ?? []) {
      if (change.state === 'granted' && !this.configByPrincipal.get(principal)?.has(change.role)) {
        holdings.push({ role: change.role, source: 'granted', change });
      }
    }
    return holdings.sort((x, y) => x.role.localeCompare(y.role));
  }

  /** Configuration bindings of a principal hidden by a stored revocation. */
  hiddenBindings(principal: string): RoleChange[] {
    const config = this.configByPrincipal.get(principal);
    return [...(this.changes.get(principal)?.values() ?? [])].filter((c) => c.state === 'revoked' && config?.has(c.role) === true);
  }

  holdsDirectly(principal: string, role: string): boolean {
    return this.directHoldings(principal).some((h) => h.role === role);
  }

  linkedTo(principal: string): string[] {
    return this.graph.linkedTo(principal);
  }

  /** The principal with its linked identities. */
  identitiesOf(principal: string): readonly string[] {
    return this.graph.groupOfPrincipal(principal);
  }

  /** Every principal that holds a role itself or has a link, sorted. */
  principals(): string[] {
    const all = new Set([...this.configByPrincipal.keys(), ...this.changes.keys(), ...this.graph.principals()]);
    return [...all].filter((p) => this.directHoldings(p).length > 0 || this.linkedTo(p).length > 0).sort();
  }

  /** Platform groups bound to roles in the configuration. */
  groupBindings(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.byGroup;
  }

  /** This model with one more role decision, to see the effect of a change before making it. */
  withChange(change: RoleChange): RoleModel {
    const others = this.state.roleChanges.filter((c) => c.principal !== change.principal || c.role !== change.role);
    return new RoleModel(this.settings, { ...this.state, roleChanges: [...others, change] });
  }

  withLinks(links: IdentityLink[]): RoleModel {
    return new RoleModel(this.settings, { ...this.state, links });
  }

  private effectiveRoles(principal: string): readonly string[] {
    // Unknown principals (most of a large server) share one empty answer, so the cache stays as small as the state.
    if (!this.configByPrincipal.has(principal) && !this.changes.has(principal) && !this.graph.isLinked(principal)) return NO_ROLES;
    let roles = this.effective.get(principal);
    if (roles === undefined) {
      const set = new Set<string>();
      for (const identity of this.graph.groupOfPrincipal(principal)) {
        for (const holding of this.directHoldings(identity)) if (this.isDefined(holding.role)) set.add(holding.role);
      }
      roles = Object.freeze([...set].sort());
      this.effective.set(principal, roles);
    }
    return roles;
  }
}

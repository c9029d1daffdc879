/** The runtime layer of RBAC, as stored: changes on top of the configuration seed. */

/** An admin's last decision on one role of one principal; a revocation hides a configuration binding. */
export interface RoleChange {
  principal: string;
  role: string;
  state: 'granted' | 'revoked';
  /** Who decided: a qualified user id or `system`. */
  by: string;
  at: Date;
}

/** Two identities of one person, on different platforms. */
export interface IdentityLink {
  a: string;
  b: string;
  by: string;
  at: Date;
}

export interface RbacState {
  roleChanges: RoleChange[];
  links: IdentityLink[];
}

export const EMPTY_RBAC_STATE: RbacState = Object.freeze({ roleChanges: [], links: [] }) as RbacState;

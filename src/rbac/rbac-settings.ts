import type { OpsroomConfig } from '../config/config-schema.js';
import type { Platform } from '../core/identity.js';

export interface RoleDefinition {
  description?: string;
  permissions: string[];
}

export interface RoleBinding {
  principal?: string;
  group?: string;
  roles: string[];
}

/** A value a rule compares an argument with; a list matches any of its members. */
export type RuleArgValue = string | number | boolean;

/**
 * An extra condition on one command: when its `args` match, the caller also needs `permission`, and the
 * command may only run in `channels` (qualified channel ids, or aliases of the config `channels` section).
 */
export interface RbacRule {
  command: string;
  args?: Record<string, RuleArgValue | RuleArgValue[]>;
  channels?: string[];
  permission?: string;
  description?: string;
}

/** Channel aliases: alias -> the real channel on each platform. */
export type ChannelAliases = Record<string, Partial<Record<Platform, string>>>;

/** The configuration seed of RBAC: roles, who holds them, and rules on arguments and channels. */
export const RbacSettings = Symbol('RbacSettings');
export interface RbacSettings {
  roles: Record<string, RoleDefinition>;
  bindings: RoleBinding[];
  rules?: RbacRule[];
  /** Resolves alias names used in `rules[].channels`. */
  channels?: ChannelAliases;
}

/** The permission that lets a caller manage roles and links. */
export const RBAC_ADMIN_PERMISSION = 'rbac:admin';

export function rbacSettingsOf(config: OpsroomConfig): RbacSettings {
  return { roles: config.rbac.roles, bindings: config.rbac.bindings, rules: config.rbac.rules, channels: config.channels };
}

import { BUNDLED_APPROVAL_POLICIES } from '../config/bundled-defaults.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import type { ApprovalsConfig } from './approvals-config-schema.js';
import type { ChannelAliases } from './policy-book.js';

/** The approvals section, with the channel aliases its policies may name and the roles RBAC defines. */
export const ApprovalSettings = Symbol('ApprovalSettings');
export interface ApprovalSettings {
  approvals: ApprovalsConfig;
  channels: ChannelAliases;
  /** Roles of the rbac section, to warn about a policy naming a role nobody defined. */
  knownRoles: string[];
}

export function approvalSettingsOf(config: OpsroomConfig): ApprovalSettings {
  // Built-in policies come after the operator's, so a policy the operator writes for the same command wins.
  const builtIn = BUNDLED_APPROVAL_POLICIES.filter((b) => !config.approvals.policies.some((p) => p.command === b.command));
  const approvals = { ...config.approvals, policies: [...config.approvals.policies, ...builtIn] };
  return { approvals, channels: config.channels, knownRoles: Object.keys(config.rbac.roles) };
}

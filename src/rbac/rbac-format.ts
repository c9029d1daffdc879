import type { PrincipalReport, RoleReport } from './rbac-admin.js';
import type { RoleChange } from './rbac-state.js';

/** The text of `roles` (chat) and `opsroom roles list` (CLI). */
export function formatRoleList(reports: readonly RoleReport[]): string {
  if (reports.length === 0) return 'No roles are defined (rbac.roles of the configuration): only read-only built-ins run.';
  const sections = reports.map((role) => [
    `**${role.name}**${role.description ? ` ${role.description}` : ''}`,
    `  permissions: ${role.permissions.length > 0 ? role.permissions.join(', ') : 'none'}`,
    `  held by: ${role.principals.length > 0 ? role.principals.join(', ') : 'nobody'}`,
    ...(role.groups.length > 0 ? [`  groups: ${role.groups.join(', ')}`] : []),
  ].join('\n'));
  return ['Roles (change with `roles grant <user> <role>` and `roles revoke <user> <role>`):', ...sections].join('\n');
}

/** The text of `roles show <user>`. */
export function formatPrincipal(report: PrincipalReport): string {
  const roles = report.holdings.map((h) => (h.change ? `${h.role} (granted ${changedBy(h.change)})` : `${h.role} (configuration)`));
  return [
    `${report.principal}`,
    `Roles: ${roles.length > 0 ? roles.join(', ') : 'none of its own'}`,
    ...(report.hidden.length > 0 ? [`Revoked configuration bindings: ${report.hidden.map((c) => `${c.role} (${changedBy(c)})`).join(', ')}`] : []),
    `Linked identities: ${report.linked.length > 0 ? report.linked.join(', ') : 'none'}`,
    ...(report.throughLinks.length > 0 ? [`Through links: ${report.throughLinks.map((t) => `${t.role} (from ${t.from})`).join(', ')}`] : []),
    'Roles from platform groups are not listed: they come with each message (see that user\'s `whoami`).',
  ].join('\n');
}

function changedBy(change: RoleChange): string {
  return `by ${change.by}, ${change.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

import type { Container } from 'inversify';
import { UserError } from '../core/errors.js';
import { isQualifiedUser } from '../core/identity.js';
import { createContainer } from '../di/create-container.js';
import { SYSTEM_ACTOR, type ChangeContext } from '../rbac/change-context.js';
import { IdentityLinks } from '../rbac/identity-links.js';
import { RbacAdmin } from '../rbac/rbac-admin.js';
import { formatPrincipal, formatRoleList } from '../rbac/rbac-format.js';
import { openDatabase } from '../storage/database.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

export interface RolesCliOptions {
  config?: string;
}

/** Changes from the command line are made by `system`, which no lock-out guard stops: the way back in for a locked-out team. */
const CLI_CONTEXT: ChangeContext = { actor: SYSTEM_ACTOR };

async function withRbac(options: RolesCliOptions, use: (container: Container) => Promise<string>): Promise<number> {
  try {
    const config = readConfig(options.config);
    const { logger } = loggerFor(config, false, true);
    const database = await openDatabase(config.storage, logger);
    try {
      process.stdout.write(`${await use(createContainer({ config, logger, database }))}\n`);
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    return reportFailure(error);
  }
}

/** A qualified user id, or a bare name taken as a console user (`alice` is `local:user:alice`). */
export function cliPrincipal(value: string): string {
  if (isQualifiedUser(value)) return value;
  if (/^[a-z0-9_.-]+$/i.test(value)) return `local:user:${value}`;
  throw new UserError('E_BAD_ARGS', `"${value}" is not a user (expected an id such as discord:user:123, teams:user:<aad-id>, or a console name such as alice)`);
}

/** `opsroom roles [list]`: every role, its permissions and holders. */
export function runRolesList(options: RolesCliOptions): Promise<number> {
  return withRbac(options, async (c) => formatRoleList(await c.get<RbacAdmin>(RbacAdmin).listRoles()));
}

/** `opsroom roles show <user>`. */
export function runRolesShow(user: string, options: RolesCliOptions): Promise<number> {
  return withRbac(options, async (c) => formatPrincipal(await c.get<RbacAdmin>(RbacAdmin).show(cliPrincipal(user))));
}

/** `opsroom roles grant <user> <role>`, audited as `system`. */
export function runRolesGrant(user: string, role: string, options: RolesCliOptions): Promise<number> {
  return withRbac(options, async (c) => {
    const result = await c.get<RbacAdmin>(RbacAdmin).grant(cliPrincipal(user), role, CLI_CONTEXT);
    return result.changed ? `granted ${result.role} to ${result.principal}` : `${result.principal} already holds ${result.role}; nothing changed`;
  });
}

/** `opsroom roles revoke <user> <role>`, audited as `system`. */
export function runRolesRevoke(user: string, role: string, options: RolesCliOptions): Promise<number> {
  return withRbac(options, async (c) => {
    const result = await c.get<RbacAdmin>(RbacAdmin).revoke(cliPrincipal(user), role, CLI_CONTEXT);
    return `revoked ${result.role} from ${result.principal}${result.hidesConfigBinding ? ' (its configuration binding is now hidden)' : ''}`;
  });
}

/** `opsroom roles unlink <user>`, audited as `system`. */
export function runRolesUnlink(user: string, options: RolesCliOptions): Promise<number> {
  return withRbac(options, async (c) => {
    const principal = cliPrincipal(user);
    const from = await c.get<IdentityLinks>(IdentityLinks).unlink(principal, CLI_CONTEXT);
    return `unlinked ${principal} from ${from.join(', ')}`;
  });
}

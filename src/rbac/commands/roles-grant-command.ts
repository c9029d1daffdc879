import { inject, injectable } from 'inversify';
import { resolveUserArg, type BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { contextOf } from '../change-context.js';
import { RbacAdmin } from '../rbac-admin.js';
import { RBAC_ADMIN_PERMISSION } from '../rbac-settings.js';

@injectable()
export class RolesGrantCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'roles grant', description: 'Gives a user a role (stored, audited)',
    args: [
      { name: 'user', type: 'user', required: true, description: 'a mention, or a name on the console' },
      { name: 'role', type: 'string', required: true, description: 'a role of rbac.roles' },
    ],
    permission: RBAC_ADMIN_PERMISSION, risk: 'medium',
  };

  constructor(@inject(RbacAdmin) private readonly admin: RbacAdmin) {}

  async run(invocation: Invocation): Promise<string> {
    const user = resolveUserArg(String(invocation.args.user), invocation.platform);
    const result = await this.admin.grant(user, String(invocation.args.role), contextOf(invocation));
    return result.changed ? `Granted ${result.role} to ${result.principal}.` : `${result.principal} already holds ${result.role}; nothing changed.`;
  }
}

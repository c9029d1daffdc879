import { inject, injectable } from 'inversify';
import { resolveUserArg, type BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { contextOf } from '../change-context.js';
import { RbacAdmin } from '../rbac-admin.js';
import { RBAC_ADMIN_PERMISSION } from '../rbac-settings.js';

@injectable()
export class RolesRevokeCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'roles revoke', description: 'Takes a role away from a user (stored, audited; hides a configuration binding)',
    args: [
      { name: 'user', type: 'user', required: true, description: 'a mention, or a name on the console' },
      { name: 'role', type: 'string', required: true, description: 'a role the user holds' },
    ],
    permission: RBAC_ADMIN_PERMISSION, risk: 'medium',
  };

  constructor(@inject(RbacAdmin) private readonly admin: RbacAdmin) {}

  async run(invocation: Invocation): Promise<string> {
    const user = resolveUserArg(String(invocation.args.user), invocation.platform);
    const result = await this.admin.revoke(user, String(invocation.args.role), contextOf(invocation));
    const hidden = result.hidesConfigBinding ? ' The configuration binding stays hidden until the role is granted again.' : '';
    return `Revoked ${result.role} from ${result.principal}.${hidden}`;
  }
}

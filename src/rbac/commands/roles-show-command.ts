import { inject, injectable } from 'inversify';
import { resolveUserArg, type BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { RbacAdmin } from '../rbac-admin.js';
import { formatPrincipal } from '../rbac-format.js';
import { RBAC_ADMIN_PERMISSION } from '../rbac-settings.js';

@injectable()
export class RolesShowCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'roles show', description: 'Shows the roles and linked identities of a user',
    args: [{ name: 'user', type: 'user', required: true, description: 'a mention, or a name on the console' }],
    permission: RBAC_ADMIN_PERMISSION, risk: 'low',
  };

  constructor(@inject(RbacAdmin) private readonly admin: RbacAdmin) {}

  async run(invocation: Invocation): Promise<string> {
    const user = resolveUserArg(String(invocation.args.user), invocation.platform);
    return formatPrincipal(await this.admin.show(user));
  }
}

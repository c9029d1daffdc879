import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec } from '../../core/command.js';
import { RbacAdmin } from '../rbac-admin.js';
import { formatRoleList } from '../rbac-format.js';
import { RBAC_ADMIN_PERMISSION } from '../rbac-settings.js';

@injectable()
export class RolesListCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'roles', description: 'Lists the roles, their permissions and who holds them', args: [],
    permission: RBAC_ADMIN_PERMISSION, risk: 'low',
  };

  constructor(@inject(RbacAdmin) private readonly admin: RbacAdmin) {}

  async run(): Promise<string> {
    return formatRoleList(await this.admin.listRoles());
  }
}

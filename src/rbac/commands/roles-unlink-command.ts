import { inject, injectable } from 'inversify';
import { resolveUserArg, type BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { contextOf } from '../change-context.js';
import { IdentityLinks } from '../identity-links.js';
import { RBAC_ADMIN_PERMISSION } from '../rbac-settings.js';

@injectable()
export class RolesUnlinkCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'roles unlink', description: 'Removes the links of a user to identities on other platforms (audited)',
    args: [{ name: 'user', type: 'user', required: true, description: 'a mention, or a name on the console' }],
    permission: RBAC_ADMIN_PERMISSION, risk: 'medium',
  };

  constructor(@inject(IdentityLinks) private readonly links: IdentityLinks) {}

  async run(invocation: Invocation): Promise<string> {
    const user = resolveUserArg(String(invocation.args.user), invocation.platform);
    const from = await this.links.unlink(user, contextOf(invocation));
    return `Unlinked ${user} from ${from.join(', ')}.`;
  }
}

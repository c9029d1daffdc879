import { inject, injectable } from 'inversify';
import type { CommandSpec, Invocation } from '../core/command.js';
import { RbacService } from '../rbac/rbac-service.js';
import type { BuiltinCommand } from './builtin-command.js';

@injectable()
export class WhoamiCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'whoami', description: 'Shows who opsroom thinks you are, your roles and linked identities', args: [], permission: 'core:whoami', risk: 'low', readOnly: true,
  };

  constructor(@inject(RbacService) private readonly rbac: RbacService) {}

  async run(invocation: Invocation): Promise<string> {
    const { actor } = invocation;
    const roles = this.rbac.rolesOf(actor);
    const linked = this.rbac.linkedIdentities(actor.id);
    return [
      `You are ${actor.name} (${actor.id}) on ${invocation.platform}.`,
      `Roles: ${roles.length > 0 ? roles.join(', ') : 'none (you may run read-only commands only)'}`,
      ...(linked.length > 0 ? [`Linked identities: ${linked.join(', ')} (their roles apply to you too)`] : []),
    ].join('\n');
  }
}

import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { Clock } from '../core/clock.js';
import { ApprovalService } from './approval-service.js';
import { ApprovalStore } from './approval-store.js';
import { clockTime } from './approval-text.js';

@injectable()
export class ApprovalsCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'approvals', description: 'Lists the pending approval requests you made or may decide', args: [],
    permission: 'core:approvals', risk: 'low', readOnly: true,
  };

  constructor(
    @inject(ApprovalService) private readonly approvals: ApprovalService,
    @inject(ApprovalStore) private readonly store: ApprovalStore,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(invocation: Invocation): Promise<string> {
    const pending = await this.approvals.visibleTo(invocation.actor);
    if (pending.length === 0) return 'No pending approval requests that you made or may decide.';
    const now = this.clock.now();
    const lines = await Promise.all(pending.map(async (r) => {
      const approvals = await this.store.countApprovals(r.id);
      const mine = r.requesterId === invocation.actor.id ? ' (yours)' : '';
      return `- ${r.id}: \`${r.text}\` asked by ${r.requesterName}${mine} in ${r.channelId} - ${approvals} of ${r.policy.approvals} approvals `
        + `from ${r.policy.approverRoles.join(' or ')} - expires ${clockTime(r.expiresAt, now)}`;
    }));
    return [`Pending approval requests (${pending.length}):`, ...lines, 'Decide with `approve <id>` or `deny <id> [reason]`; take yours back with `cancel <id>`.'].join('\n');
  }
}

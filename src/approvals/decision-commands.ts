import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { UserError } from '../core/errors.js';
import type { DecisionResult } from './approval-decision.js';
import { ApprovalService } from './approval-service.js';
import { REQUEST_ID } from './request-id.js';

/**
 * The approval commands are open to everyone at the RBAC gate (`readOnly`): who may decide is the policy's approver
 * roles, checked by the approval service exactly as for a reaction, so a command and a reaction never disagree.
 */
const OPEN = { permission: 'core:approvals', risk: 'low', readOnly: true } as const;

function requestIdOf(invocation: Invocation): string {
  const raw = String(invocation.args.id ?? '').trim().toLowerCase();
  if (!REQUEST_ID.test(raw)) {
    throw new UserError('E_BAD_ARGS', `"${String(invocation.args.id ?? '')}" is not an approval request id (six letters and digits, shown at the end of the request message, e.g. id a7f3kx)`);
  }
  return raw;
}

/** The reply for a decision made by command; refusals become user errors with their stable code. */
function answer(result: DecisionResult, id: string): string {
  switch (result.outcome) {
    case 'recorded': return `You approved ${id}: ${result.approvers.length} of ${result.request.policy.approvals} approvals so far.`;
    case 'released': return `You approved ${id}, the last approval it needed: \`${result.request.text}\` was released (its result is in the request's thread).`;
    case 'duplicate': return `You had already approved ${id}; nothing changed.`;
    case 'withdrawn': return `You withdrew your approval of ${id}.`;
    case 'denied': return `You denied ${id}; \`${result.request.text}\` will not run.`;
    case 'cancelled': return `Cancelled ${id} (\`${result.request.text}\`).`;
    case 'refused': throw new UserError(result.code, `Cannot do that: ${result.reason}.`);
    case 'ignored': throw new UserError('E_NOT_FOUND', `there is no approval request ${id}`);
  }
}

@injectable()
export class ApproveCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'approve', description: 'Approves a pending approval request (as reacting ✅ on it does)', usage: 'approve <id>',
    args: [{ name: 'id', type: 'string', required: true, description: 'the request id, shown in the request message' }], ...OPEN,
  };

  constructor(@inject(ApprovalService) private readonly approvals: ApprovalService) {}

  async run(invocation: Invocation): Promise<string> {
    const id = requestIdOf(invocation);
    return answer(await this.approvals.decide({ kind: 'approve', actor: invocation.actor, platform: invocation.platform, via: 'command', requestId: id }), id);
  }
}

@injectable()
export class DenyCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'deny', description: 'Denies a pending approval request, ending it (as reacting ❌ on it does)', usage: 'deny <id> [reason]',
    args: [
      { name: 'id', type: 'string', required: true, description: 'the request id, shown in the request message' },
      { name: 'reason', type: 'rest', description: 'why, shown to the requester' },
    ], ...OPEN,
  };

  constructor(@inject(ApprovalService) private readonly approvals: ApprovalService) {}

  async run(invocation: Invocation): Promise<string> {
    const id = requestIdOf(invocation);
    const reason = typeof invocation.args.reason === 'string' && invocation.args.reason.trim() ? invocation.args.reason.trim() : undefined;
    const result = await this.approvals.decide({
      kind: 'deny', actor: invocation.actor, platform: invocation.platform, via: 'command', requestId: id, ...(reason ? { reason } : {}),
    });
    return answer(result, id);
  }
}

@injectable()
export class CancelCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'cancel', description: 'Takes back an approval request you made', usage: 'cancel <id>',
    args: [{ name: 'id', type: 'string', required: true, description: 'the request id, shown in the request message' }], ...OPEN,
  };

  constructor(@inject(ApprovalService) private readonly approvals: ApprovalService) {}

  async run(invocation: Invocation): Promise<string> {
    const id = requestIdOf(invocation);
    return answer(await this.approvals.cancel(id, invocation.actor), id);
  }
}

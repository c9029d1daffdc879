import { inject, injectable } from 'inversify';
import type { Invocation } from '../core/command.js';
import { RbacService } from '../rbac/rbac-service.js';
import type { RegisteredCommand } from '../routing/command-registry.js';
import type { Gate, GateExplanation, GateOutcome } from '../routing/gate.js';
import type { ApprovalPolicy } from './approval-policy.js';
import { ApprovalPolicies } from './approval-policies.js';
import { ApprovalService } from './approval-service.js';

/** The approval commands themselves are never held: holding `approve` for approval could never end. */
export const APPROVAL_COMMANDS: ReadonlySet<string> = new Set(['approve', 'deny', 'cancel', 'approvals']);

/** RBAC first; then, when a policy applies, the invocation is frozen and held for approval instead of run. */
@injectable()
export class ApprovalGate implements Gate {
  constructor(
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(ApprovalPolicies) private readonly policies: ApprovalPolicies,
    @inject(ApprovalService) private readonly approvals: ApprovalService,
  ) {}

  async check(invocation: Invocation, command: RegisteredCommand): Promise<GateOutcome> {
    const decision = this.rbac.decide(invocation, command.spec);
    if (!decision.allowed) return { kind: 'deny', reason: decision.reason };
    if (command.plugin === 'core' && APPROVAL_COMMANDS.has(command.spec.name)) return { kind: 'run' };
    const policy = this.policies.policyFor(invocation, command.spec);
    if (!policy) return { kind: 'run' };
    const wanted = policy.requesterRoles;
    if (wanted && !this.rbac.rolesOf(invocation.actor).some((role) => wanted.includes(role))) {
      return { kind: 'deny', reason: `${command.spec.name} may be requested only by holders of ${wanted.join(' or ')} (${policy.source})` };
    }
    return this.approvals.request(invocation, command, policy);
  }

  async explain(invocation: Invocation, command: RegisteredCommand): Promise<GateExplanation> {
    const decision = this.rbac.decide(invocation, command.spec);
    const permission = decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason };
    if (command.plugin === 'core' && APPROVAL_COMMANDS.has(command.spec.name)) return { permission };
    const policy = this.policies.policyFor(invocation, command.spec);
    return policy ? { permission, approval: describePolicy(policy) } : { permission };
  }
}

/** A policy in words: `needs 2 approvals from release-manager (approvals.policies[0]); ...`. */
export function describePolicy(policy: ApprovalPolicy): string {
  return [
    `needs ${policy.approvals} approval${policy.approvals > 1 ? 's' : ''} from ${policy.approverRoles.join(' or ')} (${policy.source})`,
    policy.allowSelfApproval ? 'the requester may approve too' : 'not from the requester',
    ...(policy.requesterRoles ? [`the requester must hold ${policy.requesterRoles.join(' or ')}`] : []),
    `the request expires after ${policy.expiryMinutes} minute${policy.expiryMinutes === 1 ? '' : 's'}`,
  ].join('; ');
}

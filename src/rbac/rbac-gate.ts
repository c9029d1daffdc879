import { inject, injectable } from 'inversify';
import type { Invocation } from '../core/command.js';
import type { Gate, GateExplanation, GateOutcome } from '../routing/gate.js';
import type { RegisteredCommand } from '../routing/command-registry.js';
import { RbacService } from './rbac-service.js';

/** The gate when no approval policy applies: the caller's permission alone decides. */
@injectable()
export class RbacGate implements Gate {
  constructor(@inject(RbacService) private readonly rbac: RbacService) {}

  async check(invocation: Invocation, command: RegisteredCommand): Promise<GateOutcome> {
    const decision = this.rbac.decide(invocation, command.spec);
    return decision.allowed ? { kind: 'run' } : { kind: 'deny', reason: decision.reason };
  }

  async explain(invocation: Invocation, command: RegisteredCommand): Promise<GateExplanation> {
    const decision = this.rbac.decide(invocation, command.spec);
    return { permission: decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason } };
  }
}

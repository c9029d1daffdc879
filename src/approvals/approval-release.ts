import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../core/chat-event.js';
import { Clock } from '../core/clock.js';
import type { Invocation } from '../core/command.js';
import { describeForChat, type ErrorCode, type OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { toOutbound } from '../core/message.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandExecutor, type ExecutionOutcome } from '../routing/command-executor.js';
import { CommandRegistry, type RegisteredCommand } from '../routing/command-registry.js';
import { approvalEntry } from './approval-audit.js';
import { ApprovalNotifier } from './approval-notifier.js';
import type { ApprovalRequest, ApprovalState, ApprovalVote, ReleasedInvocation } from './approval-request.js';
import { ApprovalStore } from './approval-store.js';
import { failedMessage, finishedMessage, runningMessage } from './approval-text.js';
import { thawInvocation } from './freeze-invocation.js';

/** Whether a request may run now: its frozen invocation thawed and the command it will run, or why not. */
export type ReleaseCheck = { ok: true; invocation: Invocation; command: RegisteredCommand } | { ok: false; code: ErrorCode; reason: string };

/**
 * Runs an approved request, once. The caller checks first (`check`, no side effects), then wins the atomic
 * `pending -> approved` change (straight on to `running` when the check passed), then hands over here.
 */
export const ApprovalRelease = Symbol('ApprovalRelease');
export interface ApprovalRelease {
  /** The frozen invocation may run only if it is intact, and the command and the requester's rights are what they were. */
  check(request: ApprovalRequest): ReleaseCheck;
  /**
   * Runs a request the caller moved to `running`, answers in its thread and records the outcome. `pending` are audit
   * entries already queued (the deciding vote): they and `approval.approved` are written in order before the command's
   * own entry, while the command starts without waiting for them.
   */
  run(request: ApprovalRequest, check: ReleaseCheck & { ok: true }, votes: ApprovalVote[], decidedBy: Actor, pending: Promise<unknown>): Promise<void>;
  /** Records the approval of a request that cannot run (the check failed), and fails it. */
  refuse(request: ApprovalRequest, check: ReleaseCheck & { ok: false }, votes: ApprovalVote[], decidedBy: Actor): Promise<void>;
  /** Ends a request that cannot run any more, telling the channel; false when it was no longer in `from`. */
  fail(request: ApprovalRequest, from: ApprovalState, code: ErrorCode, reason: string): Promise<boolean>;
}

@injectable()
export class ApprovalReleaseImpl implements ApprovalRelease {
  private readonly logger: Logger;

  constructor(
    @inject(ApprovalStore) private readonly store: ApprovalStore,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(CommandExecutor) private readonly executor: CommandExecutor,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(ApprovalNotifier) private readonly notifier: ApprovalNotifier,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'approvals' });
  }

  async run(request: ApprovalRequest, check: ReleaseCheck & { ok: true }, votes: ApprovalVote[], decidedBy: Actor, pending: Promise<unknown>): Promise<void> {
    const approvers = votes.map((v) => v.voterId);
    const names = votes.map((v) => v.voterName);
    const approved = this.audit.append({ ...approvalEntry('approval.approved', request, decidedBy.id, { approvers }), outcome: 'approved' });
    const audited = Promise.all([pending, approved]).catch((err: unknown) => {
      this.logger.error({ err, request: request.id }, 'could not write the audit entries of an approval');
    });
    const invocation: ReleasedInvocation = { ...check.invocation, approval: { requestId: request.id, approvers } };
    const execution = this.executor.execute(check.command, invocation);
    // The message update and the audit commits travel while the command runs; they must not delay its start.
    const [outcome] = await Promise.all([execution, this.notifier.update(request, runningMessage(request, names)), audited]);
    await this.finish(request, invocation, outcome, names);
  }

  async refuse(request: ApprovalRequest, check: ReleaseCheck & { ok: false }, votes: ApprovalVote[], decidedBy: Actor): Promise<void> {
    const approvers = votes.map((v) => v.voterId);
    await this.audit.append({ ...approvalEntry('approval.approved', request, decidedBy.id, { approvers }), outcome: 'approved' });
    await this.fail(request, 'approved', check.code, check.reason);
  }

  async fail(request: ApprovalRequest, from: ApprovalState, code: ErrorCode, reason: string): Promise<boolean> {
    if (!(await this.store.transition(request.id, from, 'failed', { at: this.clock.now(), by: 'system', reason }))) return false;
    await this.audit.append({ ...approvalEntry('approval.failed', request, 'system', { code, reason }), outcome: 'failed' });
    await this.notifier.update(request, failedMessage(request, reason));
    await this.notifier.reply(request, { text: `${request.requesterName}: \`${request.text}\` was not run: ${reason}` });
    return true;
  }

  check(request: ApprovalRequest): ReleaseCheck {
    let invocation: Invocation;
    try {
      invocation = thawInvocation(request.frozen, request.frozenHash, request.id, request.fingerprint);
    } catch (err) {
      this.logger.error({ err, request: request.id, code: (err as OpsroomError).code }, 'refused an approval request whose stored invocation was altered');
      return { ok: false, code: 'E_APPROVAL_TAMPERED', reason: 'its stored invocation does not match what was approved' };
    }
    const command = this.registry.get(request.command);
    if (!command || command.plugin !== request.plugin || command.fingerprint() !== request.fingerprint) {
      return { ok: false, code: 'E_APPROVAL_STALE', reason: `${request.command} changed since this was requested; ask again` };
    }
    const decision = this.rbac.decide(invocation, command.spec);
    if (!decision.allowed) return { ok: false, code: 'E_APPROVAL_STALE', reason: `${request.requesterName} may no longer run it: ${decision.reason}` };
    const wanted = request.policy.requesterRoles;
    if (wanted && !this.rbac.rolesOf(invocation.actor).some((role) => wanted.includes(role))) {
      return { ok: false, code: 'E_APPROVAL_STALE', reason: `${request.requesterName} no longer holds ${wanted.join(' or ')}` };
    }
    return { ok: true, invocation, command };
  }

  private async finish(request: ApprovalRequest, invocation: ReleasedInvocation, outcome: ExecutionOutcome, names: string[]): Promise<void> {
    const at = this.clock.now();
    const durationMs = Math.round(outcome.durationMs * 1000) / 1000;
    const entry = {
      actor: invocation.actor.id, platform: invocation.platform, channel: invocation.channel.id, command: invocation.command,
      args: invocation.args as Record<string, unknown>, invocationId: invocation.id, durationMs,
    };
    const approval = { requestId: request.id, approvers: invocation.approval.approvers };
    if (outcome.ok) {
      await this.store.transition(request.id, 'running', 'succeeded', { at, by: 'system' });
      await this.audit.append({ ...entry, action: 'command.executed', outcome: 'succeeded', detail: { approval } });
      if (outcome.result !== undefined) await this.notifier.reply(request, toOutbound(outcome.result));
    } else {
      await this.store.transition(request.id, 'running', 'failed', { at, by: 'system', reason: outcome.error.message });
      await this.audit.append({
        ...entry, action: 'command.failed', outcome: 'failed', detail: { approval, code: outcome.error.code, message: outcome.error.message },
      });
      await this.notifier.reply(request, { text: describeForChat(outcome.error, invocation.id) });
    }
    await this.notifier.update(request, finishedMessage(request, names, outcome.ok));
  }
}

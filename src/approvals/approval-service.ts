import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../core/chat-event.js';
import { Clock } from '../core/clock.js';
import type { Invocation } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { RbacService } from '../rbac/rbac-service.js';
import type { RegisteredCommand } from '../routing/command-registry.js';
import type { GateOutcome } from '../routing/gate.js';
import { approvalEntry } from './approval-audit.js';
import type { DecisionInput, DecisionResult } from './approval-decision.js';
import { ApprovalNotifier } from './approval-notifier.js';
import type { ApprovalPolicy } from './approval-policy.js';
import { ApprovalRelease } from './approval-release.js';
import type { ApprovalRequest } from './approval-request.js';
import { ApprovalSettings } from './approval-settings.js';
import { ApprovalStore } from './approval-store.js';
import { cancelledMessage, deniedMessage, expiredMessage, requestMessage } from './approval-text.js';
import { ExpiryScheduler, type SweepResult } from './expiry-scheduler.js';
import { freezeInvocation } from './freeze-invocation.js';
import { newRequestId } from './request-id.js';

/** A request stuck in `approved` this long lost its releasing process (the release takes milliseconds). */
const STALE_APPROVED_MS = 60_000;
/** A request `running` this long lost its process: longer than the longest wall-time limit a plugin may have. */
const STALE_RUNNING_MS = 15 * 60_000;
const ID_ATTEMPTS = 5;

/** The approval state machine: request, decide, cancel, expire. Release is ApprovalRelease's. */
export const ApprovalService = Symbol('ApprovalService');
export interface ApprovalService {
  /** Freezes and stores the invocation, posts the request, and answers the gate (`held`, or `deny` with why). */
  request(invocation: Invocation, command: RegisteredCommand, policy: ApprovalPolicy): Promise<GateOutcome>;
  decide(input: DecisionInput): Promise<DecisionResult>;
  /** The requester takes their request back. */
  cancel(requestId: string, actor: Actor): Promise<DecisionResult>;
  /** Ends overdue requests (telling their channels) and requests whose releasing process died. */
  sweep(): Promise<SweepResult>;
  /** Pending requests the actor made or may decide, oldest first. */
  visibleTo(actor: Actor): Promise<ApprovalRequest[]>;
  get(requestId: string): Promise<ApprovalRequest | undefined>;
}

@injectable()
export class ApprovalServiceImpl implements ApprovalService {
  /** Request messages being posted right now, whose message id is not stored yet. */
  private readonly posting = new Set<Promise<void>>();
  private readonly logger: Logger;

  constructor(
    @inject(ApprovalStore) private readonly store: ApprovalStore,
    @inject(ApprovalRelease) private readonly releaser: ApprovalRelease,
    @inject(ApprovalNotifier) private readonly notifier: ApprovalNotifier,
    @inject(ExpiryScheduler) private readonly scheduler: ExpiryScheduler,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(ApprovalSettings) private readonly settings: ApprovalSettings,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'approvals' });
  }

  async request(invocation: Invocation, command: RegisteredCommand, policy: ApprovalPolicy): Promise<GateOutcome> {
    const createdAt = this.clock.now();
    const fingerprint = command.fingerprint();
    const max = this.settings.approvals.maxPendingPerUser;
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const request = this.newRequest(invocation, policy, fingerprint, createdAt);
      const result = await this.store.create(request, max);
      if (result.created) return this.publish(request, invocation);
      if (result.why === 'limit') {
        return {
          kind: 'deny',
          reason: `${invocation.actor.name} already has ${result.pending} pending approval requests, the most allowed; `
            + 'cancel one (`cancel <id>`, `approvals` lists them) or wait until they are decided',
        };
      }
    }
    throw new OpsroomError('E_INTERNAL', `no free approval request id after ${ID_ATTEMPTS} attempts`);
  }

  async decide(input: DecisionInput): Promise<DecisionResult> {
    const request = await this.find(input);
    if (!request) {
      if (input.via === 'reaction') return { outcome: 'ignored' };
      return { outcome: 'refused', code: 'E_NOT_FOUND', reason: `there is no approval request ${input.requestId ?? ''}`.trim() };
    }
    const closed = await this.closedReason(request);
    if (closed) return { outcome: 'refused', code: 'E_APPROVAL_CLOSED', reason: closed, request };
    if (input.kind === 'withdraw') return this.withdraw(request, input.actor);
    // The requester's own ❌ takes the request back rather than judging it.
    if (input.kind === 'deny' && input.actor.id === request.requesterId) return this.endByRequester(request, input.actor);
    const why = this.ineligible(request, input.actor);
    if (why) {
      await this.audit.append({ ...approvalEntry('approval.refused', request, input.actor.id, { via: input.via, kind: input.kind, reason: why }), outcome: 'refused' });
      return { outcome: 'refused', code: 'E_DENIED', reason: why, request };
    }
    return input.kind === 'approve' ? this.approve(request, input) : this.deny(request, input);
  }

  async cancel(requestId: string, actor: Actor): Promise<DecisionResult> {
    const request = await this.store.get(requestId);
    if (!request) return { outcome: 'refused', code: 'E_NOT_FOUND', reason: `there is no approval request ${requestId}` };
    const closed = await this.closedReason(request);
    if (closed) return { outcome: 'refused', code: 'E_APPROVAL_CLOSED', reason: closed, request };
    if (actor.id !== request.requesterId) {
      return { outcome: 'refused', code: 'E_DENIED', reason: `only ${request.requesterName}, who asked, can cancel ${request.id}`, request };
    }
    return this.endByRequester(request, actor);
  }

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    let expired = 0;
    let waiting = 0;
    for (const request of await this.store.list({ states: ['pending'], expiredBy: now })) {
      // The channel must be told; a process without that platform's adapter leaves it to one that has it.
      if (!this.notifier.canReach(request)) {
        waiting++;
        continue;
      }
      if (await this.expire(request)) expired++;
    }
    await this.failStale(now);
    return { expired, waiting };
  }

  async visibleTo(actor: Actor): Promise<ApprovalRequest[]> {
    const now = this.clock.now().getTime();
    const roles = new Set(this.rbac.rolesOf(actor));
    const pending = await this.store.list({ states: ['pending'] });
    return pending.filter((r) => r.expiresAt.getTime() > now
      && (r.requesterId === actor.id || r.policy.approverRoles.some((role) => roles.has(role))));
  }

  get(requestId: string): Promise<ApprovalRequest | undefined> {
    return this.store.get(requestId);
  }

  private newRequest(invocation: Invocation, policy: ApprovalPolicy, fingerprint: string, createdAt: Date): ApprovalRequest {
    const id = newRequestId();
    const { frozen, hash } = freezeInvocation(invocation, id, fingerprint);
    return {
      id, state: 'pending', platform: invocation.platform, channelId: invocation.channel.id, threadId: invocation.threadId, messageId: undefined,
      requesterId: invocation.actor.id, requesterName: invocation.actor.name, command: invocation.command, plugin: invocation.plugin,
      text: invocation.text, frozen, frozenHash: hash, fingerprint, policy,
      createdAt, expiresAt: new Date(createdAt.getTime() + policy.expiryMinutes * 60_000),
      decidedAt: undefined, decidedBy: undefined, endedAt: undefined, reason: undefined,
    };
  }

  private async publish(request: ApprovalRequest, invocation: Invocation): Promise<GateOutcome> {
    const posted = (async () => {
      const ref = await this.notifier.post(request, invocation.source, requestMessage(request));
      await this.store.setMessage(request.id, ref.messageId);
      request.messageId = ref.messageId;
    })();
    this.posting.add(posted);
    try {
      await posted;
    } catch (err) {
      this.logger.error({ err, request: request.id, platform: request.platform }, 'could not post an approval request');
      await this.releaser.fail(request, 'pending', err instanceof OpsroomError ? err.code : 'E_PLATFORM', 'the request could not be posted in the channel');
      return { kind: 'deny', reason: `${request.command} needs approval, and the approval request could not be posted; try again` };
    } finally {
      this.posting.delete(posted);
    }
    await this.audit.append({
      ...approvalEntry('approval.requested', request, request.requesterId, {
        policy: request.policy.source, approvals: request.policy.approvals, approverRoles: request.policy.approverRoles,
        expiresAt: request.expiresAt.toISOString(), messageId: request.messageId ?? null, fingerprint: request.fingerprint,
        frozenHash: request.frozenHash,
      }),
      outcome: 'pending',
    });
    this.scheduler.arm(request.id, request.expiresAt);
    return { kind: 'held' };
  }

  private async find(input: DecisionInput): Promise<ApprovalRequest | undefined> {
    if (input.requestId === undefined) {
      if (!input.message) return undefined;
      const { channelId, messageId } = input.message;
      const found = await this.store.findByMessage(input.platform, channelId, messageId);
      if (found || this.posting.size === 0) return found;
      // A reaction can arrive on a request message before its id is stored (adapters add ✅/❌ as they post).
      await Promise.allSettled([...this.posting]);
      return this.store.findByMessage(input.platform, channelId, messageId);
    }
    let request = await this.store.get(input.requestId.toLowerCase());
    if (request && request.messageId === undefined && input.message && this.posting.size > 0) {
      await Promise.allSettled([...this.posting]);
      request = await this.store.get(input.requestId.toLowerCase());
    }
    // A button counts only on the message that carries its request.
    if (request && input.message && (request.messageId !== input.message.messageId || request.channelId !== input.message.channelId)) return undefined;
    return request;
  }

  /** Why no decision can change the request any more, or undefined while it is pending and in time. */
  private async closedReason(request: ApprovalRequest): Promise<string | undefined> {
    if (request.state === 'pending' && this.clock.now() < request.expiresAt) return undefined;
    if (request.state === 'pending') await this.expire(request);
    return `approval request ${request.id} is no longer pending (it is ${request.state === 'pending' ? 'expired' : request.state})`;
  }

  private ineligible(request: ApprovalRequest, actor: Actor): string | undefined {
    const { policy } = request;
    if (actor.isBot) return 'bots cannot decide approval requests';
    if (actor.id === request.requesterId && !policy.allowSelfApproval) {
      return `${actor.name} asked for ${request.id} and cannot approve it; somebody else holding ${policy.approverRoles.join(' or ')} must`;
    }
    const roles = this.rbac.rolesOf(actor);
    if (!roles.some((role) => policy.approverRoles.includes(role))) {
      return `deciding ${request.id} needs the role ${policy.approverRoles.join(' or ')}, which ${actor.name} does not hold`;
    }
    return undefined;
  }

  private async approve(request: ApprovalRequest, input: DecisionInput): Promise<DecisionResult> {
    const at = this.clock.now();
    const vote = { requestId: request.id, voterId: input.actor.id, voterName: input.actor.name, vote: 'approve' as const, via: input.via, at };
    // Checked before the vote (it has no side effects), so the vote that completes the quorum also starts the run in one commit.
    const check = this.releaser.check(request);
    const result = await this.store.castApproval(vote, request.policy.approvals, check.ok);
    if (result.status === 'closed') {
      return { outcome: 'refused', code: 'E_APPROVAL_CLOSED', reason: `approval request ${request.id} is no longer pending`, request };
    }
    if (result.status === 'duplicate') return { outcome: 'duplicate', request };
    const granted = this.audit.append({ ...approvalEntry('approval.granted', request, input.actor.id, { via: input.via }), outcome: 'granted' });
    const approvers = result.approvers.map((v) => v.voterName);
    if (result.status === 'counted') {
      await granted;
      await this.notifier.update(request, requestMessage(request, approvers));
      return { outcome: 'recorded', request, approvers };
    }
    this.scheduler.forget(request.id);
    if (check.ok) {
      await this.releaser.run({ ...request, state: 'running' }, check, result.approvers, input.actor, granted);
    } else {
      await granted;
      await this.releaser.refuse({ ...request, state: 'approved' }, check, result.approvers, input.actor);
    }
    return { outcome: 'released', request, approvers };
  }

  private async deny(request: ApprovalRequest, input: DecisionInput): Promise<DecisionResult> {
    const change = { at: this.clock.now(), by: input.actor.id, ...(input.reason ? { reason: input.reason } : {}) };
    if (!(await this.store.transition(request.id, 'pending', 'denied', change))) {
      return { outcome: 'refused', code: 'E_APPROVAL_CLOSED', reason: `approval request ${request.id} is no longer pending`, request };
    }
    this.scheduler.forget(request.id);
    await this.audit.append({
      ...approvalEntry('approval.denied', request, input.actor.id, { via: input.via, reason: input.reason ?? null }), outcome: 'denied',
    });
    await this.notifier.update(request, deniedMessage(request, input.actor.name, input.reason));
    await this.notifier.reply(request, { text: `${request.requesterName}: ${input.actor.name} denied \`${request.text}\`${input.reason ? `: ${input.reason}` : ''}` });
    return { outcome: 'denied', request };
  }

  private async withdraw(request: ApprovalRequest, actor: Actor): Promise<DecisionResult> {
    const result = await this.store.withdrawApproval(request.id, actor.id);
    if (result.status !== 'counted') return { outcome: 'ignored' };
    await this.audit.append({ ...approvalEntry('approval.withdrawn', request, actor.id), outcome: 'withdrawn' });
    const approvers = result.approvers.map((v) => v.voterName);
    await this.notifier.update(request, requestMessage(request, approvers));
    return { outcome: 'withdrawn', request, approvers };
  }

  private async endByRequester(request: ApprovalRequest, actor: Actor): Promise<DecisionResult> {
    if (!(await this.store.transition(request.id, 'pending', 'cancelled', { at: this.clock.now(), by: actor.id }))) {
      return { outcome: 'refused', code: 'E_APPROVAL_CLOSED', reason: `approval request ${request.id} is no longer pending`, request };
    }
    this.scheduler.forget(request.id);
    await this.audit.append({ ...approvalEntry('approval.cancelled', request, actor.id), outcome: 'cancelled' });
    await this.notifier.update(request, cancelledMessage(request));
    return { outcome: 'cancelled', request };
  }

  private async expire(request: ApprovalRequest): Promise<boolean> {
    if (!(await this.store.transition(request.id, 'pending', 'expired', { at: this.clock.now(), by: 'system' }))) return false;
    this.scheduler.forget(request.id);
    await this.audit.append({ ...approvalEntry('approval.expired', request, 'system', { expiresAt: request.expiresAt.toISOString() }), outcome: 'expired' });
    await this.notifier.update(request, expiredMessage(request));
    await this.notifier.reply(request, { text: `${request.requesterName}: \`${request.text}\` (id ${request.id}) expired without enough approvals` });
    return true;
  }

  private async failStale(now: Date): Promise<void> {
    const approvedBefore = new Date(now.getTime() - STALE_APPROVED_MS);
    for (const request of await this.store.list({ states: ['approved'], decidedBefore: approvedBefore })) {
      if (this.notifier.canReach(request)) await this.releaser.fail(request, 'approved', 'E_INTERNAL', 'opsroom stopped before it could run; ask again');
    }
    const runningBefore = new Date(now.getTime() - STALE_RUNNING_MS);
    for (const request of await this.store.list({ states: ['running'], decidedBefore: runningBefore })) {
      if (this.notifier.canReach(request)) await this.releaser.fail(request, 'running', 'E_INTERNAL', 'opsroom stopped while it ran, so its outcome is unknown; check before asking again');
    }
  }
}

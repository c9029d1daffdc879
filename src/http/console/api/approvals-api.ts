import { inject, injectable } from 'inversify';
import type { DecisionResult } from '../../../approvals/approval-decision.js';
import type { ApprovalRequest } from '../../../approvals/approval-request.js';
import { ApprovalService } from '../../../approvals/approval-service.js';
import { ApprovalStore } from '../../../approvals/approval-store.js';
import { REQUEST_ID } from '../../../approvals/request-id.js';
import type { Actor } from '../../../core/chat-event.js';
import { RbacService } from '../../../rbac/rbac-service.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, optionalString, sendJson } from '../http-io.js';

const REFUSAL_STATUS: Record<string, number> = { E_NOT_FOUND: 404, E_DENIED: 403, E_APPROVAL_CLOSED: 409 };

/**
 * Pending approvals the acting user asked for or may decide, and the decisions themselves. A decision here is the
 * same ApprovalService.decide a reaction or `approve <id>` makes, so the policy's approver roles are checked alike.
 */
@injectable()
export class ApprovalsApi implements ConsoleApi {
  constructor(
    @inject(ApprovalService) private readonly approvals: ApprovalService,
    @inject(ApprovalStore) private readonly store: ApprovalStore,
    @inject(RbacService) private readonly rbac: RbacService,
  ) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'GET', path: '/api/approvals', handle: (r) => this.list(r) },
      { method: 'POST', path: '/api/approvals/:id/approve', handle: (r) => this.decide(r, 'approve') },
      { method: 'POST', path: '/api/approvals/:id/deny', handle: (r) => this.decide(r, 'deny') },
      { method: 'POST', path: '/api/approvals/:id/cancel', handle: (r) => this.decide(r, 'cancel') },
    ];
  }

  private async list(request: ConsoleRequest): Promise<void> {
    const { actor } = request.user();
    const pending = await this.approvals.visibleTo(actor);
    const requests = await Promise.all(pending.map((r) => this.describe(r, actor)));
    sendJson(request.res, 200, { requests });
  }

  private async describe(request: ApprovalRequest, actor: Actor) {
    const votes = await this.store.votes(request.id);
    const whyNot = this.ineligible(request, actor);
    return {
      id: request.id, command: request.command, plugin: request.plugin, text: request.text, platform: request.platform, channel: request.channelId,
      requester: { id: request.requesterId, name: request.requesterName },
      createdAt: request.createdAt.toISOString(), expiresAt: request.expiresAt.toISOString(),
      policy: {
        source: request.policy.source, approvals: request.policy.approvals, approverRoles: request.policy.approverRoles,
        allowSelfApproval: request.policy.allowSelfApproval,
      },
      approvers: votes.filter((v) => v.vote === 'approve').map((v) => v.voterName),
      mine: request.requesterId === actor.id,
      canDecide: whyNot === undefined,
      ...(whyNot ? { whyNot } : {}),
    };
  }

  /** The approval service decides; this only tells the page which buttons to offer, in the service's own terms. */
  private ineligible(request: ApprovalRequest, actor: Actor): string | undefined {
    const { policy } = request;
    if (actor.id === request.requesterId && !policy.allowSelfApproval) return 'you asked for it; somebody else must decide';
    const roles = this.rbac.rolesOf(actor);
    if (!roles.some((role) => policy.approverRoles.includes(role))) return `deciding needs the role ${policy.approverRoles.join(' or ')}`;
    return undefined;
  }

  private async decide(request: ConsoleRequest, kind: 'approve' | 'deny' | 'cancel'): Promise<void> {
    const id = (request.params.id ?? '').toLowerCase();
    if (!REQUEST_ID.test(id)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${(request.params.id ?? '').slice(0, 20)}" is not an approval request id (six letters and digits, e.g. a7f3kx)`);
    const reason = kind === 'deny' ? optionalString(await request.body(), 'reason', 500)?.trim() || undefined : undefined;
    const { actor } = request.user();
    const result = kind === 'cancel'
      ? await this.approvals.cancel(id, actor)
      : await this.approvals.decide({ kind, actor, platform: 'local', via: 'action', requestId: id, ...(reason ? { reason } : {}) });
    this.answer(request, result);
  }

  private answer(request: ConsoleRequest, result: DecisionResult): void {
    if (result.outcome === 'refused') throw new ConsoleHttpError(REFUSAL_STATUS[result.code] ?? 400, result.code, result.reason);
    if (result.outcome === 'ignored') throw new ConsoleHttpError(404, 'E_NOT_FOUND', 'there is no such approval request');
    sendJson(request.res, 200, {
      outcome: result.outcome, id: result.request.id, text: result.request.text,
      ...('approvers' in result ? { approvers: result.approvers } : {}),
    });
  }
}

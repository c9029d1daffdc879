import { inject, injectable } from 'inversify';
import { AuditLog, type AuditRecord } from '../../../audit/audit-log.js';
import { isQualifiedUser } from '../../../core/identity.js';
import { RbacService } from '../../../rbac/rbac-service.js';
import { intParam, requirePermission, textParam } from '../console-access.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, sendJson } from '../http-io.js';

const OUTCOME = /^[a-z][a-z0-9_-]{0,39}$/;
const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** The audit log, filtered by user, command, action and outcome, and whether its hash chain verifies. Needs audit:read. */
@injectable()
export class AuditApi implements ConsoleApi {
  constructor(
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(RbacService) private readonly rbac: RbacService,
  ) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'GET', path: '/api/audit', handle: (r) => this.list(r) },
      { method: 'GET', path: '/api/audit/verify', handle: (r) => this.verify(r) },
    ];
  }

  private async list(request: ConsoleRequest): Promise<void> {
    requirePermission(this.rbac, request.user().actor, 'audit:read', 'reading the audit log');
    const { query } = request;
    const outcome = textParam(query, 'outcome');
    if (outcome !== undefined && !OUTCOME.test(outcome)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${outcome}" is not an outcome (such as succeeded, failed, denied, pending)`);
    const records = await this.audit.list({
      limit: intParam(query, 'limit', 100, 1, 1000),
      actor: this.actorFilter(textParam(query, 'user')),
      command: textParam(query, 'command'),
      action: textParam(query, 'action'),
      outcome,
    });
    sendJson(request.res, 200, { entries: records.map(view) });
  }

  private async verify(request: ConsoleRequest): Promise<void> {
    requirePermission(this.rbac, request.user().actor, 'audit:read', 'verifying the audit log');
    sendJson(request.res, 200, await this.audit.verify());
  }

  /** `alice` is the local user; a qualified id (`discord:user:123`) or `system` is taken as it is. */
  private actorFilter(user: string | undefined): string | undefined {
    if (user === undefined) return undefined;
    if (user === 'system' || isQualifiedUser(user)) return user;
    if (NAME.test(user)) return `local:user:${user}`;
    throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${user}" is not a user (a console name such as alice, an id such as discord:user:123, or system)`);
  }
}

function view(record: AuditRecord) {
  return {
    seq: record.seq, at: record.at, action: record.action, actor: record.actor, platform: record.platform, channel: record.channel,
    command: record.command, args: record.args, outcome: record.outcome, durationMs: record.durationMs, invocationId: record.invocationId,
    detail: record.detail, hash: record.hash,
  };
}

import { inject, injectable } from 'inversify';
import { RbacAdmin } from '../../../rbac/rbac-admin.js';
import { RbacService } from '../../../rbac/rbac-service.js';
import { RBAC_ADMIN_PERMISSION } from '../../../rbac/rbac-settings.js';
import { requirePermission } from '../console-access.js';
import { CONSOLE_CHANNEL, ConsoleGate } from '../console-gate.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, requiredString, sendJson } from '../http-io.js';

const USER = /^((discord|teams|local):user:.+|[a-z][a-z0-9_-]{0,31})$/;
const ROLE = /^[a-z][a-z0-9_-]*$/;

/** Roles and who holds them, and role changes: for holders of rbac:admin, through the gate of `roles grant`/`roles revoke`, audited. */
@injectable()
export class RolesApi implements ConsoleApi {
  constructor(
    @inject(RbacAdmin) private readonly admin: RbacAdmin,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(ConsoleGate) private readonly gate: ConsoleGate,
  ) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'GET', path: '/api/roles', handle: (r) => this.list(r) },
      { method: 'POST', path: '/api/roles/grant', handle: (r) => this.change(r, 'grant') },
      { method: 'POST', path: '/api/roles/revoke', handle: (r) => this.change(r, 'revoke') },
    ];
  }

  private async list(request: ConsoleRequest): Promise<void> {
    requirePermission(this.rbac, request.user().actor, RBAC_ADMIN_PERMISSION, 'seeing roles and who holds them');
    sendJson(request.res, 200, { roles: await this.admin.listRoles() });
  }

  private async change(request: ConsoleRequest, kind: 'grant' | 'revoke'): Promise<void> {
    const body = await request.body();
    const user = requiredString(body, 'user', 200).trim();
    const role = requiredString(body, 'role', 100).trim();
    if (!USER.test(user)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${user}" is not a user (a console name such as alice, or an id such as discord:user:123)`);
    if (!ROLE.test(role)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${role}" is not a role name`);
    const { actor } = request.user();
    await this.gate.check(actor, `roles ${kind}`, { user, role }, `roles ${kind} ${user} ${role}`);
    const principal = user.includes(':') ? user : `local:user:${user}`;
    const context = { actor, platform: 'local', channel: CONSOLE_CHANNEL.id };
    const result = kind === 'grant' ? await this.admin.grant(principal, role, context) : await this.admin.revoke(principal, role, context);
    sendJson(request.res, 200, { result, roles: await this.admin.listRoles() });
  }
}

import { inject, injectable } from 'inversify';
import { qualify } from '../../../core/identity.js';
import { LocalChatHub } from '../../../core/local-chat-hub.js';
import { RbacService } from '../../../rbac/rbac-service.js';
import { RBAC_ADMIN_PERMISSION } from '../../../rbac/rbac-settings.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleSessions } from '../console-sessions.js';
import { sendJson } from '../http-io.js';
import { clearedSessionCookie } from '../session-cookie.js';

/** Who the page may speak as, with their roles and what each may see, and the CSRF token; and logging out. */
@injectable()
export class SessionApi implements ConsoleApi {
  constructor(
    @inject(LocalChatHub) private readonly hub: LocalChatHub,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
  ) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'GET', path: '/api/session', handle: (r) => this.describe(r) },
      { method: 'POST', path: '/api/logout', handle: (r) => this.logout(r) },
    ];
  }

  private describe({ res, session }: ConsoleRequest): void {
    const users = this.hub.users().map((user) => {
      const actor = { id: qualify('local', 'user', user.name), name: user.name, isBot: false, groups: [] };
      return {
        ...user,
        roles: this.rbac.rolesOf(actor),
        can: {
          readAudit: this.rbac.can(actor, 'audit:read'),
          readPlugins: this.rbac.can(actor, 'plugin:read'),
          adminPlugins: this.rbac.can(actor, 'plugin:admin'),
          adminRoles: this.rbac.can(actor, RBAC_ADMIN_PERMISSION),
        },
      };
    });
    sendJson(res, 200, {
      botName: this.hub.botName, users, defaultUser: this.hub.defaultUser(), channels: this.hub.channels(), csrfToken: session.csrfToken,
    });
  }

  private logout({ req, res, session }: ConsoleRequest): void {
    this.sessions.end(session.key);
    sendJson(res, 200, { loggedOut: true }, { 'set-cookie': clearedSessionCookie(req) });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LocalChatHub } from '../../core/local-chat-hub.js';
import { qualify } from '../../core/identity.js';
import type { ConsoleRequest } from './console-route.js';
import type { ConsoleSession, ConsoleSessions } from './console-sessions.js';
import { ConsoleHttpError, headerOf, readJsonObject } from './http-io.js';
import type { OriginPolicy } from './origin-policy.js';
import { sessionCookieOf } from './session-cookie.js';

/** What a request must carry to reach the console, checked in this order; the first failure is the answer. */
export type Admission =
  | { ok: true; session: ConsoleSession; origin: string }
  | { ok: false; status: 401 | 403; message: string };

/** The header naming the local user a page speaks as. */
export const ACTING_USER_HEADER = 'x-opsroom-as';
export const CSRF_HEADER = 'x-csrf-token';

/** Host, session, and for state changes Origin and CSRF token: the whole of the console's access control. */
export class ConsoleGuard {
  constructor(private readonly sessions: ConsoleSessions, private readonly policy: OriginPolicy, private readonly hub: LocalChatHub) {}

  /** The allowed origin the request's Host names, or a 403 answer. */
  host(req: IncomingMessage): { ok: true; origin: string } | { ok: false; status: 403; message: string } {
    const origin = this.policy.originOfHost(req.headers.host, req.socket.localPort ?? 0);
    if (origin) return { ok: true, origin };
    return {
      ok: false, status: 403,
      message: `this console answers only as ${this.policy.origins(req.socket.localPort ?? 0).join(', ')}; add the name you use to http.console.origins`,
    };
  }

  admit(req: IncomingMessage, stateChange: boolean): Admission {
    const host = this.host(req);
    if (!host.ok) return host;
    const cookie = sessionCookieOf(req);
    const session = cookie ? this.sessions.find(cookie) : undefined;
    if (!session) return { ok: false, status: 401, message: 'no session: open the login link opsroom printed at start (or type /web in its terminal for a fresh one)' };
    if (stateChange) {
      const origin = headerOf(req, 'origin');
      if (!this.policy.allowsOrigin(origin, req.socket.localPort ?? 0)) {
        return { ok: false, status: 403, message: origin ? `requests from ${origin} are not allowed` : 'a change needs the Origin header a browser sends' };
      }
      if (!this.sessions.csrfMatches(session, headerOf(req, CSRF_HEADER))) {
        return { ok: false, status: 403, message: `a change needs the session's CSRF token in ${CSRF_HEADER}` };
      }
    }
    return { ok: true, session, origin: host.origin };
  }

  /** A WebSocket needs a session and an allowed Origin: browsers send cookies on cross-site WebSockets too. */
  admitSocket(req: IncomingMessage): Admission {
    const admission = this.admit(req, false);
    if (!admission.ok) return admission;
    const origin = headerOf(req, 'origin');
    if (!this.policy.allowsOrigin(origin, req.socket.localPort ?? 0)) {
      return { ok: false, status: 403, message: origin ? `WebSockets from ${origin} are not allowed` : 'a WebSocket needs the Origin header a browser sends' };
    }
    return admission;
  }

  request(req: IncomingMessage, res: ServerResponse, session: ConsoleSession, params: Record<string, string>, query: URLSearchParams): ConsoleRequest {
    let body: Promise<Record<string, unknown>> | undefined;
    return {
      req, res, params, query, session,
      user: () => this.actingUser(req),
      body: () => (body ??= readJsonObject(req)),
    };
  }

  private actingUser(req: IncomingMessage): ReturnType<ConsoleRequest['user']> {
    const name = headerOf(req, ACTING_USER_HEADER)?.trim() || this.hub.defaultUser();
    const info = this.hub.users().find((u) => u.name === name);
    if (!info) {
      throw new ConsoleHttpError(400, 'E_BAD_ARGS', `there is no console user "${name.slice(0, 40)}" (users: ${this.hub.users().map((u) => u.name).join(', ')})`);
    }
    return { info, actor: { id: qualify('local', 'user', info.name), name: info.name, isBot: false, groups: [] } };
  }
}

/** Answers a refused upgrade on the raw socket, since no HTTP response object exists for it. */
export function refuseUpgrade(socket: Duplex, status: 401 | 403, message: string): void {
  const reason = status === 401 ? 'Unauthorized' : 'Forbidden';
  const body = JSON.stringify({ error: message, code: 'E_CONSOLE_SESSION' });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

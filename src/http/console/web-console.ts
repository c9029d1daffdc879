import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { inject, injectable, multiInject } from 'inversify';
import { AuditLog } from '../../audit/audit-log.js';
import type { Disposable } from '../../core/disposable.js';
import { OpsroomError, isUserError } from '../../core/errors.js';
import { LocalChatHub } from '../../core/local-chat-hub.js';
import { Logger } from '../../core/logger.js';
import { HttpServer, HttpSettings } from '../http-server.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleGuard, refuseUpgrade } from './console-guard.js';
import { ConsoleApi, matchPath, type ConsoleRoute } from './console-route.js';
import { ConsoleSessions } from './console-sessions.js';
import { ConsoleSettings } from './console-settings.js';
import { ConsoleSocket } from './console-socket.js';
import { ConsoleHttpError, notice, sendError, sendHtml } from './http-io.js';
import { OriginPolicy } from './origin-policy.js';
import { sessionCookie } from './session-cookie.js';

/** Statuses of user errors that are not ConsoleHttpErrors already. */
const STATUS_OF: Record<string, number> = {
  E_NOT_FOUND: 404, E_DENIED: 403, E_LOCKOUT: 409, E_APPROVAL_CLOSED: 409, E_SHUTTING_DOWN: 503, E_CONSOLE_SESSION: 401,
};

/** The web console on the shared HTTP server: login, the page and its assets, the JSON API and the live socket. */
export const WebConsole = Symbol('WebConsole');
export interface WebConsole {
  /** Registers the routes and the WebSocket, and lets the terminal hand out login links (`/web`). */
  install(): void;
  /** A fresh one-time login URL at the address the server listens on (or the first configured origin). */
  loginUrl(): string;
  /** Every route the console answers, as method and path; each needs a session (or, for /login, a login token). */
  routes(): Array<{ method: string; path: string }>;
  /** Closes the live sockets; the HTTP server closes the rest. */
  close(): void;
}

@injectable()
export class WebConsoleImpl implements WebConsole {
  private readonly guard: ConsoleGuard;
  private readonly assets: ConsoleAssets;
  private readonly table: ConsoleRoute[];
  private readonly registrations: Disposable[] = [];
  private readonly logger: Logger;

  constructor(
    @inject(HttpServer) private readonly http: HttpServer,
    @inject(HttpSettings) private readonly httpSettings: HttpSettings,
    @inject(ConsoleSettings) private readonly settings: ConsoleSettings,
    @inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
    @inject(ConsoleSocket) private readonly socket: ConsoleSocket,
    @inject(LocalChatHub) hub: LocalChatHub,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Logger) logger: Logger,
    @multiInject(ConsoleApi) apis: ConsoleApi[],
  ) {
    this.logger = logger.child({ component: 'console' });
    this.guard = new ConsoleGuard(sessions, new OriginPolicy(settings.origins, httpSettings.host), hub);
    this.assets = new ConsoleAssets(settings.distDir);
    this.table = apis.flatMap((api) => api.routes());
    this.registrations.push(hub.provideLoginLinks(() => this.loginUrl()));
  }

  install(): void {
    if (!this.assets.built()) this.logger.warn({ distDir: this.settings.distDir }, 'the web console front end is not built; run npm run build:console');
    this.registrations.push(
      this.http.route('GET', '/login', (req, res, { query }) => this.login(req, res, query)),
      this.http.route('GET', '/', (req, res) => this.page(req, res, () => this.assets.page(res))),
      this.http.route('GET', '/assets/*', (req, res, { path }) => this.page(req, res, () => this.assets.asset(res, path.slice('/assets/'.length)))),
      this.http.route('GET', '/api/*', (req, res, { path, query }) => this.api(req, res, path, query)),
      this.http.route('POST', '/api/*', (req, res, { path, query }) => this.api(req, res, path, query)),
      this.http.upgrade('/ws', (req, socket, head) => this.upgrade(req, socket, head)),
    );
  }

  loginUrl(): string {
    const origin = this.settings.origins[0] ?? this.listeningOrigin();
    return `${origin}/login?token=${this.sessions.issueLoginToken()}`;
  }

  routes(): Array<{ method: string; path: string }> {
    return [
      { method: 'GET', path: '/' }, { method: 'GET', path: '/login' }, { method: 'GET', path: '/assets/*' }, { method: 'GET', path: '/ws' },
      ...this.table.map((r) => ({ method: r.method, path: r.path })),
    ];
  }

  close(): void {
    for (const registration of this.registrations.splice(0)) registration.dispose();
    this.socket.close();
  }

  private listeningOrigin(): string {
    const port = this.http.address()?.port ?? this.httpSettings.port;
    const host = ['0.0.0.0', '::', ''].includes(this.httpSettings.host) ? '127.0.0.1' : this.httpSettings.host;
    return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`).origin;
  }

  private async login(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const host = this.guard.host(req);
    if (!host.ok) return sendHtml(res, 403, notice('Wrong address', host.message));
    const token = query.get('token');
    const result = token ? this.sessions.redeem(token) : { ok: false as const, reason: 'this address needs the login link opsroom printed, which carries a token' };
    if (!result.ok) {
      return sendHtml(res, 403, notice('This login link does not work', `${result.reason}. Type /web in the opsroom terminal for a fresh link, or restart opsroom.`));
    }
    await this.audit.append({ action: 'console.login', actor: 'system', detail: { session: result.session.key.slice(0, 12) } });
    this.logger.info({ session: result.session.key.slice(0, 12) }, 'web console login');
    // The token leaves the address bar at once: the redirect replaces the URL, and no-referrer keeps it from others.
    res.writeHead(303, { location: '/', 'set-cookie': sessionCookie(req, result.cookie, host.origin.startsWith('https:')), 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'content-length': 0 });
    res.end();
  }

  private async page(req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>): Promise<void> {
    const admission = this.guard.admit(req, false);
    if (!admission.ok) {
      return sendHtml(res, admission.status, notice(admission.status === 401 ? 'Log in to the opsroom console' : 'Refused', admission.message));
    }
    await serve();
  }

  private async api(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const admission = this.guard.admit(req, req.method !== 'GET');
    if (!admission.ok) return sendError(res, admission.status, 'E_CONSOLE_SESSION', admission.message);
    for (const route of this.table) {
      if (route.method !== req.method) continue;
      const params = matchPath(route.path, path);
      if (!params) continue;
      try {
        await route.handle(this.guard.request(req, res, admission.session, params, query));
      } catch (error) {
        this.fail(res, error, path);
      }
      return;
    }
    sendError(res, 404, 'E_NOT_FOUND', `the console has no ${req.method ?? ''} ${path}`);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const admission = this.guard.admitSocket(req);
    if (!admission.ok) return refuseUpgrade(socket, admission.status, admission.message);
    this.socket.accept(req, socket, head, admission.session.key);
  }

  private fail(res: ServerResponse, error: unknown, path: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ConsoleHttpError) return sendError(res, error.status, error.code, error.message);
    if (isUserError(error)) return sendError(res, STATUS_OF[error.code] ?? 400, error.code, error.message);
    const reference = randomBytes(4).toString('hex');
    this.logger.error({ err: error, path, reference }, 'web console request failed');
    const code = error instanceof OpsroomError ? error.code : 'E_INTERNAL';
    sendError(res, 500, code, `something went wrong inside opsroom (reference ${reference}); the operators can find it in the log`);
  }
}

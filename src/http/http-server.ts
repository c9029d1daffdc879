import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { inject, injectable } from 'inversify';
import { disposable, type Disposable } from '../core/disposable.js';
import { Logger } from '../core/logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: { path: string; query: URLSearchParams }) => Promise<void> | void;

/** Takes over the socket of an `Upgrade` request (a WebSocket); it must answer or destroy it. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;

export const HttpSettings = Symbol('HttpSettings');
export interface HttpSettings {
  host: string;
  port: number;
}

/** The one HTTP server: health and metrics here; later the Teams endpoint, webhooks and the console. */
export const HttpServer = Symbol('HttpServer');
export interface HttpServer {
  /** `path` is exact, or a prefix when it ends with `/*`. */
  route(method: string, path: string, handler: RouteHandler): Disposable;
  /** Upgrade requests (WebSockets) to exactly this path. */
  upgrade(path: string, handler: UpgradeHandler): Disposable;
  listen(): Promise<AddressInfo>;
  close(): Promise<void>;
  address(): AddressInfo | undefined;
}

interface Route { method: string; path: string; prefix: boolean; handler: RouteHandler }

@injectable()
export class HttpServerImpl implements HttpServer {
  private readonly routes: Route[] = [];
  private readonly upgrades = new Map<string, UpgradeHandler>();
  /** Upgraded sockets are no longer the server's to close, so it would wait for them forever. */
  private readonly upgraded = new Set<Duplex>();
  private server: Server | undefined;

  constructor(
    @inject(HttpSettings) private readonly settings: HttpSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  route(method: string, path: string, handler: RouteHandler): Disposable {
    const prefix = path.endsWith('/*');
    const route: Route = { method: method.toUpperCase(), path: prefix ? path.slice(0, -1) : path, prefix, handler };
    this.routes.push(route);
    return disposable(() => this.routes.splice(this.routes.indexOf(route), 1));
  }

  upgrade(path: string, handler: UpgradeHandler): Disposable {
    this.upgrades.set(path, handler);
    return disposable(() => { if (this.upgrades.get(path) === handler) this.upgrades.delete(path); });
  }

  listen(): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.dispatchUpgrade(req, socket, head));
    server.keepAliveTimeout = 5_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.port, this.settings.host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      for (const socket of this.upgraded) socket.destroy();
    });
  }

  private async dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = this.upgrades.get(path);
    socket.on('error', (err) => this.logger.debug({ err, path }, 'upgraded socket failed'));
    if (!handler) {
      socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    try {
      await handler(req, socket, head);
    } catch (err) {
      this.logger.error({ err, path }, 'upgrade handler failed');
      socket.destroy();
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const candidates = this.routes.filter((r) => (r.prefix ? url.pathname.startsWith(r.path) : url.pathname === r.path));
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const status = candidates.length > 0 ? 405 : 404;
      sendJson(res, status, { error: status === 404 ? `no route for ${url.pathname}` : `${req.method ?? ''} is not allowed on ${url.pathname}` });
      return;
    }
    try {
      await route.handler(req, res, { path: url.pathname, query: url.searchParams });
    } catch (err) {
      this.logger.error({ err, path: url.pathname }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the opsroom log' });
      else res.destroy();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

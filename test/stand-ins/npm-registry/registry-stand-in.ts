import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface PublishOptions {
  description?: string;
  keywords?: string[];
  /** Serve this as dist.integrity instead of the real sha512 (to prove a mismatch is refused). */
  integrity?: string;
  /** Serve no dist.integrity at all, only a sha1 shasum. */
  shasumOnly?: boolean;
  distTags?: Record<string, string>;
}

interface Version { tarball: Buffer; options: PublishOptions }

/**
 * An npm registry on loopback, speaking the parts opsroom uses: the abbreviated packument (`GET /<name>`, scoped
 * names as `@scope%2fname`), tarballs (`GET /<name>/-/<file>.tgz`) with a real sha512 `dist.integrity`, and
 * `GET /-/v1/search`. It also serves any file put with `file(path, body)`, so it doubles as a tarball server.
 */
export class RegistryStandIn {
  readonly requests: string[] = [];
  private readonly packages = new Map<string, Map<string, Version>>();
  private readonly files = new Map<string, Buffer>();
  private server: Server | undefined;
  private base = '';

  constructor(private readonly tls?: { key: string; cert: string }) {}

  get url(): string {
    return this.base;
  }

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const server = this.tls ? createHttpsServer({ key: this.tls.key, cert: this.tls.cert }, handler) : createHttpServer(handler);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.base = `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  publish(name: string, version: string, tarball: Buffer, options: PublishOptions = {}): string {
    if (!this.packages.has(name)) this.packages.set(name, new Map());
    this.packages.get(name)?.set(version, { tarball, options });
    return `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  }

  file(path: string, body: Buffer): string {
    this.files.set(path, body);
    return `${this.base}${path}`;
  }

  private tarballPath(name: string, version: string): string {
    return `/${name}/-/${name.split('/').pop() ?? name}-${version}.tgz`;
  }

  private packument(name: string, versions: Map<string, Version>): unknown {
    const all = [...versions.keys()];
    const latest = all[all.length - 1] as string;
    const tags = { latest, ...Object.assign({}, ...[...versions.values()].map((v) => v.options.distTags ?? {})) };
    return {
      name, modified: '2025-03-01T12:00:00.000Z', 'dist-tags': tags,
      versions: Object.fromEntries([...versions].map(([version, v]) => [version, {
        name, version, dependencies: {},
        dist: {
          tarball: `${this.base}${this.tarballPath(name, version)}`,
          shasum: createHash('sha1').update(v.tarball).digest('hex'),
          ...(v.options.shasumOnly ? {} : { integrity: v.options.integrity ?? `sha512-${createHash('sha512').update(v.tarball).digest('base64')}` }),
          fileCount: 4, unpackedSize: v.tarball.length * 3,
        },
      }])),
    };
  }

  private search(text: string): unknown {
    const words = text.split(/\s+/).filter((w) => w && !w.startsWith('keywords:'));
    const objects = [...this.packages].map(([name, versions]) => {
      const [version, latest] = [...versions].at(-1) as [string, Version];
      return { package: { name, version, description: latest.options.description ?? '', keywords: latest.options.keywords ?? [], date: '2025-03-01T12:00:00.000Z', links: { npm: `https://www.npmjs.com/package/${name}` }, publisher: { username: 'acme' } }, score: { final: 0.5, detail: { quality: 0.5, popularity: 0.1, maintenance: 0.9 } }, searchScore: 1 };
    }).filter((o) => words.every((w) => `${o.package.name} ${o.package.description}`.toLowerCase().includes(w.toLowerCase())));
    return { objects, total: objects.length, time: 'Sat Mar 01 2025 12:00:00 GMT+0000 (Coordinated Universal Time)' };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    this.requests.push(`${req.method ?? 'GET'} ${url.pathname}${url.search}`);
    const send = (status: number, body: Buffer | string, type: string) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const file = this.files.get(url.pathname);
    if (file) return send(200, file, 'application/octet-stream');
    if (url.pathname === '/-/v1/search') return send(200, JSON.stringify(this.search(url.searchParams.get('text') ?? '')), 'application/json');
    for (const [name, versions] of this.packages) {
      if (url.pathname === `/${name.replace('/', '%2f')}` || url.pathname === `/${name}`) {
        return send(200, JSON.stringify(this.packument(name, versions)), 'application/vnd.npm.install-v1+json');
      }
      for (const [version, v] of versions) if (url.pathname === this.tarballPath(name, version)) return send(200, v.tarball, 'application/octet-stream');
    }
    send(404, JSON.stringify({ error: 'Not found' }), 'application/json');
  }
}

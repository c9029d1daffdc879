import { inject, injectable } from 'inversify';
import { Metrics } from '../core/metrics.js';
import { Database } from '../storage/database.js';
import { HttpServer, sendJson } from './http-server.js';
import { Readiness } from './readiness.js';

/**
 * `/healthz` (the process answers), `/readyz` (storage reachable, and whatever else registered a readiness check:
 * Redis, platform connections) and `/metrics` (Prometheus).
 */
@injectable()
export class HealthRoutes {
  constructor(
    @inject(HttpServer) private readonly http: HttpServer,
    @inject(Database) private readonly database: Database,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(Readiness) private readonly readiness: Readiness,
  ) {}

  install(): void {
    this.http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
    this.http.route('GET', '/readyz', async (_req, res) => {
      const [storage, others] = await Promise.all([this.storage(), this.readiness.report()]);
      const ready = storage.ok && others.ready;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', storage: storage.detail, ...others.checks });
    });
    this.http.route('GET', '/metrics', async (_req, res) => {
      const body = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(body);
    });
  }

  private async storage(): Promise<{ ok: boolean; detail: string }> {
    try {
      await this.database.ping();
      return { ok: true, detail: 'ok' };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : 'unreachable' };
    }
  }
}

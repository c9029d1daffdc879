import { inject, injectable } from 'inversify';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { Clock } from '../../core/clock.js';
import type { Disposable } from '../../core/disposable.js';
import type { LifecycleContribution } from '../../core/lifecycle.js';
import { Logger } from '../../core/logger.js';
import { HttpServer } from '../../http/http-server.js';
import { WebhookDeliveries } from './webhook-deliveries.js';
import { HOOKS_PREFIX, WebhookReceiver } from './webhook-receiver.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Installs `POST /hooks/*` on the shared HTTP server and forgets old delivery ids once an hour. */
@injectable()
export class WebhookEndpoint implements LifecycleContribution {
  readonly name = 'webhooks';
  private route: Disposable | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @inject(HttpServer) private readonly http: HttpServer,
    @inject(WebhookReceiver) private readonly receiver: WebhookReceiver,
    @inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.route = this.http.route('POST', `${HOOKS_PREFIX}*`, (req, res, { path, query }) => this.receiver.handle(req, res, path, query));
    await this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.route?.dispose();
    this.route = undefined;
  }

  private async prune(): Promise<void> {
    const olderThan = new Date(this.clock.now().getTime() - this.config.webhooks.dedupHours * 3_600_000);
    try {
      const removed = await this.deliveries.prune(olderThan);
      if (removed > 0) this.logger.debug({ removed }, 'old webhook delivery ids forgotten');
    } catch (err) {
      this.logger.warn({ err }, 'old webhook delivery ids could not be pruned; trying again in an hour');
    }
  }
}

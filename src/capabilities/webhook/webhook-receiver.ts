import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject, injectable, multiInject, optional } from 'inversify';
import { AuditLog } from '../../audit/audit-log.js';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { Clock } from '../../core/clock.js';
import { Logger } from '../../core/logger.js';
import { sendJson } from '../../http/http-server.js';
import { PluginManager } from '../../plugins/plugin-manager.js';
import type { PluginStatus } from '../../plugins/plugin-status.js';
import { PLUGIN_NAME } from '../plugin-name.js';
import { SecretStore } from '../secrets/secret-store.js';
import type { WebhookVerification, WebhooksConfig } from './webhook-config-schema.js';
import { WebhookDeliveries } from './webhook-deliveries.js';
import { WebhookObserver, type ObservedDelivery } from './webhook-observer.js';
import { answerOf, auditText, webhookPayload } from './webhook-request.js';
import { deliveryHeaderOf, eventHeaderOf, headerValue, verifyWebhook } from './webhook-signature.js';
import { readRequestBody } from './request-body.js';

export const HOOKS_PREFIX = '/hooks/';

type Outcome = 'delivered' | 'duplicate' | 'rejected' | 'failed';

/** One request on its way through the checks, with what the audit entry needs. */
interface Delivery {
  plugin: string;
  event: string | undefined;
  deliveryId: string | undefined;
  bytes?: number;
}

/**
 * `POST /hooks/<plugin>`: unknown plugin 404; not granted `webhook` (or disabled) 403; over the size cap 413; a bad
 * or missing signature 401; a delivery id seen before is answered without a second call. Only then does the
 * plugin's `onWebhook` run. Every request that names a plugin is audited as `webhook.received`.
 */
@injectable()
export class WebhookReceiver {
  private readonly settings: WebhooksConfig;

  constructor(
    @inject(OpsroomConfigToken) config: OpsroomConfig,
    @inject(PluginManager) private readonly plugins: PluginManager,
    @inject(SecretStore) private readonly secrets: SecretStore,
    @inject(WebhookDeliveries) private readonly deliveries: WebhookDeliveries,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    @multiInject(WebhookObserver) @optional() private readonly observers: WebhookObserver[] = [],
  ) {
    this.settings = config.webhooks;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const name = path.slice(HOOKS_PREFIX.length);
    const status = PLUGIN_NAME.test(name) ? this.plugins.info(name) : undefined;
    if (!status) return sendJson(res, 404, { error: `there is no plugin ${JSON.stringify(name.slice(0, 60))} to take webhooks` });
    const rule = this.settings.plugins[name];
    const delivery: Delivery = {
      plugin: name, event: auditText(headerOrUndefined(req, eventHeaderOf(rule))), deliveryId: auditText(headerOrUndefined(req, deliveryHeaderOf(rule)), 200),
    };
    const refusal = this.refusal(status);
    if (refusal) return this.reject(res, delivery, refusal.status, refusal.reason);
    const read = await readRequestBody(req, this.settings.maxBodyKb * 1024);
    if (read.kind === 'too-large') {
      res.setHeader('connection', 'close');
      return this.reject(res, { ...delivery, bytes: read.bytes }, 413, `the body is larger than ${this.settings.maxBodyKb} KiB`);
    }
    delivery.bytes = read.body.length;
    const verified = this.verify(rule, req, read.body, name);
    if (!verified.allowed) return this.reject(res, delivery, 401, verified.reason);
    if (delivery.deliveryId !== undefined && !(await this.deliveries.claim(name, delivery.deliveryId, this.clock.now()))) {
      await this.record(delivery, 'duplicate', 200);
      return sendJson(res, 200, { status: 'duplicate', delivery: delivery.deliveryId });
    }
    const observed: ObservedDelivery = { plugin: name, event: delivery.event, headers: req.headers, body: read.body, receivedAt: this.clock.now() };
    await this.run(res, delivery, webhookPayload(req.method ?? 'POST', req.headers, query, read.body), observed);
  }

  private refusal(status: PluginStatus): { status: number; reason: string } | undefined {
    const { name } = status;
    if (!status.requested.includes('webhook') || !status.manifest?.events.includes('webhook')) return { status: 404, reason: `${name} takes no webhooks` };
    if (!status.granted.includes('webhook')) return { status: 403, reason: `${name} was not granted webhook; an admin can grant it with \`plugin grant ${name} webhook\`` };
    if (status.state === 'disabled') return { status: 403, reason: `${name} is disabled; an admin can enable it with \`plugin enable ${name}\`` };
    if (status.state !== 'loaded') return { status: 503, reason: `${name} failed to load: ${status.problems[0] ?? 'see plugin info'}` };
    return undefined;
  }

  private verify(rule: WebhookVerification | undefined, req: IncomingMessage, body: Buffer, name: string): { allowed: true } | { allowed: false; reason: string } {
    if (!rule) {
      this.logger.warn({ plugin: name }, `webhook refused: no verification is configured; set webhooks.plugins.${name} in the configuration`);
      return { allowed: false, reason: `webhooks for ${name} cannot be verified: the operator has not configured webhooks.plugins.${name}` };
    }
    const secret = this.secrets.get(rule.secret);
    if (secret === undefined) {
      this.logger.warn({ plugin: name, secret: rule.secret }, `webhook refused: the secret ${rule.secret} has no value; ${this.secrets.howToSet(rule.secret)}`);
      return { allowed: false, reason: `webhooks for ${name} cannot be verified: the secret ${rule.secret} has no value` };
    }
    return verifyWebhook(rule, req.headers, body, secret);
  }

  private async run(res: ServerResponse, delivery: Delivery, payload: ReturnType<typeof webhookPayload>, observed: ObservedDelivery): Promise<void> {
    let result: unknown;
    try {
      result = await this.plugins.deliver(delivery.plugin, { kind: 'webhook' }, payload);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ plugin: delivery.plugin, event: delivery.event, delivery: delivery.deliveryId, reason }, 'webhook handler failed');
      await this.settle(delivery, false);
      await this.record(delivery, 'failed', 500, reason);
      return sendJson(res, 500, { error: `${delivery.plugin} failed to handle the webhook; the operators can find why in the log` });
    }
    const answer = answerOf(result);
    if ('invalid' in answer) {
      await this.settle(delivery, false);
      await this.record(delivery, 'failed', 500, answer.invalid);
      return sendJson(res, 500, { error: `${delivery.plugin} gave an invalid answer: ${answer.invalid}` });
    }
    await this.settle(delivery, true);
    await this.record(delivery, 'delivered', answer.status);
    if (answer.status < 300) await this.tellObservers(observed);
    res.writeHead(answer.status, { ...(answer.contentType ? { 'content-type': answer.contentType } : {}), 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  private async tellObservers(delivery: ObservedDelivery): Promise<void> {
    for (const observer of this.observers) {
      try {
        await observer.observe(delivery);
      } catch (err) {
        this.logger.warn({ err, plugin: delivery.plugin, event: delivery.event }, 'a webhook observer failed');
      }
    }
  }

  private async settle(delivery: Delivery, ok: boolean): Promise<void> {
    if (delivery.deliveryId !== undefined) await this.deliveries.finish(delivery.plugin, delivery.deliveryId, ok);
  }

  private async reject(res: ServerResponse, delivery: Delivery, status: number, reason: string): Promise<void> {
    await this.record(delivery, 'rejected', status, reason);
    sendJson(res, status, { error: reason });
  }

  private async record(delivery: Delivery, outcome: Outcome, status: number, reason?: string): Promise<void> {
    await this.audit.append({
      action: 'webhook.received', actor: 'system', outcome,
      detail: {
        plugin: delivery.plugin, event: delivery.event ?? 'unknown', status,
        ...(delivery.deliveryId !== undefined ? { delivery: delivery.deliveryId } : {}),
        ...(delivery.bytes !== undefined ? { bytes: delivery.bytes } : {}),
        ...(reason !== undefined ? { reason: reason.slice(0, 500) } : {}),
      },
    });
  }
}

function headerOrUndefined(req: IncomingMessage, name: string | undefined): string | undefined {
  return name === undefined ? undefined : headerValue(req.headers, name);
}

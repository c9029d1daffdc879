import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { ObservedDelivery, WebhookObserver } from '../capabilities/webhook/webhook-observer.js';
import { alertsOfNotification, commitsOfPush, deliveryJson } from './feed-facts.js';

/** Audit actions of the facts the deploy report reads; documented in docs/reports.md. */
export const FEED_COMMITS = 'feed.commits';
export const FEED_ALERTS = 'feed.alerts';

/**
 * Records, on the host, what the deploy report needs from the feeds: the commit times of GitHub pushes (lead time)
 * and Alertmanager's firing and resolved alerts (time to restore, change failures). Plugins keep their own storage to
 * themselves, so the facts are read from the verified delivery itself, whatever plugin took it.
 */
@injectable()
export class FeedRecorder implements WebhookObserver {
  constructor(@inject(AuditLog) private readonly audit: AuditLog) {}

  async observe(delivery: ObservedDelivery): Promise<void> {
    const githubEvent = headerText(delivery.headers['x-github-event']) ?? delivery.event;
    const payload = deliveryJson(delivery.headers, delivery.body);
    if (payload === undefined) return;
    const commits = commitsOfPush(githubEvent, payload);
    if (commits) {
      await this.audit.append({ action: FEED_COMMITS, actor: 'system', detail: { plugin: delivery.plugin, ...commits } });
      return;
    }
    const alerts = alertsOfNotification(payload);
    if (alerts) await this.audit.append({ action: FEED_ALERTS, actor: 'system', detail: { plugin: delivery.plugin, ...alerts } });
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

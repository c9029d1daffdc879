import type { IncomingHttpHeaders } from 'node:http';

/** A verified webhook delivery that its plugin accepted, as the host received it. */
export interface ObservedDelivery {
  plugin: string;
  /** The event header's value (GitHub's X-GitHub-Event), when the verification names one. */
  event: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
  receivedAt: Date;
}

/**
 * Host-side readers of webhook deliveries (the reports' records of commits and alerts), contributed by feature
 * modules; zero is fine. Called after the plugin answered 2xx and before the HTTP answer; a failure is logged,
 * never answered to the sender and never undoes the delivery.
 */
export const WebhookObserver = Symbol('WebhookObserver');
export interface WebhookObserver {
  observe(delivery: ObservedDelivery): Promise<void>;
}

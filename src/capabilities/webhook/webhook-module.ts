import { ContainerModule } from 'inversify';
import { LifecycleContribution } from '../../core/lifecycle.js';
import { WebhookDeliveries, WebhookDeliveriesImpl } from './webhook-deliveries.js';
import { WebhookEndpoint } from './webhook-endpoint.js';
import { WebhookReceiver } from './webhook-receiver.js';

/** The webhook capability: `POST /hooks/<plugin>`, verified on the host, deduplicated, audited. Loads after plugins. */
export const webhookModule = new ContainerModule(({ bind }) => {
  bind(WebhookDeliveries).to(WebhookDeliveriesImpl).inSingletonScope();
  bind(WebhookReceiver).toSelf().inSingletonScope();
  bind(LifecycleContribution).to(WebhookEndpoint).inSingletonScope();
});

import type { Api } from '../../http/types.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { deriveEventsWith } from '../../infra/outbox.js';
import type { OutboxHandler } from '../outbox/dispatcher.js';
import { changeEvents } from './change-events.js';
import { deliveryHandler, eventHandler } from './delivery.js';
import { registerWebhookRoutes } from './webhooks.routes.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhooks (W1): routes, the events every change implies, and the outbox handlers that deliver them. */
export function registerWebhooks(app: Api, deps: ServiceDeps): Record<string, OutboxHandler> {
  deriveEventsWith(changeEvents);
  registerWebhookRoutes(app, new WebhooksService(deps));
  return { event: eventHandler(deps), webhook: deliveryHandler(deps) };
}

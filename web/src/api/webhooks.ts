/**
 * The webhooks API the portal's webhooks screen uses (W1): typed requests over the SDK's HTTP core
 * and their query keys.
 */
import type { Page, SwitchboardClient } from '../../../client/index.js';
import type {
  CreatedWebhook,
  RotatedSecret,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookEventType,
  WebhookPatch,
  WebhookQueued,
} from '../../../src/contract/index.js';

export type { CreatedWebhook, RotatedSecret, Webhook, WebhookCreate, WebhookDelivery, WebhookEventType };

export type DeliveryStatus = WebhookDelivery['status'];

const enc = encodeURIComponent;
const base = (t: string) => `/v1/tenants/${enc(t)}/webhooks`;
const one = (t: string, id: string) => `${base(t)}/${enc(id)}`;

export const webhookKeys = {
  all: (t: string) => ['webhooks', t] as const,
  list: (t: string) => ['webhooks', t, 'list'] as const,
  deliveriesOf: (t: string, id: string) => ['webhooks', t, 'deliveries', id] as const,
  deliveries: (t: string, id: string, status: DeliveryStatus | null) =>
    [...webhookKeys.deliveriesOf(t, id), status] as const,
  eventTypes: () => ['webhook-event-types'] as const,
};

/** The webhook requests of one client. */
export function webhooksApi(client: SwitchboardClient) {
  const { http } = client;
  return {
    eventTypes: () => http.request<{ items: WebhookEventType[] }>('GET', '/v1/webhook-event-types'),
    list: (t: string) => http.request<{ items: Webhook[]; nextCursor: null }>('GET', base(t)),
    create: (t: string, body: WebhookCreate) => http.request<CreatedWebhook>('POST', base(t), { body }),
    update: (t: string, id: string, body: WebhookPatch, ifMatch?: number) =>
      http.request<Webhook>('PATCH', one(t, id), { body, ifMatch }),
    remove: (t: string, id: string) => http.request<void>('DELETE', one(t, id)),
    rotateSecret: (t: string, id: string, overlapSeconds: number) =>
      http.request<RotatedSecret>('POST', `${one(t, id)}/rotate-secret`, { body: { overlapSeconds } }),
    deliveries: (t: string, id: string, query: { status?: DeliveryStatus; cursor?: string | null; limit?: number }) =>
      http.request<Page<WebhookDelivery>>('GET', `${one(t, id)}/deliveries`, { query: { ...query } }),
    redeliver: (t: string, id: string, deliveryId: string) =>
      http.request<WebhookQueued>('POST', `${one(t, id)}/deliveries/${enc(deliveryId)}/redeliver`, { body: {} }),
    redeliverFailed: (t: string, id: string, since: string) =>
      http.request<WebhookQueued>('POST', `${one(t, id)}/redeliver`, { body: { since } }),
    sendTest: (t: string, id: string) =>
      http.request<WebhookQueued & { messageId: string }>('POST', `${one(t, id)}/test`, { body: {} }),
  };
}

import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { etag } from '../../infra/versioning.js';
import { EVENT_TYPES } from './webhook-events.js';
import {
  CreatedWebhook,
  Delivery,
  DeliveryQuery,
  EventTypeInfo,
  Queued,
  RedeliverFailed,
  RotatedSecret,
  RotateSecret,
  Webhook,
  WebhookCreate,
  WebhookPatch,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const tags = ['Webhooks'];
const DeliveryParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
  deliveryId: Type.String({ minLength: 1, maxLength: 30 }),
});

/** `/v1/tenants/{t}/webhooks…` (W1, Standard Webhooks) and the event catalogue. */
export function registerWebhookRoutes(app: Api, webhooks: WebhooksService): void {
  app.get(
    '/v1/webhook-event-types',
    {
      schema: {
        tags,
        summary: 'The event types a webhook may take (schemas: the `webhooks` section of this document)',
        response: { 200: Type.Object({ items: Type.Array(EventTypeInfo) }), ...errorResponses },
      },
    },
    async (req) => {
      contextOf(req);
      return { items: Object.entries(EVENT_TYPES).map(([type, e]) => ({ type, summary: e.summary })) };
    },
  );

  app.get(
    '/v1/tenants/:t/webhooks',
    {
      schema: {
        tags,
        summary: 'Webhook endpoints of the tenant (never their secrets)',
        params: TenantParams,
        response: { 200: Type.Object({ items: Type.Array(Webhook), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (req) => ({ items: await webhooks.list(contextOf(req), req.params.t), nextCursor: null }),
  );

  app.post(
    '/v1/tenants/:t/webhooks',
    {
      schema: {
        tags,
        summary: 'Subscribe an endpoint (webhooks:create); its `whsec_` secret is shown once',
        params: TenantParams,
        body: WebhookCreate,
        response: { 201: CreatedWebhook, ...errorResponses },
      },
    },
    async (req, reply) => {
      const w = await webhooks.create(contextOf(req), req.params.t, req.body);
      return reply.status(201).header('etag', etag(w.version)).send(w);
    },
  );

  app.get(
    '/v1/tenants/:t/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One webhook endpoint',
        params: TenantItemParams,
        response: { 200: Webhook, ...errorResponses },
      },
    },
    async (req, reply) => {
      const w = await webhooks.get(contextOf(req), req.params.t, req.params.id);
      return reply.header('etag', etag(w.version)).send(w);
    },
  );

  app.patch(
    '/v1/tenants/:t/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change the URL, event types or description; enable or disable',
        params: TenantItemParams,
        body: WebhookPatch,
        response: { 200: Webhook, ...errorResponses },
      },
    },
    async (req, reply) => {
      const w = await webhooks.patch(contextOf(req), req.params.t, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag(w.version)).send(w);
    },
  );

  app.delete(
    '/v1/tenants/:t/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete the endpoint; deliveries still due are cancelled',
        params: TenantItemParams,
        response: { 204: { type: 'null' } as const, ...errorResponses },
      },
    },
    async (req, reply) => {
      await webhooks.remove(contextOf(req), req.params.t, req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/tenants/:t/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new secret (shown once); the old one keeps signing beside it during the overlap',
        params: TenantItemParams,
        body: Type.Optional(RotateSecret),
        response: { 200: RotatedSecret, ...errorResponses },
      },
    },
    async (req) =>
      webhooks.rotateSecret(contextOf(req), req.params.t, req.params.id, req.body?.overlapSeconds ?? 24 * 3600),
  );

  app.get(
    '/v1/tenants/:t/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log: each message sent to the endpoint with every attempt, newest first',
        params: TenantItemParams,
        querystring: DeliveryQuery,
        response: {
          200: Type.Object({ items: Type.Array(Delivery), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => webhooks.deliveries(contextOf(req), req.params.t, req.params.id, req.query),
  );

  app.post(
    '/v1/tenants/:t/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        summary: 'Send one message again (same `webhook-id`, new signature)',
        params: DeliveryParams,
        response: { 202: Queued, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(202)
        .send(await webhooks.redeliver(contextOf(req), req.params.t, req.params.id, req.params.deliveryId)),
  );

  app.post(
    '/v1/tenants/:t/webhooks/:id/redeliver',
    {
      schema: {
        tags,
        summary: 'Send again every message whose last delivery failed, since a time',
        params: TenantItemParams,
        body: RedeliverFailed,
        response: { 202: Queued, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(202)
        .send(await webhooks.redeliverFailed(contextOf(req), req.params.t, req.params.id, req.body.since)),
  );

  app.post(
    '/v1/tenants/:t/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a `webhook.test` message to this endpoint',
        params: TenantItemParams,
        response: { 202: Type.Intersect([Queued, Type.Object({ messageId: Type.String() })]), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.sendTest(contextOf(req), req.params.t, req.params.id)),
  );
}

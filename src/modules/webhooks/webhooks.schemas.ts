import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPE_NAMES } from './webhook-events.js';

const EventTypeName = Type.Unsafe<string>({ type: 'string', enum: EVENT_TYPE_NAMES });
const Iso = Type.String({ format: 'date-time' });

export const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String(), { description: 'event types taken; empty takes every type' }),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  failingSince: Type.Union([Iso, Type.Null()]),
  previousSecretExpiresAt: Type.Union([Iso, Type.Null()], {
    description: 'while set, every message is signed with the old secret too',
  }),
  version: Type.Integer(),
  createdAt: Iso,
  updatedAt: Iso,
});
export type Webhook = Static<typeof Webhook>;

export const CreatedWebhook = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.String({ description: '`whsec_…`: shown once' }) }),
]);
export type CreatedWebhook = Static<typeof CreatedWebhook>;

const Url = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' });
const Events = Type.Array(EventTypeName, { maxItems: 50, uniqueItems: true });
const Description = Type.String({ maxLength: 500 });

export const WebhookCreate = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type WebhookCreate = Static<typeof WebhookCreate>;

export const WebhookPatch = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ description: 'enabling again clears the reason and the failure clock' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type WebhookPatch = Static<typeof WebhookPatch>;

export const RotateSecret = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 24 * 3600,
        default: 24 * 3600,
        description: 'how long messages are signed with the old secret too',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RotatedSecret = Type.Object({
  secret: Type.String(),
  previousSecretExpiresAt: Type.Union([Iso, Type.Null()]),
});
export type RotatedSecret = Static<typeof RotatedSecret>;

export const Attempt = Type.Object({
  at: Iso,
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
  response: Type.Union([Type.String(), Type.Null()], { description: 'the first 1 KB of the answer' }),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const Delivery = Type.Object({
  id: Type.String(),
  messageId: Type.String({ description: 'the `webhook-id` header' }),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Array(Attempt),
  nextAttemptAt: Type.Union([Iso, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
});
export type Delivery = Static<typeof Delivery>;

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const RedeliverFailed = Type.Object(
  { since: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);

export const Queued = Type.Object({ deliveryIds: Type.Array(Type.String()) });
export type Queued = Static<typeof Queued>;

export const EventTypeInfo = Type.Object({ type: Type.String(), summary: Type.String() });
export type EventTypeInfo = Static<typeof EventTypeInfo>;

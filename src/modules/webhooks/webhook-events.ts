import { Type, type TSchema } from '@sinclair/typebox';
import { ORIGINS } from '../../infra/outbox.js';

/**
 * The webhook event catalogue (W1): every type a subscription may name, with the JSON schema of its
 * `data`. The envelope is the same for all (Standard Webhooks: `type`, `timestamp`, `data`, plus the
 * tenant, the origin and the actor of the change). Served in OpenAPI under `webhooks`.
 */
const Id = Type.String();
const Ids = Type.Union([Type.Array(Id), Type.Null()], {
  description: 'null when the change concerns every user (or too many to list)',
});

export const EVENT_TYPES = {
  'user.created': {
    summary: 'A user was created (portal, API, SCIM, CSV or platform sync)',
    data: Type.Object({
      userId: Id,
      user: Type.Record(Type.String(), Type.Unknown(), { description: 'the new user' }),
    }),
  },
  'user.updated': {
    summary: "A user's fields changed; `changed` names them (fetch the user for the values)",
    data: Type.Object({ userId: Id, changed: Type.Array(Type.String()) }),
  },
  'user.removed': {
    summary: 'A user was deleted (manual users) or removed by platform sync',
    data: Type.Object({ userId: Id }),
  },
  'user.access.changed': {
    summary: "Users' effective configurations changed at `version` (D3): fetch …/users/{u}/config",
    data: Type.Object({ userIds: Ids, version: Type.Integer() }),
  },
  'licence.assigned': {
    summary: 'A licence was assigned to a user',
    data: Type.Object({ userId: Id, licence: Type.String() }),
  },
  'licence.unassigned': {
    summary: 'A licence was taken from a user (or the user was removed)',
    data: Type.Object({ userId: Id, licence: Type.String() }),
  },
  'seats.exhausted': {
    summary: 'A sign-in was refused because every seat was taken (S2)',
    data: Type.Object({ userId: Id, audience: Type.String(), limit: Type.Integer(), inUse: Type.Integer() }),
  },
  'session.revoked': {
    summary: 'Sessions were ended (logout by an admin, password change, removal, forced logout)',
    data: Type.Object({ sessionIds: Ids, userIds: Ids, reason: Type.String() }),
  },
  'platform.sync.completed': {
    summary: 'A platform snapshot was applied',
    data: Type.Object({
      created: Type.Integer(),
      updated: Type.Integer(),
      removed: Type.Integer(),
      unchanged: Type.Integer(),
      version: Type.Union([Type.Integer(), Type.Null()]),
    }),
  },
  'tenant.updated': {
    summary: "The tenant's plan, pools, seats, policies or settings changed; `changed` names them",
    data: Type.Object({ changed: Type.Array(Type.String()) }),
  },
  'agent.state_change_requested': {
    summary: "A supervisor asks the phone system to change an agent's state (agent_state:edit, G11; CD5)",
    data: Type.Object({
      agentId: Id,
      agentExternalId: Type.String(),
      state: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
      queueId: Type.Union([Id, Type.Null()]),
    }),
  },
  'call.monitor_requested': {
    summary: 'A supervisor asks the phone system to listen to, whisper into, barge into or steal a live call (CD5)',
    data: Type.Object({
      conversationId: Type.String(),
      mode: Type.String(),
      queueId: Type.Union([Id, Type.Null()]),
      supervisorId: Type.Union([Id, Type.Null()]),
      supervisorExternalId: Type.Union([Type.String(), Type.Null()]),
      supervisorExtension: Type.Union([Type.String(), Type.Null()]),
    }),
  },
  'webhook.test': {
    summary: 'Sent by POST …/webhooks/{id}/test to that endpoint only',
    data: Type.Object({ endpointId: Id }),
  },
} satisfies Record<string, { summary: string; data: TSchema }>;

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);

/** The body of every message; `data` per type as above. */
function envelope(type: string, data: TSchema): TSchema {
  return Type.Object({
    type: Type.Literal(type),
    timestamp: Type.String({ format: 'date-time' }),
    tenantId: Type.String(),
    origin: Type.Union(
      ORIGINS.map((o) => Type.Literal(o)),
      { description: 'where the change came from: skip the echoes of your own changes' },
    ),
    actor: Type.Object({
      type: Type.Union([Type.Literal('user'), Type.Literal('platform'), Type.Literal('provider')]),
      id: Type.Union([Type.String(), Type.Null()]),
    }),
    data,
  });
}

const SIGNATURE_HEADERS = [
  ['webhook-id', 'The message id: the same on every attempt (deduplicate on it)'],
  ['webhook-timestamp', 'Unix seconds of this attempt (new on every attempt)'],
  ['webhook-signature', '`v1,<base64 HMAC-SHA256>`; two, space-separated, while a rotated secret overlaps'],
] as const;

/** OpenAPI 3.1 `webhooks`: one entry per event type (what the receiver gets, what it answers). */
export function webhooksOpenApi(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(EVENT_TYPES).map(([type, e]) => [
      type,
      {
        post: {
          summary: e.summary,
          tags: ['Webhooks'],
          parameters: SIGNATURE_HEADERS.map(([name, description]) => ({
            name,
            in: 'header',
            required: true,
            description,
            schema: { type: 'string' },
          })),
          requestBody: { required: true, content: { 'application/json': { schema: envelope(type, e.data) } } },
          responses: {
            '200': { description: 'Any 2xx: delivered' },
            '410': { description: 'The endpoint is disabled; nothing more is sent' },
            default: { description: 'Anything else (or no answer in 15 s): retried; `Retry-After` is honoured' },
          },
        },
      },
    ]),
  );
}

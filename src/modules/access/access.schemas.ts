import { Type, type Static } from '@sinclair/typebox';
import { isObject, onlyKeys, within, withQuickCheck } from '../../http/quick-check.js';

/** D7: answer from a state at least this new (e.g. the `version` a write returned), on any node. */
export const MinVersion = Type.Integer({
  minimum: 0,
  description: 'D7: decide from a state at least this new (a version a write or an answer returned)',
});
export const MinVersionQuery = Type.Object({ minVersion: Type.Optional(MinVersion) }, { additionalProperties: false });

const BlockSchema = Type.Object({ rule: Type.String(), code: Type.String(), detail: Type.String() });
export const DecisionSchema = Type.Object({
  allowed: Type.Boolean(),
  grantedBy: Type.Array(Type.String()),
  blockedBy: Type.Array(BlockSchema),
});

export const AccessAnswer = Type.Object(
  {
    userId: Type.String(),
    version: Type.Integer(),
    capabilities: Type.Record(Type.String(), DecisionSchema),
    queues: Type.Record(Type.String(), Type.Record(Type.String(), DecisionSchema), {
      description: 'queue id -> queue capability -> decision',
    }),
  },
  { $id: 'AccessAnswer' },
);
export type AccessAnswer = Static<typeof AccessAnswer>;

export const CheckBody = withQuickCheck(
  Type.Object(
    {
      checks: Type.Array(
        Type.Object(
          {
            userId: Type.String({ minLength: 1, maxLength: 100 }),
            capability: Type.String({ minLength: 1, maxLength: 100 }),
            resource: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 1000 },
      ),
      explain: Type.Optional(
        Type.Boolean({
          default: true,
          description: 'false: decisions without grantedBy/blockedBy (the fastest answer)',
        }),
      ),
      minVersion: Type.Optional(MinVersion),
    },
    { additionalProperties: false },
  ),
  isPlainCheckBody,
);
export type CheckBody = Static<typeof CheckBody>;

const CHECK_BODY_KEYS = new Set(['checks', 'explain', 'minVersion']);
const CHECK_KEYS = new Set(['userId', 'capability', 'resource']);

/**
 * The fast path of `CheckBody` (a batch of 1,000 is validated in a few microseconds): true only for a
 * body the schema accepts, whose `explain` default it then applies; anything else, odd strings of
 * surrogate pairs included, is left to the schema, which answers the usual 400.
 */
export function isPlainCheckBody(body: unknown): boolean {
  if (!isObject(body) || !onlyKeys(body, CHECK_BODY_KEYS)) return false;
  const { checks, explain, minVersion } = body;
  if (!Array.isArray(checks) || checks.length < 1 || checks.length > 1000) return false;
  if (explain !== undefined && typeof explain !== 'boolean') return false;
  if (minVersion !== undefined && !(Number.isSafeInteger(minVersion) && (minVersion as number) >= 0)) return false;
  for (let i = 0; i < checks.length; i++) {
    const c: unknown = checks[i];
    if (!isObject(c) || !onlyKeys(c, CHECK_KEYS)) return false;
    if (!within(c.userId, 1, 100) || !within(c.capability, 1, 100)) return false;
    if (c.resource !== undefined && !within(c.resource, 0, 200)) return false;
  }
  if (explain === undefined) body.explain = true;
  return true;
}

/** The wire form: with `explain: false` the results carry `allowed` only. */
export const CheckAnswerSchema = Type.Object({
  version: Type.Integer({ description: 'D7: the version the decisions were made at' }),
  results: Type.Array(
    Type.Object({
      allowed: Type.Boolean(),
      grantedBy: Type.Optional(Type.Array(Type.String())),
      blockedBy: Type.Optional(Type.Array(BlockSchema)),
    }),
  ),
});
export type AnyCheckAnswer = Static<typeof CheckAnswerSchema>;
/** The answer with reasons (`explain` left on, the default). */
export interface CheckAnswer {
  version: number;
  results: Array<Static<typeof DecisionSchema>>;
}

const QueueConfig = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  capabilities: Type.Array(Type.String()),
});
export const EffectiveConfigSchema = Type.Object(
  {
    userId: Type.String(),
    tenantId: Type.String(),
    version: Type.Integer(),
    status: Type.String(),
    capabilities: Type.Array(Type.String()),
    queues: Type.Array(QueueConfig),
    features: Type.Object({
      calls: Type.Boolean(),
      sms: Type.Boolean(),
      recording: Type.Boolean(),
      crmOverlay: Type.Boolean(),
      dialRestriction: Type.Object({
        enabled: Type.Boolean(),
        homeRegion: Type.String(),
        allowedRegions: Type.Array(Type.String()),
      }),
    }),
    softphone: Type.Union([
      Type.Null(),
      Type.Object({
        clients: Type.Array(Type.String()),
        device: Type.Object({
          id: Type.String(),
          kind: Type.String(),
          sip: Type.Optional(Type.Object({ username: Type.String(), password: Type.String(), realm: Type.String() })),
        }),
      }),
    ]),
    supervisor: Type.Object({
      level: Type.String(),
      reports: Type.Boolean(),
      dashboards: Type.Boolean(),
      wallboards: Type.Boolean(),
      liveCalls: Type.Boolean(),
      ccData: Type.Boolean(),
    }),
  },
  { $id: 'EffectiveConfig' },
);

import { Type, type Static } from '@sinclair/typebox';

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

export const CheckBody = Type.Object(
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
  },
  { additionalProperties: false },
);
export type CheckBody = Static<typeof CheckBody>;

export const CheckAnswer = Type.Object({ results: Type.Array(DecisionSchema) });
export type CheckAnswer = Static<typeof CheckAnswer>;

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

import { Type, type Static } from '@sinclair/typebox';

const LicenceUse = Type.Object({
  assigned: Type.Integer(),
  cap: Type.Union([Type.Integer(), Type.Null()]),
  withData: Type.Optional(
    Type.Integer({
      description:
        'essential and agent: users who produced modelled data this month (UTC), calls modelled or agent events stored; beside assigned it shows unused licences',
    }),
  ),
});

/** B1: each licence (one per supervisor level too) against its cap; seats in use, limit, peak and history. */
export const Usage = Type.Object(
  {
    licences: Type.Record(Type.String(), LicenceUse),
    seats: Type.Object({
      inUse: Type.Integer(),
      limit: Type.Union([Type.Integer(), Type.Null()]),
      peak: Type.Integer(),
      history: Type.Array(Type.Object({ at: Type.String(), inUse: Type.Integer() }), {
        description: 'seats in use over the last 24 hours, every 15 minutes',
      }),
    }),
  },
  { $id: 'Usage' },
);
export type Usage = Static<typeof Usage>;

/** B1: one tenant's line in the provider's overview. */
export const TenantUsage = Type.Object({
  tenantId: Type.String(),
  name: Type.String(),
  licences: Type.Record(Type.String(), LicenceUse),
  seats: Type.Object({ inUse: Type.Integer(), limit: Type.Union([Type.Integer(), Type.Null()]), peak: Type.Integer() }),
});
export type TenantUsage = Static<typeof TenantUsage>;

export const UsageOverviewQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) },
  { additionalProperties: false },
);

import { Type, type Static } from '@sinclair/typebox';
import { BillableKeySchema, NameText, RegionCode } from '../../http/common-schemas.js';

const PlanKey = Type.String({
  minLength: 1,
  maxLength: 50,
  description: "a plan key: basic, reach, record or one of the provider's plans (GET /v1/plans)",
});
const LicencePools = Type.Partial(
  Type.Record(BillableKeySchema, Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), {
    description: 'licence key to cap; a licence with no cap (null or absent) is unlimited and billed per assignment',
  }),
  { additionalProperties: false },
);
const Seats = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
  description: 'concurrent login limit; null is unlimited',
});
const Policies = Type.Object(
  { agentAddOn: Type.Union([Type.Literal('manual'), Type.Literal('auto')]) },
  { additionalProperties: false },
);
/** S3: how long sessions keep their seat without activity; the provider bounds both (config). */
const SessionPolicy = Type.Object(
  {
    appLapseSeconds: Type.Integer({
      minimum: 1,
      description: 'an app session lapses this long after its last heartbeat or stream activity (default 90)',
    }),
    portalIdleMinutes: Type.Integer({
      minimum: 1,
      description: 'a portal session ends after this many idle minutes (default 30)',
    }),
  },
  { additionalProperties: false },
);
const Settings = Type.Object({ agentsMayJoinUnassignedQueues: Type.Boolean() }, { additionalProperties: false });

export const Tenant = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    plan: Type.String(),
    planFeatures: Type.Array(Type.String(), { description: "the features of the tenant's plan (SPEC 7)" }),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended')], {
      description: 'suspended: sessions ended, sign-ins and tokens refused (tenant_suspended), data kept',
    }),
    suspendedAt: Type.Union([Type.String(), Type.Null()]),
    homeRegion: Type.String(),
    // The commercial record (pools, seats, policies, settings) is for the provider and the tenant's
    // administrators; a plain user's app sees who the tenant is and its plan.
    licencePools: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Null()]))),
    seats: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    policies: Type.Optional(Policies),
    settings: Type.Optional(Settings),
    sessionPolicy: Type.Optional(SessionPolicy),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Tenant' },
);
export type Tenant = Static<typeof Tenant>;

export const TenantCreate = Type.Object(
  {
    name: NameText,
    plan: Type.Optional(PlanKey),
    homeRegion: Type.Optional(RegionCode),
    licencePools: Type.Optional(LicencePools),
    seats: Type.Optional(Seats),
    policies: Type.Optional(Policies),
    settings: Type.Optional(Settings),
    sessionPolicy: Type.Optional(Type.Partial(SessionPolicy, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type TenantCreate = Static<typeof TenantCreate>;

export const TenantPatch = Type.Partial(TenantCreate, { additionalProperties: false });
export type TenantPatch = Static<typeof TenantPatch>;

/**
 * S5: what lowering a limit below current use means. The change is saved (S5: no session ends, no
 * licence is taken away); the answer says what follows, so the portal can show it before saving
 * (`?dryRun=true`) and after.
 */
export const CapWarning = Type.Object({
  code: Type.Union([Type.Literal('seats_below_use'), Type.Literal('licence_pool_below_use')]),
  rule: Type.Literal('S5'),
  field: Type.String({ description: 'JSON pointer: /seats or /licencePools/<key>' }),
  limit: Type.Integer(),
  inUse: Type.Integer(),
  detail: Type.String(),
});
export type CapWarning = Static<typeof CapWarning>;

/** A tenant change's answer: the tenant, and the consequences of lowering a limit below use (S5). */
export const TenantChanged = Type.Object(
  { ...Tenant.properties, warnings: Type.Array(CapWarning) },
  { $id: 'TenantChanged' },
);
export type TenantChanged = Static<typeof TenantChanged>;

/** What deleting a suspended tenant removed: rows per table. */
export const TenantDeleted = Type.Object({
  id: Type.String(),
  deleted: Type.Record(Type.String(), Type.Integer(), { description: 'rows removed per table' }),
});
export type TenantDeleted = Static<typeof TenantDeleted>;

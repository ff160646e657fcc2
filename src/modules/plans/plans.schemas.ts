import { Type, type Static } from '@sinclair/typebox';
import { PLAN_FEATURES } from '../../catalog/plans.js';
import { NameText } from '../../http/common-schemas.js';

const PlanFeatureSchema = Type.Union(PLAN_FEATURES.map((f) => Type.Literal(f)));
const Features = Type.Array(PlanFeatureSchema, {
  uniqueItems: true,
  maxItems: PLAN_FEATURES.length,
  description:
    'what the plan includes: calls, sms (F1), crm_overlay (G8), dial_restriction (F3), recording (F2); a calls-only or SMS-only plan lists one channel',
});

export const PlanKey = Type.String({
  minLength: 2,
  maxLength: 50,
  pattern: '^[a-z][a-z0-9_-]*$',
  description: 'the plan key tenants name in `plan` (lower case letters, digits, - and _)',
});

export const Plan = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    features: Type.Array(Type.String()),
    builtin: Type.Boolean({ description: 'a catalog plan (basic, reach, record): read-only' }),
    tenants: Type.Optional(Type.Integer({ description: 'how many tenants are on the plan (provider only)' })),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Plan' },
);
export type Plan = Static<typeof Plan>;

export const PlanCreate = Type.Object(
  { key: PlanKey, name: NameText, features: Features },
  { additionalProperties: false },
);
export type PlanCreate = Static<typeof PlanCreate>;

export const PlanPatch = Type.Partial(Type.Object({ name: NameText, features: Features }), {
  additionalProperties: false,
  minProperties: 1,
});
export type PlanPatch = Static<typeof PlanPatch>;

export const PlanParams = Type.Object({ plan: Type.String({ minLength: 1, maxLength: 100 }) });

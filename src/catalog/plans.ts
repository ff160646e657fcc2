/**
 * Subscription plans (seed 004, SPEC 7). These are the built-in plans; the provider adds its own,
 * stored in the database beside them (`/v1/plans`). A plan is a name and a set of features.
 */
export const PLAN_FEATURES = ['calls', 'sms', 'crm_overlay', 'dial_restriction', 'recording'] as const;
export type PlanFeature = (typeof PLAN_FEATURES)[number];

export interface PlanDef {
  readonly key: string;
  readonly name: string;
  readonly features: readonly PlanFeature[];
}

export const PLANS: Readonly<Record<string, PlanDef>> = {
  basic: { key: 'basic', name: 'Basic', features: ['calls', 'sms', 'crm_overlay'] },
  reach: { key: 'reach', name: 'Reach', features: ['calls', 'sms', 'crm_overlay', 'dial_restriction'] },
  record: { key: 'record', name: 'Record', features: ['calls', 'sms', 'crm_overlay', 'dial_restriction', 'recording'] },
};

export const DEFAULT_PLAN = 'basic';

/** Whether a plan's features include one (the engine passes the features of the tenant's plan, F1-F3, G8). */
export function planHas(features: readonly PlanFeature[], feature: PlanFeature): boolean {
  return features.includes(feature);
}

/** Subscription plans (seed 004). Providers may add their own; these are the defaults. */
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

export function planHas(plan: string, feature: PlanFeature): boolean {
  return PLANS[plan]?.features.includes(feature) ?? false;
}

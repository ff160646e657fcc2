/** Plan names as a person reads them: the built-in plans in the reader's language, the provider's own as named. */
import type { Plan } from '../../../../client/index.js';
import { PLANS } from '../../../../src/contract/index.js';

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** The query key of `GET /v1/plans`. */
export const PLANS_QUERY_KEY = ['plans'] as const;

/** A plan's display name: `plan.<key>` for a built-in plan, its own name otherwise (or the key, when unknown). */
export function planLabel(t: Translate, key: string, plans?: readonly Pick<Plan, 'key' | 'name'>[]): string {
  if (PLANS[key]) return t(`plan.${key}`);
  return plans?.find((p) => p.key === key)?.name ?? key;
}

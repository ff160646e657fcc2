import type { Capability } from './capabilities.js';

/** User licences (SPEC 2) and supervisor levels (seed 000). Each level is itself a billable licence. */
export const LICENCES = ['essential', 'agent', 'crm', 'softphone'] as const;
export type Licence = (typeof LICENCES)[number];

export const SUPERVISOR_LEVELS = ['none', 'report', 'analytics', 'live', 'contact_center'] as const;
export type SupervisorLevel = (typeof SUPERVISOR_LEVELS)[number];

/** What each level adds; levels are cumulative (SPEC 3.3). */
export const SUPERVISOR_LEVEL_CAPABILITIES: Readonly<Record<SupervisorLevel, readonly Capability[]>> = {
  none: [],
  report: ['reports:view'],
  analytics: ['dashboards:view', 'wallboards:view'],
  live: ['dashboards:live_calls'],
  contact_center: ['cc_data:view'],
};

export function supervisorRank(level: SupervisorLevel): number {
  return SUPERVISOR_LEVELS.indexOf(level);
}

/** The product names of the levels (seed 000), as reasons and documents name them. */
export const SUPERVISOR_LEVEL_NAMES: Readonly<Record<SupervisorLevel, string>> = {
  none: 'None',
  report: 'Report Supervisor',
  analytics: 'Analytics Supervisor',
  live: 'Live Analytics Supervisor',
  contact_center: 'Contact Center Supervisor',
};

/**
 * Billable content (G15): each capability a supervisor level sells, with the level that sells it (the
 * lowest one whose cumulative set holds it). Whatever grants such a capability (the level, a profile, a
 * custom profile, superuser), it is allowed only at that level or a higher one.
 */
export const BILLABLE_CONTENT: ReadonlyMap<Capability, Exclude<SupervisorLevel, 'none'>> = new Map(
  SUPERVISOR_LEVELS.flatMap((level) =>
    level === 'none' ? [] : SUPERVISOR_LEVEL_CAPABILITIES[level].map((cap) => [cap, level] as const),
  ),
);

/** The supervisor level that sells `capability` (G15), or undefined when it is not billable content. */
export function levelSelling(capability: string): Exclude<SupervisorLevel, 'none'> | undefined {
  return BILLABLE_CONTENT.get(capability as Capability);
}

/** Licence keys of usage reports (B1): the four licences plus one per supervisor level. */
export const BILLABLE_KEYS = [
  'essential',
  'agent',
  'crm',
  'softphone',
  'supervisor_report',
  'supervisor_analytics',
  'supervisor_live',
  'supervisor_contact_center',
] as const;
export type BillableKey = (typeof BILLABLE_KEYS)[number];

/** The billable keys a user consumes. */
export function billableKeysOf(user: {
  licences: readonly string[];
  supervisorLevel: SupervisorLevel;
  status: string;
}): BillableKey[] {
  if (user.status === 'removed') return [];
  const keys = LICENCES.filter((l) => user.licences.includes(l)) as BillableKey[];
  if (user.supervisorLevel !== 'none') keys.push(`supervisor_${user.supervisorLevel}` as BillableKey);
  return keys;
}

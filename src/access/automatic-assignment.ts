/**
 * Automatic assignment (A1-A4): what a change of a user gives or clears by itself, applied before the
 * change rules (src/access/change-rules.ts) judge it.
 */
import type { UserAccess, TenantAccess } from './types.js';

/** Which profile a user holds (kind and tenant profile id), or null for none: A2 compares them. */
const profileKey = (p: UserAccess['profile']): string | null =>
  p.kind === 'none' ? null : p.kind === 'profile' ? `profile:${p.profileId ?? ''}` : p.kind;

/**
 * A2's triggers that this change gives (all of them on create): a supervisor level raised from none, a
 * profile newly assigned (any kind), Contact Admin turned on, UC client access newly given (desktop,
 * softphone, the CRM add-on). Triggers a user already held are not given again.
 */
export function a2TriggersGiven(after: UserAccess, before: UserAccess | null): string[] {
  const out: string[] = [];
  if (after.supervisorLevel !== 'none' && (before?.supervisorLevel ?? 'none') === 'none') out.push('supervisorLevel');
  const profile = profileKey(after.profile);
  if (profile !== null && profile !== (before ? profileKey(before.profile) : null)) out.push('profile');
  if (after.contactCenter.admin && !before?.contactCenter.admin) out.push('contactCenter.admin');
  if (after.ucClient.desktop && !before?.ucClient.desktop) out.push('ucClient.desktop');
  if (after.ucClient.softphone.enabled && !before?.ucClient.softphone.enabled) out.push('ucClient.softphone');
  if (after.licences.includes('crm') && !before?.licences.includes('crm')) out.push('licences.crm');
  return out;
}

/**
 * Automatic assignment applied to a requested state: A1 (Essential for platform users), A2 (giving a
 * supervisor level, profile, contact admin or UC client access gives website access; it gives once, in
 * the change that gives the trigger, so website access taken away later stays away and G1 blocks what
 * needs it), A4 (leaving the primary group clears it).
 */
export function applyAutomaticAssignments(requested: UserAccess, before: UserAccess | null): UserAccess {
  const u = structuredClone(requested);
  if (essentialGiven(u) && !u.licences.includes('essential') && !before?.licences.includes('essential'))
    u.licences = ['essential', ...u.licences];
  if (a2TriggersGiven(u, before).length > 0 && !u.permissions.includes('website_access'))
    u.permissions = ['website_access', ...u.permissions];
  if (u.primaryGroup && before?.primaryGroup === u.primaryGroup && !u.groups.includes(u.primaryGroup))
    u.primaryGroup = null;
  u.licences = [...new Set(u.licences)];
  u.permissions = [...new Set(u.permissions)];
  u.groups = [...new Set(u.groups)];
  return u;
}

/** One thing automatic assignment did to a requested change: the rule, the field and what it set. */
export interface AutomaticChange {
  rule: 'A1' | 'A2' | 'A4';
  field: string;
  /** What was added (a licence or permission), or null for a value cleared (A4). */
  value: string | null;
  /** A2: the triggers the change gives (`supervisorLevel`, `licences.crm`, …). */
  because?: string[];
}

/** What `applyAutomaticAssignments` added to (or cleared from) `requested` to reach `after`. */
export function automaticChanges(
  requested: UserAccess,
  after: UserAccess,
  before: UserAccess | null,
): AutomaticChange[] {
  const out: AutomaticChange[] = [];
  if (after.licences.includes('essential') && !requested.licences.includes('essential'))
    out.push({ rule: 'A1', field: '/licences', value: 'essential' });
  if (after.permissions.includes('website_access') && !requested.permissions.includes('website_access'))
    out.push({ rule: 'A2', field: '/permissions', value: 'website_access', because: a2TriggersGiven(after, before) });
  if (requested.primaryGroup && after.primaryGroup === null)
    out.push({ rule: 'A4', field: '/primaryGroup', value: null });
  return out;
}

/** A1: platform users hold Essential; it is given on import and never taken while they are not removed. */
export function essentialGiven(u: Pick<UserAccess, 'source' | 'status'>): boolean {
  return u.source === 'platform' && u.status !== 'removed';
}

/** A3: under the automatic Agent add-on policy a platform user holds Agent exactly when the ACD lists them in a queue. */
export function agentFollowsAcd(policy: TenantAccess['policies']['agentAddOn'], inAcdQueues: boolean): boolean | null {
  return policy === 'auto' ? inAcdQueues : null;
}

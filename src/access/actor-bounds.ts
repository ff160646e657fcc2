/**
 * The bounds of an actor (C3, C4, C9): what it may give, take away and act on. The change rules
 * (src/access/change-rules.ts) and the deletion of a user decide with these.
 */
import { PERMISSION_CAPABILITIES, levelSelling } from '../catalog/index.js';
import type { ErrorCode } from '../catalog/errors.js';
import { explainUser } from './explain.js';
import type { TenantAccess, UserAccess } from './types.js';

/** Who makes a change, as the change rules see it (C1-C4, C8, C9). */
export interface ChangeActor {
  /** The provider (and platform sync) may do everything the rules allow anyone. */
  all: boolean;
  superuser: boolean;
  capabilities: ReadonlySet<string>;
  /** Platform sync: the only writer of platform data and, under the auto policy, of the agent add-on. */
  isSync?: boolean;
}

/** One broken rule; `code` is a stable error code of the API (src/infra/errors.ts). */
export interface Violation {
  code: ErrorCode;
  rule?: string;
  field: string;
  detail: string;
}

/** C4: an active user with website access and users:edit, both allowed. */
export function isTenantAdmin(u: UserAccess, tenant: TenantAccess): boolean {
  if (u.status !== 'active') return false;
  const d = explainUser(u, tenant);
  return d['portal:use']!.allowed && d['users:edit']!.allowed;
}

/** Whether the actor holds a capability (the provider and platform sync hold every one). */
export const holds = (actor: ChangeActor, cap: string) => actor.all || actor.capabilities.has(cap);

/**
 * C3: the grants of a profile or custom grant an actor holding `capabilities` may not hand out. Billable
 * content is not among them: G15 keeps it blocked until the holder has the supervisor level that sells
 * it, and the level (which grants the same content itself) is C2's, so bundling it gives nothing.
 */
export function ungrantable(capabilities: ReadonlySet<string>, grants: readonly string[]): string[] {
  return grants.filter((g) => !capabilities.has(g) && !levelSelling(g));
}

/** Sources an actor gives only by holding what they give (C3, C7): their capabilities are a user's powers (C9). */
const isGuardedSource = (source: string) =>
  source.startsWith('permission:') || source.startsWith('profile:') || source === 'role:contact_admin';

/**
 * C9: a user's powers: the capabilities the user is allowed through a named permission, a profile (tenant,
 * custom or superuser) or the Contact Admin role, the sources an actor gives only by holding them. What
 * the baseline, licences, features, queue roles' role permissions and supervisor levels give is not a
 * power over others (C2 and C7 guard those), and neither is billable content (G15: it follows the level).
 */
export function powersOf(user: UserAccess, tenant: TenantAccess): string[] {
  // As if active: a suspended superior is still a superior (suspension is reversible).
  const active = user.status === 'active' ? user : { ...user, status: 'active' as const };
  return Object.entries(explainUser(active, tenant))
    .filter(([cap, d]) => d.allowed && !levelSelling(cap) && d.grantedBy.some(isGuardedSource))
    .map(([cap]) => cap);
}

/**
 * C9: an actor acts on a user (edits, suspends, deletes) only if the user's powers are within the actor's
 * own; the provider (and sync) excepted. Null when the actor may act on the user.
 */
export function superiorViolation(actor: ChangeActor, target: UserAccess, tenant: TenantAccess): Violation | null {
  if (actor.all) return null;
  const beyond = powersOf(target, tenant).filter((c) => !actor.capabilities.has(c));
  if (target.profile.kind === 'superuser' && !actor.superuser && !beyond.includes('superuser'))
    beyond.push('superuser');
  if (beyond.length === 0) return null;
  return {
    code: 'superior_user',
    rule: 'C9',
    field: '/',
    detail: `the user holds what you do not, so you cannot change them: ${beyond.sort().join(', ')}`,
  };
}

/** C9 (C3 both ways): what a change takes away that the actor could not give (removed named permissions, profile grants, superuser). */
export function removalsBeyond(
  actor: ChangeActor,
  before: UserAccess,
  after: UserAccess,
  tenant: TenantAccess,
): Violation[] {
  if (actor.all) return [];
  const out: Violation[] = [];
  const lacking = new Set<string>();
  const removedPermissions = before.permissions.filter((p) => !after.permissions.includes(p));
  for (const perm of removedPermissions)
    for (const c of PERMISSION_CAPABILITIES[perm] ?? []) if (!actor.capabilities.has(c)) lacking.add(c);
  if (lacking.size > 0)
    out.push({
      code: 'removal_refused',
      rule: 'C9',
      field: '/permissions',
      detail: `you can take away only what you could give: ${[...lacking].sort().join(', ')}`,
    });
  const bp = before.profile,
    p = after.profile;
  if (JSON.stringify(bp) !== JSON.stringify(p)) {
    if (bp.kind === 'superuser' && p.kind !== 'superuser' && !actor.superuser) {
      out.push({
        code: 'removal_refused',
        rule: 'C9',
        field: '/profile',
        detail: 'only a superuser takes superuser away',
      });
    }
    const held = (x: UserAccess['profile']): string[] =>
      x.kind === 'custom'
        ? (x.grants ?? [])
        : x.kind === 'profile'
          ? (tenant.profiles.get(x.profileId ?? '')?.grants ?? [])
          : [];
    const kept = new Set(held(p));
    const removed = bp.kind === 'superuser' ? [] : held(bp).filter((g) => !kept.has(g));
    const missing = ungrantable(actor.capabilities, removed);
    if (missing.length > 0)
      out.push({
        code: 'removal_refused',
        rule: 'C9',
        field: '/profile',
        detail: `you can take away only what you could give: ${[...new Set(missing)].sort().join(', ')}`,
      });
  }
  return out;
}

/**
 * C9 and C4 for deleting a user: the user is no superior of the actor, the actor could give everything
 * the deletion takes away (named permissions, profile), and the user is not the last admin (`otherAdmins`:
 * active admins besides them). Empty means the actor may delete them.
 */
export function validateUserRemoval(
  actor: ChangeActor,
  target: UserAccess,
  tenant: TenantAccess,
  otherAdmins = 1,
): Violation[] {
  const superior = superiorViolation(actor, target, tenant);
  if (superior) return [superior];
  const gone: UserAccess = { ...target, status: 'removed', permissions: [], profile: { kind: 'none' } };
  return [...removalsBeyond(actor, target, gone, tenant), ...lastAdmin(target, gone, tenant, otherAdmins)];
}

/** C4: the last active user with website access and users:edit keeps both (and is not deleted). */
export function lastAdmin(before: UserAccess | null, after: UserAccess, tenant: TenantAccess, otherAdmins: number) {
  return before && otherAdmins === 0 && isTenantAdmin(before, tenant) && !isTenantAdmin(after, tenant)
    ? [
        {
          code: 'last_admin' as const,
          rule: 'C4',
          field: '/permissions',
          detail: 'the last active user with website access and users:edit cannot lose either',
        },
      ]
    : [];
}

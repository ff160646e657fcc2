import {
  billableKeysOf,
  CAPABILITY_BY_ID,
  levelSelling,
  PERMISSION_CAPABILITIES,
  planHas,
  supervisorRank,
  type BillableKey,
} from '../catalog/index.js';
import { explainUser } from './explain.js';
import type { ErrorCode } from '../catalog/errors.js';
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

export interface UserChangeContext {
  tenant: TenantAccess;
  /** Licence caps of the tenant (absent or null: unlimited) and current assignments (C6). */
  pools: { caps: Partial<Record<string, number | null>>; assigned: Partial<Record<BillableKey, number>> };
  /** Another user with website access already logs in with this email (G2). */
  emailTaken: boolean;
  /** Active users other than this one who have website access and users:edit (C4). */
  otherAdmins: number;
  groupIds: ReadonlySet<string>;
  workspaceIds: ReadonlySet<string>;
}

/** One broken rule; `code` is a stable error code of the API (src/infra/errors.ts). */
export interface Violation {
  code: ErrorCode;
  rule?: string;
  field: string;
  detail: string;
}

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
  if (
    u.source === 'platform' &&
    u.status !== 'removed' &&
    !u.licences.includes('essential') &&
    (!before || before.licences.includes('essential') === false)
  ) {
    u.licences = ['essential', ...u.licences];
  }
  if (a2TriggersGiven(u, before).length > 0 && !u.permissions.includes('website_access'))
    u.permissions = ['website_access', ...u.permissions];
  if (u.primaryGroup && before?.primaryGroup === u.primaryGroup && !u.groups.includes(u.primaryGroup))
    u.primaryGroup = null;
  u.licences = [...new Set(u.licences)];
  u.permissions = [...new Set(u.permissions)];
  u.groups = [...new Set(u.groups)];
  return u;
}

/** C4: an active user with website access and users:edit, both allowed. */
export function isTenantAdmin(u: UserAccess, tenant: TenantAccess): boolean {
  if (u.status !== 'active') return false;
  const d = explainUser(u, tenant);
  return d['portal:use']!.allowed && d['users:edit']!.allowed;
}

const has = (actor: ChangeActor, cap: string) => actor.all || actor.capabilities.has(cap);

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
 * C9 for deleting a user: the user is no superior of the actor, and the actor could give everything the
 * deletion takes away (named permissions, profile). Empty means the actor may delete them.
 */
export function validateUserRemoval(actor: ChangeActor, target: UserAccess, tenant: TenantAccess): Violation[] {
  const superior = superiorViolation(actor, target, tenant);
  if (superior) return [superior];
  return removalsBeyond(actor, target, { ...target, permissions: [], profile: { kind: 'none' } }, tenant);
}

/** Every rule a change of one user breaks; empty means the change may be saved. `before` is null on create. */
export function validateUserChange(
  actor: ChangeActor,
  before: UserAccess | null,
  after: UserAccess,
  ctx: UserChangeContext,
): Violation[] {
  const v: Violation[] = [];
  const add = (code: ErrorCode, rule: string | undefined, field: string, detail: string) =>
    v.push({ code, field, detail, ...(rule ? { rule } : {}) });
  const { tenant } = ctx;

  // C1: who may change users at all.
  const needed = before ? 'users:edit' : 'users:create';
  if (!has(actor, needed)) add('forbidden', 'C1', '/', `changing users needs ${needed}`);

  // Status: admins move between active and suspended; only sync removes (G13).
  if (after.status === 'removed' && before?.status !== 'removed' && !actor.isSync)
    add('validation_failed', 'G13', '/status', 'only platform sync removes users');

  // A1, A3: locked controls.
  if (
    after.source === 'platform' &&
    before?.licences.includes('essential') &&
    !after.licences.includes('essential') &&
    after.status !== 'removed'
  ) {
    add('read_only_field', 'A1', '/licences', 'platform users keep the Essential licence');
  }
  const agentChanged = (before?.licences.includes('agent') ?? false) !== after.licences.includes('agent');
  if (agentChanged && tenant.policies.agentAddOn === 'auto' && !actor.isSync) {
    add(
      'locked_by_policy',
      'A3',
      '/licences',
      'under the automatic Agent add-on policy only platform sync assigns Agent',
    );
  }

  // G4: essential and agent exist only for platform users.
  if (after.source !== 'platform') {
    for (const l of ['essential', 'agent'] as const) {
      if (after.licences.includes(l))
        add('platform_user_required', 'G4', '/licences', `${l} is only for users imported from the phone system`);
    }
  }
  // G3: UC client access needs Essential.
  const uc = after.ucClient.desktop || after.ucClient.softphone.enabled || after.licences.includes('crm');
  if (uc && !after.licences.includes('essential'))
    add('essential_required', 'G3', '/ucClient', 'UC client access needs the Essential licence');
  // G5: the softphone needs its licence and a device of the user's own (webrtc for the CRM client).
  const sp = after.ucClient.softphone;
  if (sp.enabled) {
    if (!after.licences.includes('softphone'))
      add('softphone_licence_required', 'G5', '/ucClient/softphone', 'the softphone needs the Softphone licence');
    const device = after.devices.find((d) => d.id === sp.deviceId);
    if (!device) add('device_required', 'G5', '/ucClient/softphone/deviceId', "choose one of the user's own devices");
    else if (sp.clients.includes('crm') && device.kind !== 'webrtc')
      add(
        'webrtc_device_required',
        'G5',
        '/ucClient/softphone/clients',
        'the CRM softphone client needs a WebRTC device',
      );
  }
  // G2 (with A2): website access needs a unique email; otherwise the whole change is refused.
  const websiteNew =
    after.permissions.includes('website_access') &&
    (!before?.permissions.includes('website_access') || before.email?.toLowerCase() !== after.email?.toLowerCase());
  if (after.permissions.includes('website_access') && !after.email)
    add('email_required', 'G2', '/email', 'website access needs an email address (the login name)');
  else if (websiteNew && ctx.emailTaken)
    add('email_not_unique', 'G2', '/email', 'another user with website access already signs in with this email');
  // G1: other named permissions are greyed out before website access.
  if (!after.permissions.includes('website_access') && after.permissions.length > 0) {
    const added = after.permissions.filter((p) => !before?.permissions.includes(p));
    if (added.length > 0)
      add('website_access_required', 'G1', '/permissions', `grant website access before ${added.join(', ')}`);
  }

  // G14: queue roles for platform users; the agent role needs the Agent licence.
  const queueRoles = Object.entries(after.contactCenter.queues);
  for (const [queueId] of queueRoles) {
    if (!tenant.queues.has(queueId))
      add('validation_failed', undefined, `/contactCenter/queues/${queueId}`, `queue ${queueId} does not exist`);
  }
  if (queueRoles.some(([, r]) => r.length > 0)) {
    if (after.source !== 'platform')
      add('platform_user_required', 'G14', '/contactCenter/queues', 'queue roles are for platform users');
    if (queueRoles.some(([, r]) => r.includes('agent')) && !after.licences.includes('agent')) {
      add('agent_licence_required', 'G14', '/contactCenter/queues', 'the agent role needs the Agent licence');
    }
  }
  // C7: contact-center roles are assigned by Contact Admins.
  const ccChanged =
    JSON.stringify(before?.contactCenter ?? { admin: false, queues: {} }) !== JSON.stringify(after.contactCenter);
  if (ccChanged && !has(actor, 'cc:admin') && !actor.isSync)
    add('cc_admin_required', 'C7', '/contactCenter', 'queue assignments and the Contact Admin role need cc:admin');

  // A4: primary group is one of the groups; references exist.
  if (after.primaryGroup && !after.groups.includes(after.primaryGroup))
    add('primary_group_not_member', 'A4', '/primaryGroup', "the primary group must be one of the user's groups");
  for (const g of after.groups)
    if (!ctx.groupIds.has(g)) add('validation_failed', undefined, '/groups', `group ${g} does not exist`);
  for (const w of Object.keys(after.workspaces))
    if (!ctx.workspaceIds.has(w))
      add('validation_failed', undefined, `/workspaces/${w}`, `workspace ${w} does not exist`);

  // Profiles: existing profile; custom grants from the profile matrix only.
  const p = after.profile;
  if (p.kind === 'profile' && (!p.profileId || !tenant.profiles.has(p.profileId)))
    add('validation_failed', undefined, '/profile/profileId', 'choose an existing profile');
  if (p.kind === 'custom') {
    for (const g of p.grants ?? []) {
      if (!CAPABILITY_BY_ID.get(g)?.profileGrantable)
        add('validation_failed', undefined, '/profile/grants', `${g} cannot be granted by a profile`);
    }
  }

  // F1-F3: a feature setting changed to something the plan lacks.
  const f = after.features,
    bf = before?.features;
  if (f.channels !== bf?.channels) {
    if ((f.channels === 'calls' || f.channels === 'both') && !planHas(tenant.plan, 'calls'))
      add('plan_feature_missing', 'F1', '/features/channels', 'the plan does not include calls');
    if ((f.channels === 'sms' || f.channels === 'both') && !planHas(tenant.plan, 'sms'))
      add('plan_feature_missing', 'F1', '/features/channels', 'the plan does not include SMS');
  }
  if (f.recording && !bf?.recording && !planHas(tenant.plan, 'recording'))
    add('plan_feature_missing', 'F2', '/features/recording', 'the plan does not include call recording');
  if (f.crmOverlay && bf && !bf.crmOverlay && !planHas(tenant.plan, 'crm_overlay'))
    add('plan_feature_missing', 'G8', '/features/crmOverlay', 'the plan does not include the CRM overlay');
  if (f.dialRestriction.enabled && !bf?.dialRestriction.enabled && !planHas(tenant.plan, 'dial_restriction')) {
    add('plan_feature_missing', 'F3', '/features/dialRestriction', 'the plan does not include dial restrictions');
  }

  // C2, C6: billable increases need Manage Billable Items and room in the pool.
  const beforeKeys = new Set(before ? billableKeysOf(before) : []);
  const added = billableKeysOf(after).filter((k) => !beforeKeys.has(k));
  const raised = supervisorRank(after.supervisorLevel) > supervisorRank(before?.supervisorLevel ?? 'none');
  // A lower supervisor level is a different billable key but a decrease: it needs no billing permission.
  const increases = [
    ...added.filter((k) => !k.startsWith('supervisor_')),
    ...(raised ? [`supervisor_${after.supervisorLevel}`] : []),
  ];
  if (increases.length > 0 && !has(actor, 'billing:edit') && !actor.isSync) {
    add(
      'billable_permission_required',
      'C2',
      raised ? '/supervisorLevel' : '/licences',
      `adding ${increases.join(', ')} increases billable usage and needs Manage Billable Items`,
    );
  }
  for (const k of added) {
    const cap = ctx.pools.caps[k];
    if (cap !== undefined && cap !== null && (ctx.pools.assigned[k] ?? 0) + 1 > cap) {
      add(
        'licence_pool_exhausted',
        'C6',
        k.startsWith('supervisor_') ? '/supervisorLevel' : '/licences',
        `the ${k} pool is used up (${cap} of ${cap})`,
      );
    }
  }

  // C3: no escalation: grant only what you hold.
  if (!actor.all) {
    const missing = new Set<string>();
    for (const perm of after.permissions) {
      if (before?.permissions.includes(perm)) continue;
      for (const c of PERMISSION_CAPABILITIES[perm] ?? []) if (!actor.capabilities.has(c)) missing.add(c);
    }
    const bp = before?.profile;
    const profileChanged = JSON.stringify(bp ?? { kind: 'none' }) !== JSON.stringify(p);
    if (profileChanged) {
      if (p.kind === 'superuser' && !actor.superuser)
        add('escalation_refused', 'C3', '/profile', 'only a superuser grants superuser');
      const grants =
        p.kind === 'custom'
          ? (p.grants ?? []).filter((g) => !(bp?.kind === 'custom' && bp.grants?.includes(g)))
          : p.kind === 'profile'
            ? (tenant.profiles.get(p.profileId ?? '')?.grants ?? [])
            : [];
      for (const g of ungrantable(actor.capabilities, grants)) missing.add(g);
    }
    if (missing.size > 0)
      add(
        'escalation_refused',
        'C3',
        '/permissions',
        `you cannot grant what you do not hold: ${[...missing].sort().join(', ')}`,
      );
  }

  // C9: no acting on superiors, and taking away only what the actor could give.
  if (before) {
    const superior = superiorViolation(actor, before, tenant);
    if (superior) v.push(superior);
    else v.push(...removalsBeyond(actor, before, after, tenant));
  }

  // C4: the last admin keeps website access and users:edit.
  if (before && ctx.otherAdmins === 0 && isTenantAdmin(before, tenant) && !isTenantAdmin(after, tenant)) {
    add(
      'last_admin',
      'C4',
      '/permissions',
      'the last active user with website access and users:edit cannot lose either',
    );
  }
  return v;
}

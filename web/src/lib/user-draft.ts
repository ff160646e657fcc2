/**
 * The user editor's draft: automatic rules applied as the admin edits (A2, A4), and the PATCH
 * that turns a draft into a request (objects merge, arrays, sets and id-keyed records replace).
 */
import type { User, UserPatch } from '../../../client/index.js';

const profileKey = (p: User['profile']): string | null =>
  p.kind === 'none' ? null : p.kind === 'profile' ? `profile:${p.profileId ?? ''}` : p.kind;

/**
 * A2's triggers that going from `saved` to `u` gives (all of them for a new user, `saved = null`): a
 * supervisor level raised from none, a profile newly assigned, Contact Admin turned on, UC client access
 * newly given (desktop, softphone, the CRM add-on). The server's `a2TriggersGiven`, as the editor sees it.
 */
export function a2Triggers(u: User, saved: User | null = null): string[] {
  const out: string[] = [];
  if (u.supervisorLevel !== 'none' && (saved?.supervisorLevel ?? 'none') === 'none') out.push('supervisorLevel');
  const profile = profileKey(u.profile);
  if (profile !== null && profile !== (saved ? profileKey(saved.profile) : null)) out.push('profile');
  if (u.contactCenter.admin && !saved?.contactCenter.admin) out.push('contactCenter.admin');
  if (u.ucClient.desktop && !saved?.ucClient.desktop) out.push('ucClient.desktop');
  if (u.ucClient.softphone.enabled && !saved?.ucClient.softphone.enabled) out.push('ucClient.softphone');
  if (u.licences.includes('crm') && !saved?.licences.includes('crm')) out.push('licences.crm');
  return out;
}

/**
 * Applies A2 and A4 to a draft. A2: website access follows a trigger given since `saved` (the user as
 * stored; null for a new user) — it gives once, so website access the admin takes away stays away
 * (the level and the rest are kept, blocked by G1). A4: the primary group must be a member group.
 */
export function applyAutomaticRules(draft: User, saved: User | null = null): User {
  let next = draft;
  if (a2Triggers(next, saved).length > 0 && !next.permissions.includes('website_access')) {
    next = { ...next, permissions: ['website_access', ...next.permissions] };
  }
  if (next.primaryGroup && !next.groups.includes(next.primaryGroup)) {
    next = { ...next, primaryGroup: null };
  }
  return next;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Record diff as a merge patch: changed and new keys with their values, removed keys as null. */
function recordPatch<V>(before: Record<string, V>, after: Record<string, V>): Record<string, V | null> | undefined {
  const out: Record<string, V | null> = {};
  for (const [k, v] of Object.entries(after)) if (!same(before[k], v)) out[k] = v;
  for (const k of Object.keys(before)) if (!(k in after)) out[k] = null;
  return Object.keys(out).length ? out : undefined;
}

const EDITABLE: ReadonlyArray<keyof UserPatch> = [
  'displayName',
  'email',
  'status',
  'licences',
  'supervisorLevel',
  'permissions',
  'recordingScope',
  'ucClient',
  'groups',
  'primaryGroup',
  'workspaces',
  'contactCenter',
  'profile',
  'features',
];
const SET_FIELDS = new Set(['licences', 'permissions', 'groups']);

/** The PATCH body that turns `before` into `after`; `{}` when nothing changed. */
export function buildUserPatch(before: User, after: User, password?: string): UserPatch {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    const a = before[key as keyof User];
    const b = after[key as keyof User];
    if (SET_FIELDS.has(key)) {
      if (!sameSet(a as string[], b as string[])) patch[key] = b;
    } else if (key === 'workspaces') {
      // Records are sent whole: the server replaces the user's workspace map.
      if (recordPatch(before.workspaces, after.workspaces)) patch.workspaces = after.workspaces;
    } else if (key === 'contactCenter') {
      const cc: Record<string, unknown> = {};
      if (before.contactCenter.admin !== after.contactCenter.admin) cc.admin = after.contactCenter.admin;
      // The queue map is sent whole (the server replaces it), without queues left with no role.
      if (recordPatch(before.contactCenter.queues, after.contactCenter.queues)) {
        cc.queues = Object.fromEntries(Object.entries(after.contactCenter.queues).filter(([, r]) => r.length > 0));
      }
      if (Object.keys(cc).length) patch.contactCenter = cc;
    } else if (!same(a, b)) {
      patch[key] = b;
    }
  }
  if (password) patch.password = password;
  return patch;
}

/** A blank manual user for "+ New user" (SPEC 2 defaults). */
export function blankManualUser(): User {
  return {
    id: '',
    tenantId: '',
    source: 'manual',
    externalId: null,
    extension: null,
    devices: [],
    hasPassword: false,
    preferences: { recording: true, crmOverlay: true },
    createdAt: '',
    updatedAt: '',
    status: 'active',
    displayName: '',
    email: '',
    licences: [],
    supervisorLevel: 'none',
    permissions: [],
    recordingScope: 'own',
    ucClient: { desktop: false, softphone: { enabled: false, clients: [], deviceId: null } },
    groups: [],
    primaryGroup: null,
    workspaces: {},
    contactCenter: { admin: false, queues: {} },
    profile: { kind: 'none' },
    features: {
      channels: 'none',
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: false, allowedRegions: [] },
    },
    version: 0,
  };
}

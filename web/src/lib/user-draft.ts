/**
 * The user editor's draft: automatic rules applied as the admin edits (A2, A4), and the PATCH
 * that turns a draft into a request (objects merge, arrays, sets and id-keyed records replace).
 */
import type { User, UserPatch } from '../../../client/index.js';

/** Fields that, when set, give Website access automatically (A2). */
export function a2Triggers(u: User): string[] {
  const out: string[] = [];
  if (u.supervisorLevel !== 'none') out.push('supervisorLevel');
  if (u.profile.kind !== 'none') out.push('profile');
  if (u.contactCenter.admin) out.push('contactCenter.admin');
  if (u.ucClient.desktop || u.ucClient.softphone.enabled) out.push('ucClient');
  return out;
}

/** Applies A2 (website access follows) and A4 (primary group must be a member group) to a draft. */
export function applyAutomaticRules(draft: User): User {
  let next = draft;
  if (a2Triggers(next).length > 0 && !next.permissions.includes('website_access')) {
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

/**
 * The change summary shown before a save, from the server's preview of that save
 * (`POST …/users/{u}/preview`): the lines of what changes (a diff of the saved user and the user the
 * server says the change leads to), what automatic assignment adds (A1, A2, A4: the server's answer),
 * the billable impact and every rule the save would break (C2 among them). The portal holds no copy of
 * the rules; it also builds the PATCH body that both the preview and the save send.
 */
import type { ChangePreview, User, UserPatch } from '../../../client/index.js';
import type { BillableKey } from '../../../src/contract/index.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'set' | 'cleared';

export interface Change {
  /** Field path as the editor names it, e.g. `licences`, `features.recording`, `queues.q1`. */
  field: string;
  kind: ChangeKind;
  /** The item added or removed (licence key, permission, group id...). */
  item?: string;
  from?: string;
  to?: string;
  /** Set when the change is made by a rule rather than the admin (A1, A2, A4), as the server says. */
  rule?: string;
}

export interface BillableImpact {
  key: BillableKey;
  delta: 1 | -1;
}

export interface ChangeSummary {
  changes: Change[];
  billable: BillableImpact[];
  /** The change adds billable items. */
  increasesBilling: boolean;
  /** The server would refuse it for want of Manage Billable Items (C2). */
  needsBillingPermission: boolean;
  /** Every rule the save would break, as the server reports it. */
  violations: ChangePreview['violations'];
  empty: boolean;
}

const str = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '' : typeof v === 'string' ? v : JSON.stringify(v);

function setChanges(field: string, before: readonly string[], after: readonly string[], out: Change[]): void {
  for (const item of after) if (!before.includes(item)) out.push({ field, kind: 'added', item });
  for (const item of before) if (!after.includes(item)) out.push({ field, kind: 'removed', item });
}

function valueChange(field: string, before: unknown, after: unknown, out: Change[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const from = str(before);
  const to = str(after);
  out.push({ field, kind: !from ? 'set' : !to ? 'cleared' : 'changed', from, to });
}

/** Every change from `before` to `after`, in editor-tab order: a diff of two users, no rule. */
function listChanges(before: User, after: User): Change[] {
  const out: Change[] = [];
  valueChange('displayName', before.displayName, after.displayName, out);
  valueChange('email', before.email, after.email, out);
  valueChange('status', before.status, after.status, out);
  setChanges('licences', before.licences, after.licences, out);
  setChanges('permissions', before.permissions, after.permissions, out);
  valueChange('supervisorLevel', before.supervisorLevel, after.supervisorLevel, out);
  valueChange('recordingScope', before.recordingScope, after.recordingScope, out);
  valueChange('profile.kind', before.profile.kind, after.profile.kind, out);
  valueChange('profile.profileId', before.profile.profileId ?? null, after.profile.profileId ?? null, out);
  if (after.profile.kind === 'custom')
    setChanges('profile.grants', before.profile.grants ?? [], after.profile.grants ?? [], out);
  valueChange('contactCenter.admin', before.contactCenter.admin, after.contactCenter.admin, out);
  const queues = new Set([...Object.keys(before.contactCenter.queues), ...Object.keys(after.contactCenter.queues)]);
  for (const q of queues) {
    setChanges(`queues.${q}`, before.contactCenter.queues[q] ?? [], after.contactCenter.queues[q] ?? [], out);
  }
  valueChange('ucClient.desktop', before.ucClient.desktop, after.ucClient.desktop, out);
  valueChange('ucClient.softphone.enabled', before.ucClient.softphone.enabled, after.ucClient.softphone.enabled, out);
  setChanges('ucClient.softphone.clients', before.ucClient.softphone.clients, after.ucClient.softphone.clients, out);
  valueChange(
    'ucClient.softphone.deviceId',
    before.ucClient.softphone.deviceId,
    after.ucClient.softphone.deviceId,
    out,
  );
  valueChange('features.channels', before.features.channels, after.features.channels, out);
  valueChange('features.recording', before.features.recording, after.features.recording, out);
  valueChange('features.crmOverlay', before.features.crmOverlay, after.features.crmOverlay, out);
  valueChange(
    'features.dialRestriction.enabled',
    before.features.dialRestriction.enabled,
    after.features.dialRestriction.enabled,
    out,
  );
  setChanges(
    'features.dialRestriction.allowedRegions',
    before.features.dialRestriction.allowedRegions,
    after.features.dialRestriction.allowedRegions,
    out,
  );
  setChanges('groups', before.groups, after.groups, out);
  valueChange('primaryGroup', before.primaryGroup, after.primaryGroup, out);
  const ws = new Set([...Object.keys(before.workspaces), ...Object.keys(after.workspaces)]);
  for (const w of ws) valueChange(`workspaces.${w}`, before.workspaces[w] ?? null, after.workspaces[w] ?? null, out);
  return out;
}

/** The user the server says the change leads to: the draft with the server's access state. */
export function userAfter(draft: User, preview: ChangePreview | null | undefined): User {
  return preview?.user ? { ...draft, ...preview.user } : draft;
}

/**
 * The summary of a save: `saved` is the stored user (null for a new one, when `blank` is the form's
 * start), `draft` what the form shows, `preview` the server's answer for the same PATCH body.
 */
export function summaryFromPreview(
  saved: User | null,
  blank: User,
  draft: User,
  preview: ChangePreview | null | undefined,
): ChangeSummary {
  const changes = listChanges(saved ?? blank, userAfter(draft, preview)).map((c) => {
    const by = preview?.automatic.find(
      (a) =>
        a.field === `/${c.field}` &&
        ((c.kind === 'added' && a.value === c.item) || (a.value === null && c.kind === 'cleared')),
    );
    return by ? { ...c, rule: by.rule } : c;
  });
  const added = preview?.billable.added ?? [];
  const billable: BillableImpact[] = [
    ...added.map((key) => ({ key, delta: 1 as const })),
    ...(preview?.billable.removed ?? []).map((key) => ({ key, delta: -1 as const })),
  ];
  const violations = preview?.violations ?? [];
  return {
    changes,
    billable,
    increasesBilling: added.length > 0,
    needsBillingPermission: violations.some((v) => v.rule === 'C2'),
    violations,
    empty: changes.length === 0,
  };
}

/** Whether a control of the editor may change and why not, as the server weighed it (X1). */
export type ControlState = ChangePreview['options'][string];

/** Controls of the user editor; the server weighs a queue role once for every queue. */
export type ControlId =
  | `permission:${string}`
  | `licence:${string}`
  | `channel:${string}`
  | `queue.agent:${string}`
  | `queue.supervisor:${string}`
  | `softphone.client:${string}`
  | 'ucClient.desktop'
  | 'ucClient.softphone'
  | 'softphone.device'
  | 'features.recording'
  | 'features.crmOverlay'
  | 'features.dialRestriction'
  | 'contactCenter.admin'
  | 'profile.superuser'
  | 'recordingScope'
  | 'extension'
  | 'devices'
  | 'status';

const OPEN: ControlState = { disabled: false, locked: false, reasons: [] };
const WAITING: ControlState = { disabled: true, locked: false, reasons: [] };

/**
 * The server's answer for one control (`options` of the preview). `pending`: the first answer is on
 * its way, so nothing can be changed before the rules have weighed it; with no answer (a failed
 * preview) a control is open and the save decides.
 */
export function controlState(preview: ChangePreview | null | undefined, id: ControlId, pending = false): ControlState {
  if (!preview) return pending ? WAITING : OPEN;
  const option = id.startsWith('queue.') ? id.slice(0, id.indexOf(':')) : id;
  return preview.options[option] ?? OPEN;
}

/** C9: why the actor may not change this user at all, from the preview (the violation refusing the whole change). */
export function superiorViolation(preview: ChangePreview | null | undefined): ControlState['reasons'][number] | null {
  const v = preview?.violations.find((x) => x.rule === 'C9' && x.code === 'superior_user');
  return v ? { rule: 'C9', code: v.code, detail: v.detail } : null;
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

/**
 * What a save will change, in the words of the product (SPEC C2, A2): one line per change,
 * the billable impact ("adds 1 Agent add-on licence") and whether the actor needs Manage
 * Billable Items for it. Pure: the editor renders it with the message catalog.
 */
import type { User } from '../../../client/index.js';
import { billableKeysOf, supervisorRank, type BillableKey } from '../../../src/contract/index.js';
import { a2Triggers } from './user-draft.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'set' | 'cleared';

export interface Change {
  /** Field path as the editor names it, e.g. `licences`, `features.recording`, `queues.q1`. */
  field: string;
  kind: ChangeKind;
  /** The item added or removed (licence key, permission, group id...). */
  item?: string;
  from?: string;
  to?: string;
  /** Set when the change is made by a rule rather than the admin (A2). */
  rule?: string;
}

export interface BillableImpact {
  key: BillableKey;
  delta: 1 | -1;
}

export interface ChangeSummary {
  changes: Change[];
  billable: BillableImpact[];
  /** True when the change increases billable usage (C2). */
  increasesBilling: boolean;
  /** True when it does and the actor lacks `billing:edit`: the server will refuse it (C2). */
  needsBillingPermission: boolean;
  empty: boolean;
}

const str = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '' : typeof v === 'string' ? v : JSON.stringify(v);

function setChanges(
  field: string,
  before: readonly string[],
  after: readonly string[],
  out: Change[],
  rule?: (item: string) => string | undefined,
): void {
  for (const item of after)
    if (!before.includes(item)) out.push({ field, kind: 'added', item, ...(rule?.(item) ? { rule: rule(item) } : {}) });
  for (const item of before) if (!after.includes(item)) out.push({ field, kind: 'removed', item });
}

function valueChange(field: string, before: unknown, after: unknown, out: Change[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const from = str(before);
  const to = str(after);
  out.push({ field, kind: !from ? 'set' : !to ? 'cleared' : 'changed', from, to });
}

/**
 * Every change from `before` to `after`, in editor-tab order. `saved` is the stored user A2 compares
 * with (null for a new user, when `before` is only the blank the form started from).
 */
export function listChanges(before: User, after: User, saved: User | null = before): Change[] {
  const out: Change[] = [];
  valueChange('displayName', before.displayName, after.displayName, out);
  valueChange('email', before.email, after.email, out);
  valueChange('status', before.status, after.status, out);
  setChanges('licences', before.licences, after.licences, out);
  const a2 = !before.permissions.includes('website_access') && a2Triggers(after, saved).length > 0;
  setChanges('permissions', before.permissions, after.permissions, out, (p) =>
    p === 'website_access' && a2 ? 'A2' : undefined,
  );
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

/** Billable keys consumed by a user: removed users consume none. */
function keysOf(u: User): BillableKey[] {
  return billableKeysOf({
    licences: u.licences,
    supervisorLevel: u.supervisorLevel,
    status: u.status,
  });
}

/** Billable impact: +1 per billable key gained, -1 per key released. */
export function billableImpact(before: User | null, after: User): BillableImpact[] {
  const was = before ? keysOf(before) : [];
  const now = keysOf(after);
  return [
    ...now.filter((k) => !was.includes(k)).map((key) => ({ key, delta: 1 as const })),
    ...was.filter((k) => !now.includes(k)).map((key) => ({ key, delta: -1 as const })),
  ];
}

/**
 * C2: adding a licence or raising the supervisor level increases billable usage; swapping a
 * level for a lower one does not.
 */
export function increasesBilling(before: User | null, after: User): boolean {
  const beforeLicences: readonly string[] = before?.licences ?? [];
  if (after.licences.some((l) => !beforeLicences.includes(l))) return true;
  const from = supervisorRank(before?.supervisorLevel ?? 'none');
  return supervisorRank(after.supervisorLevel) > from;
}

/** The summary shown before saving (or creating, with `before = null`). */
export function summariseChanges(before: User | null, after: User, opts: { actorCanBill: boolean }): ChangeSummary {
  const base: User = before ?? {
    ...after,
    licences: [],
    permissions: [],
    supervisorLevel: 'none',
    groups: [],
    workspaces: {},
  };
  const changes = listChanges(base, after, before);
  const billable = billableImpact(before, after);
  const up = increasesBilling(before, after);
  return {
    changes,
    billable,
    increasesBilling: up,
    needsBillingPermission: up && !opts.actorCanBill,
    empty: changes.length === 0,
  };
}

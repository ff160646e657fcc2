import type { ContactCenter } from '../../access/types.js';
import { agentFollowsAcd, essentialGiven } from '../../access/automatic-assignment.js';
import { poolHasRoom } from '../../access/change-rules.js';
import type { Licence } from '../../catalog/licences.js';
import { groupBy } from '../../infra/collections.js';
import { OVERRIDABLE_FIELDS, type OverridableField } from './ownership.js';
import type { SnapshotUser, SyncConflict } from './platform.schemas.js';

/**
 * Pure planning of a platform snapshot (P1): what to create, update and remove, given the stored
 * platform users. Linear in the snapshot size (maps, no nested scans). A1 (Essential on import),
 * A3 (the automatic Agent add-on follows ACD membership) and C6 (the agent pool) are decided by the
 * change rules' own helpers (`src/access/automatic-assignment.ts`, `poolHasRoom`), the same the users
 * service decides with.
 *
 * One bad row never fails the sync (P4): every unique constraint a row could hit (an external id or
 * an extension listed twice, a device listed under two users, an email another user with website
 * access signs in with, G2) is found here and reported as a conflict; the row is applied without the
 * conflicting value, so the database's constraints are never the ones that refuse.
 *
 * Every field has one owner (P4, ownership.ts): a sync writes the phone system's fields, records the
 * phone system's display name and email beside the visible ones and changes a visible one only while
 * the portal has not overridden it, and never writes a portal field (queue roles: see desiredOf).
 */
/** What sync owns of a platform user. */
interface PlatformUserFields {
  externalId: string;
  /** The visible display name and email: the phone system's, unless the portal overrode them. */
  displayName: string;
  email: string | null;
  /** The phone system's display name and email. */
  platformDisplayName: string;
  platformEmail: string | null;
  extension: string | null;
  status: 'active' | 'suspended' | 'removed';
  licences: Licence[];
  contactCenter: ContactCenter;
  acdQueueIds: string[];
}

/** A device as audit entries show it: never its SIP credentials. */
export interface DeviceSummary {
  externalId: string;
  name: string;
  kind: 'sip' | 'webrtc';
}

export interface StoredPlatformUser extends PlatformUserFields {
  id: string;
  /** The user holds website access, so G2's unique login email applies to it. */
  websiteAccess: boolean;
  /** The fields the portal overrode (P4): a sync leaves their visible value alone. */
  overrides: Record<OverridableField, boolean>;
  devices: DeviceSummary[];
  /** Canonical JSON of the user's devices (with SIP credentials), to tell whether they changed. */
  devicesDigest: string;
}

export interface DesiredUser extends PlatformUserFields {
  devices: SnapshotUser['devices'];
}

/** The fields of an update with their values before and after: exactly what changed, for the audit (AU1). */
export interface FieldDiff {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export interface SyncPlan {
  creates: DesiredUser[];
  updates: Array<{ id: string; fields: string[]; diff: FieldDiff; desired: DesiredUser; before: StoredPlatformUser }>;
  removes: StoredPlatformUser[];
  unchanged: number;
  conflicts: SyncConflict[];
  warnings: string[];
}

export interface PlanInput {
  stored: StoredPlatformUser[];
  snapshot: SnapshotUser[];
  /** Queue external id -> queue id (after the snapshot's queues are applied). */
  queueIds: ReadonlyMap<string, string>;
  /** Ids of every queue of the tenant after the snapshot (platform or not). */
  allQueueIds: ReadonlySet<string>;
  agentAddOn: 'manual' | 'auto';
  /** The agent pool: cap (null unlimited) and how many non-platform users hold one. */
  agentPool: { cap: number | null; heldOutsideSync: number };
  /**
   * Lower-cased emails that users with website access outside this sync sign in with (manual users,
   * and whoever else G2's unique index reaches): a platform user with website access cannot take them.
   */
  websiteEmailsElsewhere: ReadonlySet<string>;
}

export function devicesDigest(devices: SnapshotUser['devices']): string {
  const sorted = [...devices].sort((a, b) => a.externalId.localeCompare(b.externalId));
  return JSON.stringify(sorted.map((d) => [d.externalId, d.name, d.kind, d.sip.username, d.sip.password, d.sip.realm]));
}

/** Case-insensitive email key, as G2 compares them. */
export const emailKey = (email: string): string => email.toLowerCase();

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

function sameContactCenter(a: ContactCenter, b: ContactCenter): boolean {
  if (a.admin !== b.admin) return false;
  const ka = Object.keys(a.queues),
    kb = Object.keys(b.queues);
  return ka.length === kb.length && ka.every((k) => b.queues[k] !== undefined && sameSet(a.queues[k]!, b.queues[k]));
}

/** One snapshot row that counts (the first of its external id), with the stored user it matches. */
interface Row {
  index: number;
  s: SnapshotUser;
  prev: StoredPlatformUser | undefined;
}

/** Where a conflict sits in the answer: by snapshot row, then by field. */
const FIELD_ORDER: ReadonlyArray<SyncConflict['field']> = ['externalId', 'email', 'extension', 'devices'];

class Conflicts {
  private readonly list: Array<SyncConflict & { row: number }> = [];
  add(row: number, c: SyncConflict): void {
    this.list.push({ row, ...c });
  }
  sorted(): SyncConflict[] {
    return this.list
      .sort((a, b) => a.row - b.row || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field))
      .map(({ row: _row, ...c }) => c);
  }
}

const live = (u: StoredPlatformUser | undefined): u is StoredPlatformUser => u !== undefined && u.status !== 'removed';

/**
 * Extensions are unique within the tenant's phone system. Of the rows that list one extension, the
 * user who has it keeps it (else the first row); the others keep their own if it is still free, or go
 * without. Extensions may move between users in one snapshot.
 */
function resolveExtensions(rows: Row[], conflicts: Conflicts): Map<number, string | null> {
  const claimants = groupBy(
    rows.filter((r) => r.s.extension !== null),
    (r) => r.s.extension!,
  );
  const out = new Map<number, string | null>();
  const taken = new Set<string>();
  const losers: Row[] = [];
  for (const [ext, list] of claimants) {
    const winner = list.find((r) => r.prev?.extension === ext) ?? list[0]!;
    out.set(winner.index, ext);
    taken.add(ext);
    for (const r of list) if (r !== winner) losers.push(r);
  }
  losers.sort((a, b) => a.index - b.index);
  for (const r of losers) {
    const own = r.prev?.extension ?? null;
    const keep = own !== null && !taken.has(own) ? own : null;
    if (keep !== null) taken.add(keep);
    out.set(r.index, keep);
    conflicts.add(r.index, {
      externalId: r.s.externalId,
      field: 'extension',
      code: 'extension_not_unique',
      rule: 'P4',
      detail: `extension ${r.s.extension} is listed for another user of the snapshot; ${keep === null ? 'imported without an extension' : `extension ${keep} kept`}`,
    });
  }
  for (const r of rows) if (!out.has(r.index)) out.set(r.index, null);
  return out;
}

/**
 * Devices are unique within the tenant. A device listed under several users stays with the user who
 * has it (else the first row); the others are imported without it. A device may move to another user,
 * and from a user who leaves the snapshot.
 */
function resolveDevices(rows: Row[], conflicts: Conflicts): Map<number, SnapshotUser['devices']> {
  // A device listed twice under one user claims once.
  const claimants = groupBy(
    rows.flatMap((r) => [...new Set(r.s.devices.map((d) => d.externalId))].map((id) => ({ id, r }))),
    (c) => c.id,
  );
  const owner = new Map<string, number>();
  for (const [dev, list] of claimants) {
    const winner = list.find(({ r }) => r.prev?.devices.some((d) => d.externalId === dev)) ?? list[0]!;
    owner.set(dev, winner.r.index);
  }
  const out = new Map<number, SnapshotUser['devices']>();
  for (const r of rows) {
    const kept: SnapshotUser['devices'] = [];
    const lost: string[] = [];
    const listed = new Set<string>();
    for (const d of r.s.devices) {
      if (owner.get(d.externalId) !== r.index || listed.has(d.externalId)) lost.push(d.externalId);
      else kept.push(d);
      listed.add(d.externalId);
    }
    out.set(r.index, kept);
    if (lost.length)
      conflicts.add(r.index, {
        externalId: r.s.externalId,
        field: 'devices',
        code: 'device_not_unique',
        rule: 'P4',
        detail: `device ${lost.join(', ')} is listed more than once in the snapshot; imported without it`,
      });
  }
  return out;
}

/**
 * G2: a user with website access signs in with an email no other user with website access has. A
 * platform user with website access takes a new email only if nobody else has it now (users outside
 * the sync, platform users who keep theirs) and no earlier row takes it; otherwise it keeps its own.
 * An address is never handed from one such user to another within one sync, so the batched UPDATE
 * never trips the unique index half-way. Users without website access are free to share an email.
 */
function resolveEmails(
  rows: Row[],
  wanted: ReadonlyMap<number, string | null>,
  removing: ReadonlySet<string>,
  elsewhere: ReadonlySet<string>,
  conflicts: Conflicts,
): Map<number, string | null> {
  const held = new Map<string, string>();
  for (const r of rows) {
    const u = r.prev;
    if (live(u) && u.websiteAccess && u.email !== null && !removing.has(u.id)) held.set(emailKey(u.email), u.id);
  }
  const claimed = new Set<string>();
  const out = new Map<number, string | null>(wanted);
  for (const r of rows) {
    const u = r.prev;
    const want = wanted.get(r.index) ?? null;
    if (!live(u) || !u.websiteAccess || want === u.email) continue;
    if (want === null) {
      out.set(r.index, u.email);
      conflicts.add(r.index, {
        externalId: r.s.externalId,
        field: 'email',
        code: 'email_required',
        rule: 'G2',
        detail: 'the user signs in to the portal with an email (website access); the email was kept',
      });
      continue;
    }
    const key = emailKey(want);
    if (u.email !== null && emailKey(u.email) === key) continue; // only the case changed: still this user's
    const holder = held.get(key);
    if (elsewhere.has(key) || (holder !== undefined && holder !== u.id) || claimed.has(key)) {
      out.set(r.index, u.email);
      conflicts.add(r.index, {
        externalId: r.s.externalId,
        field: 'email',
        code: 'email_not_unique',
        rule: 'G2',
        detail: 'another user with website access already signs in with this email; the email was kept',
      });
      continue;
    }
    claimed.add(key);
  }
  return out;
}

export function planSnapshot(input: PlanInput): SyncPlan {
  const warnings: string[] = [];
  const conflicts = new Conflicts();
  const byExternal = new Map(input.stored.map((u) => [u.externalId, u]));
  let agentsGiven = input.agentPool.heldOutsideSync;
  const unknownQueues = new Set<string>();

  const rows: Row[] = [];
  const seen = new Set<string>();
  input.snapshot.forEach((s, index) => {
    if (seen.has(s.externalId)) {
      conflicts.add(index, {
        externalId: s.externalId,
        field: 'externalId',
        code: 'duplicate_external_id',
        rule: 'P4',
        detail: 'the external id is listed more than once in the snapshot; the first entry counts',
      });
      return;
    }
    seen.add(s.externalId);
    rows.push({ index, s, prev: byExternal.get(s.externalId) });
  });
  const removes = input.stored.filter((u) => u.status !== 'removed' && !seen.has(u.externalId));

  const extensions = resolveExtensions(rows, conflicts);
  const devices = resolveDevices(rows, conflicts);
  // The phone system's email (an absent one keeps the last), and the visible one unless overridden (P4).
  const platformEmail = (r: Row) => (r.s.email === undefined ? (r.prev?.platformEmail ?? null) : r.s.email);
  const emails = resolveEmails(
    rows,
    new Map(rows.map((r) => [r.index, r.prev?.overrides.email ? r.prev.email : platformEmail(r)])),
    new Set(removes.map((u) => u.id)),
    input.websiteEmailsElsewhere,
    conflicts,
  );

  const desiredOf = (row: Row): DesiredUser => {
    const { index, s, prev } = row;
    const acdQueueIds: string[] = [];
    for (const ext of s.acdQueues) {
      const id = input.queueIds.get(ext);
      if (id) acdQueueIds.push(id);
      else unknownQueues.add(ext);
    }
    const licences = new Set(live(prev) ? prev.licences : []);
    const status = live(prev) ? prev.status : 'active';
    if (essentialGiven({ source: 'platform', status })) licences.add('essential');
    const wantsAgent = agentFollowsAcd(input.agentAddOn, acdQueueIds.length > 0);
    if (wantsAgent !== null) {
      if (!wantsAgent) licences.delete('agent');
      else if (!licences.has('agent')) {
        if (!poolHasRoom(input.agentPool.cap, agentsGiven)) {
          warnings.push(
            `${s.externalId}: the agent pool is used up (${input.agentPool.cap}); Agent was not assigned (C6)`,
          );
        } else licences.add('agent');
      }
    }
    if (licences.has('agent')) agentsGiven += 1;
    // P4: ACD membership is the phone system's, queue roles the portal's. A sync changes a role only
    // where the membership changed: joining a queue's ACD gives Agent there (G14: with the licence),
    // leaving it takes Agent there; every other role, a manual Agent role included, stays.
    const base = live(prev) ? prev.contactCenter : { admin: false, queues: {} };
    const wasAcd = new Set(live(prev) ? prev.acdQueueIds : []);
    const isAcd = new Set(acdQueueIds);
    const queues: Record<string, Array<'agent' | 'supervisor'>> = {};
    for (const [q, roles] of Object.entries(base.queues)) {
      if (!input.allQueueIds.has(q)) continue;
      // G14: no Agent role without the agent licence (A3 may just have taken it).
      const kept = roles.filter((r) => r !== 'agent' || (licences.has('agent') && !(wasAcd.has(q) && !isAcd.has(q))));
      if (kept.length) queues[q] = kept;
    }
    if (licences.has('agent')) {
      for (const q of isAcd)
        if (!wasAcd.has(q)) queues[q] = [...new Set<'agent' | 'supervisor'>(['agent', ...(queues[q] ?? [])])].sort();
    }
    return {
      externalId: s.externalId,
      displayName: prev?.overrides.displayName ? prev.displayName : s.displayName,
      email: emails.get(index) ?? null,
      platformDisplayName: s.displayName,
      platformEmail: platformEmail(row),
      extension: extensions.get(index) ?? null,
      status,
      licences: [...licences].sort(),
      contactCenter: { admin: base.admin, queues },
      acdQueueIds: [...new Set(acdQueueIds)].sort(),
      devices: devices.get(index) ?? [],
    };
  };

  const creates: DesiredUser[] = [];
  const updates: SyncPlan['updates'] = [];
  let unchanged = 0;
  for (const row of rows) {
    const desired = desiredOf(row);
    const prev = row.prev;
    if (!prev) {
      creates.push(desired);
      continue;
    }
    const diff = diffOf(prev, desired);
    const fields = Object.keys(diff.after);
    if (fields.length) updates.push({ id: prev.id, fields, diff, desired, before: prev });
    else unchanged += 1;
  }
  for (const q of unknownQueues) warnings.push(`ACD queue ${q} is not in the snapshot's queues; membership ignored`);
  return { creates, updates, removes, unchanged, conflicts: conflicts.sorted(), warnings };
}

const summarise = (devices: SnapshotUser['devices']): DeviceSummary[] =>
  devices.map((d) => ({ externalId: d.externalId, name: d.name, kind: d.kind }));

/** Where the phone system's value of each field with a portal override is kept. */
const PHONE_SYSTEM_VALUE = {
  displayName: 'platformDisplayName',
  email: 'platformEmail',
} as const satisfies Record<OverridableField, keyof PlatformUserFields>;

/** The fields a sync changes on a stored user, each with its value before and after, and nothing else. */
function diffOf(prev: StoredPlatformUser, desired: DesiredUser): FieldDiff {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const put = (field: string, from: unknown, to: unknown) => {
    before[field] = from;
    after[field] = to;
  };
  if (prev.displayName !== desired.displayName) put('displayName', prev.displayName, desired.displayName);
  if (prev.email !== desired.email) put('email', prev.email, desired.email);
  // Fields with a portal override (ownership.ts): the phone system's value is listed on its own
  // (`phoneSystem.<field>`) only when the visible value does not already say it changed.
  for (const f of OVERRIDABLE_FIELDS) {
    const key = PHONE_SYSTEM_VALUE[f];
    if (prev[key] !== desired[key] && (prev.overrides[f] || !(f in after)))
      put(`phoneSystem.${f}`, prev[key], desired[key]);
  }
  if (prev.extension !== desired.extension) put('extension', prev.extension, desired.extension);
  if (prev.status !== desired.status) put('status', prev.status, desired.status);
  if (!sameSet(prev.licences, desired.licences)) put('licences', prev.licences, desired.licences);
  if (!sameContactCenter(prev.contactCenter, desired.contactCenter))
    put('contactCenter', prev.contactCenter, desired.contactCenter);
  if (!sameSet(prev.acdQueueIds, desired.acdQueueIds)) put('acdQueues', prev.acdQueueIds, desired.acdQueueIds);
  if (prev.devicesDigest !== devicesDigest(desired.devices)) put('devices', prev.devices, summarise(desired.devices));
  return { before, after };
}

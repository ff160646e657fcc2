import type { ContactCenter } from '../../access/types.js';
import type { Licence } from '../../catalog/licences.js';
import type { SnapshotUser } from './platform.schemas.js';

/**
 * Pure planning of a platform snapshot (P1): what to create, update and remove, given the stored
 * platform users. Linear in the snapshot size (maps, no nested scans). A1 (Essential on import) and
 * A3 (the automatic Agent add-on follows ACD membership) are applied here.
 */
/** What sync owns of a platform user. */
interface PlatformUserFields {
  externalId: string;
  displayName: string;
  email: string | null;
  extension: string | null;
  status: 'active' | 'suspended' | 'removed';
  licences: Licence[];
  contactCenter: ContactCenter;
  acdQueueIds: string[];
}

export interface StoredPlatformUser extends PlatformUserFields {
  id: string;
  /** Canonical JSON of the user's devices (with SIP credentials), to tell whether they changed. */
  devicesDigest: string;
}

export interface DesiredUser extends PlatformUserFields {
  devices: SnapshotUser['devices'];
}

export interface SyncPlan {
  creates: DesiredUser[];
  updates: Array<{ id: string; fields: string[]; desired: DesiredUser; before: StoredPlatformUser }>;
  removes: StoredPlatformUser[];
  unchanged: number;
  warnings: string[];
}

export interface PlanInput {
  stored: StoredPlatformUser[];
  snapshot: SnapshotUser[];
  /** Queue external id -> queue id (after the snapshot's queues are applied). */
  queueIds: ReadonlyMap<string, string>;
  /** Ids of every platform queue that exists after the snapshot. */
  platformQueueIds: ReadonlySet<string>;
  /** Ids of every queue of the tenant after the snapshot (platform or not). */
  allQueueIds: ReadonlySet<string>;
  agentAddOn: 'manual' | 'auto';
  /** The agent pool: cap (null unlimited) and how many non-platform users hold one. */
  agentPool: { cap: number | null; heldOutsideSync: number };
}

export function devicesDigest(devices: SnapshotUser['devices']): string {
  const sorted = [...devices].sort((a, b) => a.externalId.localeCompare(b.externalId));
  return JSON.stringify(sorted.map((d) => [d.externalId, d.name, d.kind, d.sip.username, d.sip.password, d.sip.realm]));
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

function sameContactCenter(a: ContactCenter, b: ContactCenter): boolean {
  if (a.admin !== b.admin) return false;
  const ka = Object.keys(a.queues),
    kb = Object.keys(b.queues);
  return ka.length === kb.length && ka.every((k) => b.queues[k] !== undefined && sameSet(a.queues[k]!, b.queues[k]));
}

export function planSnapshot(input: PlanInput): SyncPlan {
  const warnings: string[] = [];
  const byExternal = new Map(input.stored.map((u) => [u.externalId, u]));
  const seen = new Set<string>();
  let agentsGiven = input.agentPool.heldOutsideSync;
  const unknownQueues = new Set<string>();

  const desiredOf = (s: SnapshotUser, prev: StoredPlatformUser | undefined): DesiredUser => {
    const acdQueueIds: string[] = [];
    for (const ext of s.acdQueues) {
      const id = input.queueIds.get(ext);
      if (id) acdQueueIds.push(id);
      else unknownQueues.add(ext);
    }
    const licences = new Set(prev && prev.status !== 'removed' ? prev.licences : []);
    licences.add('essential'); // A1
    if (input.agentAddOn === 'auto') {
      // A3
      const wants = acdQueueIds.length > 0;
      if (!wants) licences.delete('agent');
      else if (!licences.has('agent')) {
        if (input.agentPool.cap !== null && agentsGiven >= input.agentPool.cap) {
          warnings.push(
            `${s.externalId}: the agent pool is used up (${input.agentPool.cap}); Agent was not assigned (C6)`,
          );
        } else licences.add('agent');
      }
    }
    if (licences.has('agent')) agentsGiven += 1;
    // ACD membership is the platform's truth for the agent role on platform queues (G14: needs Agent).
    const queues: Record<string, Array<'agent' | 'supervisor'>> = {};
    const base = prev && prev.status !== 'removed' ? prev.contactCenter : { admin: false, queues: {} };
    for (const [q, roles] of Object.entries(base.queues)) {
      if (!input.allQueueIds.has(q)) continue;
      const kept = input.platformQueueIds.has(q) ? roles.filter((r) => r !== 'agent') : roles;
      if (kept.length) queues[q] = kept;
    }
    if (licences.has('agent')) {
      for (const q of acdQueueIds)
        queues[q] = [...new Set<'agent' | 'supervisor'>(['agent', ...(queues[q] ?? [])])].sort();
    }
    return {
      externalId: s.externalId,
      displayName: s.displayName,
      email: s.email === undefined ? (prev?.email ?? null) : s.email,
      extension: s.extension,
      status: prev && prev.status !== 'removed' ? prev.status : 'active',
      licences: [...licences].sort(),
      contactCenter: { admin: base.admin, queues },
      acdQueueIds: [...new Set(acdQueueIds)].sort(),
      devices: s.devices,
    };
  };

  const creates: DesiredUser[] = [];
  const updates: SyncPlan['updates'] = [];
  let unchanged = 0;
  for (const s of input.snapshot) {
    if (seen.has(s.externalId)) {
      warnings.push(`${s.externalId}: listed twice; the first entry counts`);
      continue;
    }
    seen.add(s.externalId);
    const prev = byExternal.get(s.externalId);
    const desired = desiredOf(s, prev);
    if (!prev) {
      creates.push(desired);
      continue;
    }
    const fields: string[] = [];
    if (prev.displayName !== desired.displayName) fields.push('displayName');
    if ((prev.email ?? null) !== desired.email) fields.push('email');
    if (prev.extension !== desired.extension) fields.push('extension');
    if (prev.status !== desired.status) fields.push('status');
    if (!sameSet(prev.licences, desired.licences)) fields.push('licences');
    if (!sameContactCenter(prev.contactCenter, desired.contactCenter)) fields.push('contactCenter');
    if (!sameSet(prev.acdQueueIds, desired.acdQueueIds)) fields.push('acdQueues');
    if (prev.devicesDigest !== devicesDigest(desired.devices)) fields.push('devices');
    if (fields.length) updates.push({ id: prev.id, fields, desired, before: prev });
    else unchanged += 1;
  }
  const removes = input.stored.filter((u) => u.status !== 'removed' && !seen.has(u.externalId));
  for (const q of unknownQueues) warnings.push(`ACD queue ${q} is not in the snapshot's queues; membership ignored`);
  return { creates, updates, removes, unchanged, warnings };
}

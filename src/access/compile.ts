import {
  AGENT_SETTING_CAPABILITIES,
  CAPABILITIES,
  CAPABILITY_INDEX,
  PERMISSION_CAPABILITIES,
  QUEUE_CAPABILITIES,
  SUPERVISOR_LEVELS,
  SUPERVISOR_LEVEL_CAPABILITIES,
  SUPERVISOR_SETTING_CAPABILITIES,
  levelSelling,
  planHas,
  supervisorRank,
  type PlanFeature,
  type QueueCapability,
  type RolePermissions,
} from '../catalog/index.js';
import { BASELINE, CONTACT_ADMIN_CAPABILITIES, PROFILE_CAPABILITIES, SUPERUSER_CAPABILITIES } from './grants.js';
import type { QueueInfo, QueueRole, TenantAccess, UserAccess } from './types.js';

/**
 * The fast path (ARCHITECTURE "Performance design"): one bitset per user over CAPABILITY_INDEX.
 * It is written independently of explain.ts, from the catalog, so that the property test comparing
 * the two catches a mistake in either. Grants are OR-ed masks, constraints are AND-NOT masks.
 */

/** 32-bit words per user bitset. */
const W = Math.ceil(CAPABILITIES.length / 32);
type Mask = Uint32Array;

function emptyMask(): Mask {
  return new Uint32Array(W);
}
function setBit(m: Mask, i: number): void {
  m[i >>> 5] = (m[i >>> 5]! | (1 << (i & 31))) >>> 0;
}
function maskOf(caps: Iterable<string>): Mask {
  const m = emptyMask();
  for (const c of caps) {
    const i = CAPABILITY_INDEX.get(c);
    if (i !== undefined) setBit(m, i);
  }
  return m;
}
function orInto(target: Uint32Array, offset: number, m: Mask): void {
  for (let w = 0; w < W; w++) target[offset + w] = (target[offset + w]! | m[w]!) >>> 0;
}
const capsWhere = (pred: (id: string, surface: string) => boolean) =>
  CAPABILITIES.filter((c) => pred(c.id, c.surface)).map((c) => c.id);

// Source masks (SPEC 3, sources 1-7), tenant-independent.
const BASELINE_MASK = maskOf(BASELINE);
const CONTACT_ADMIN_MASK = maskOf(CONTACT_ADMIN_CAPABILITIES);
/** Everything a tenant profile or custom grant may carry (the profile matrix). */
const PROFILE_MASK = maskOf(PROFILE_CAPABILITIES);
/** Superuser: the whole profile matrix and cc:admin. */
const SUPERUSER_MASK = maskOf(SUPERUSER_CAPABILITIES);
const PERMISSION_MASKS = new Map(Object.entries(PERMISSION_CAPABILITIES).map(([p, caps]) => [p, maskOf(caps)]));
/** Levels are cumulative: each level's mask holds its own capabilities and those of every lower level. */
const LEVEL_MASKS = new Map(
  SUPERVISOR_LEVELS.map((level, rank) => [
    level as string,
    maskOf(SUPERVISOR_LEVELS.slice(1, rank + 1).flatMap((l) => SUPERVISOR_LEVEL_CAPABILITIES[l])),
  ]),
);
const bitOf = (cap: string): number => {
  const i = CAPABILITY_INDEX.get(cap);
  if (i === undefined) throw new Error(`catalog lacks ${cap}`);
  return i;
};
const PORTAL_USE = bitOf('portal:use');

// Constraint masks (the bits each constraint clears).
const PORTAL_SURFACE_MASK = maskOf(capsWhere((_, s) => s === 'portal')); // G1
const ESSENTIAL_ONLY_MASK = maskOf(['ucclient:desktop', 'ucclient:crm', 'softphone:use']); // G3
const SOFTPHONE_MASK = maskOf(['softphone:use']); // G5
const PLATFORM_ONLY_MASK = maskOf(['cc:agent', ...capsWhere((id) => id.startsWith('telephony:'))]); // G4
const PLAN_FEATURE_CAPS: ReadonlyArray<readonly [PlanFeature, string]> = [
  // G8
  ['calls', 'telephony:call'],
  ['sms', 'telephony:sms'],
  ['recording', 'telephony:record'],
  ['crm_overlay', 'crm:overlay'],
];
const RECORD_MASK = maskOf(['telephony:record']); // G10
const OVERLAY_MASK = maskOf(['crm:overlay']); // G10
/**
 * G15, per supervisor rank: the billable content that rank may hold (everything else, minus the content
 * sold by a higher level). Tenant-independent, so it is applied after the tenant's allow row.
 */
const LEVEL_ALLOW_MASKS: readonly Mask[] = SUPERVISOR_LEVELS.map((level) => {
  const above = maskOf(
    CAPABILITIES.filter((c) => {
      const sold = levelSelling(c.id);
      return sold !== undefined && supervisorRank(sold) > supervisorRank(level);
    }).map((c) => c.id),
  );
  return above.map((x) => ~x >>> 0);
});

// Per-user flags. Bits 0-4 are the constraint inputs and index the allow table directly; bit 5 of
// that index is "portal:use allowed", which depends on the grants and is added at recompute time.
const F_ESSENTIAL = 1,
  F_SOFTPHONE_OK = 2,
  F_PLATFORM = 4,
  F_PREF_REC = 8,
  F_PREF_CRM = 16;
const F_ACTIVE = 1 << 6,
  F_AGENT_LIC = 1 << 7,
  F_ADMIN = 1 << 8,
  F_SUPERUSER = 1 << 9;
const ANY_SHIFT = 10; // F_SUP_ANY and F_AGENT_ANY index the role-permission table
const F_SUP_ANY = 1 << ANY_SHIFT,
  F_AGENT_ANY = 1 << (ANY_SHIFT + 1);
const LEVEL_SHIFT = 12; // three bits: the supervisor rank (G15)
const CONSTRAINT_BITS = 31,
  PORTAL_ROW = 32,
  ALLOW_ROWS = 64;

// Queue roles and queue capability bits (bit i = QUEUE_CAPABILITIES[i], so output is in catalog order).
const R_AGENT = 1,
  R_SUPERVISOR = 2;
const qbit = (c: QueueCapability): number => 1 << QUEUE_CAPABILITIES.indexOf(c);
const Q_JOIN = qbit('queue:join'),
  Q_DISPOSITION = qbit('queue:disposition');
const Q_VIEW = qbit('queue:view_settings'),
  Q_EDIT = qbit('queue:edit_settings');
const Q_MONITOR = qbit('queue:monitor'),
  Q_REPORTS = qbit('queue:reports');
const Q_SUPERUSER = Q_VIEW | Q_EDIT | Q_MONITOR | Q_REPORTS;
/** Queue roles kept inline per slot (most users hold one to five queues), and the row size. */
const INLINE_QUEUES = 6,
  QROW = 2 + INLINE_QUEUES;

/** One lookup resolves any capability id: unscoped ones to their bit (>= 0), queue ones to -(i + 1). */
const CAP_CODE: ReadonlyMap<string, number> = new Map<string, number>([
  ...CAPABILITY_INDEX,
  ...QUEUE_CAPABILITIES.map((c, i) => [c, -(i + 1)] as const),
]);
/**
 * Decision keys (`CompiledTenant.keyOf`): an unscoped capability is its bit; a queue capability
 * asked without a queue resource is NO_QUEUE_KEY + its queue bit; on a tenant queue it is
 * QUEUE_KEY + queue * 8 + its queue bit.
 */
const NO_QUEUE_KEY = CAPABILITIES.length;
const QUEUE_KEY = NO_QUEUE_KEY + 8;
/** Unscoped bits in sorted-id order, so listing needs no sort. */
const SORTED_BITS = [...CAPABILITY_INDEX].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export interface CompiledQueueAccess {
  id: string;
  name: string;
  roles: QueueRole[];
  capabilities: string[];
}

/**
 * The compiled snapshot of one tenant. Per user it keeps only compact inputs (a tenant-independent
 * grant mask, a flag word, a profile reference, queue roles), so a tenant-wide change (`setTenant`)
 * recomputes every user from a handful of word operations instead of re-reading user records.
 */
export class CompiledTenant {
  private slots = new Map<string, number>();
  private freeSlots: number[] = [];
  private capacity = 0;
  /** Tenant-independent grants (sources 1, 2, 3, 4 admin, 5 custom/superuser, 6, 7). */
  private base = new Uint32Array(0);
  /** Effective allowed bits. */
  private eff = new Uint32Array(0);
  private meta = new Uint32Array(0);
  /**
   * Per slot, one row of QROW words: the queue word (see computeQueueWord), the number of queues the
   * slot holds a role on, and the first INLINE_QUEUES of them as `queue << 2 | roles`. A queue check
   * then reads one cache line after the slot lookup; users with more queues (supervisors) also have
   * all their codes in `overflowQueues`.
   */
  private queueRows = new Int32Array(0);
  /** Interned profile id for `profile.kind === 'profile'`, else -1. */
  private profileRef = new Int32Array(0);
  /** Per slot with more than INLINE_QUEUES queues: every code (queues the tenant does not know yet included). */
  private overflowQueues: (Int32Array | undefined)[] = [];

  private profileIndex = new Map<string, number>();
  private profileMasks: Mask[] = [];
  private queueIndex = new Map<string, number>();
  /** Per interned queue: the tenant's queue, or undefined when the tenant does not have it. */
  private queueInfo: (QueueInfo | undefined)[] = [];
  /** Per interned queue: 1 when dispositions are possible there (role permission on and wrap-up, G7). */
  private queueDispositions: number[] = [];
  private queueRank: number[] = [];
  private resourceIndex = new Map<string, number>();
  private sortedQueues: number[] = [];

  // Tenant-derived tables.
  private allow = new Uint32Array(ALLOW_ROWS * W);
  private rolePermissionGrants = new Uint32Array(4 * W);
  private joinUnassigned = false;
  private callDispositions = false;
  private restrictSupervisors = true;
  private supervisorQueueBits = 0;

  private constructor() {}

  /** Compiles a tenant and its users. */
  static build(tenant: TenantAccess, users: Iterable<UserAccess>): CompiledTenant {
    const compiled = new CompiledTenant();
    compiled.applyTenant(tenant);
    for (const user of users) compiled.upsertUser(user);
    return compiled;
  }

  /** Number of compiled users. */
  get size(): number {
    return this.slots.size;
  }

  /** Whether the user is compiled in this snapshot. */
  has(userId: string): boolean {
    return this.slots.has(userId);
  }

  /**
   * Adds or recompiles one user (a change that touches only them). Returns the user's slot, which
   * stays theirs until `removeUser` (`checkSlot` decides on it without looking the id up again).
   */
  upsertUser(user: UserAccess): number {
    let slot = this.slots.get(user.id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.grow();
      this.slots.set(user.id, slot);
    } else {
      this.dropQueueRoles(slot);
    }
    this.compileInputs(slot, user);
    this.recompute(slot);
    return slot;
  }

  /** Forgets a user; their slot is reused by the next insert. */
  removeUser(userId: string): void {
    const slot = this.slots.get(userId);
    if (slot === undefined) return;
    this.dropQueueRoles(slot);
    this.slots.delete(userId);
    this.meta[slot] = 0;
    this.profileRef[slot] = -1;
    this.base.fill(0, slot * W, slot * W + W);
    this.eff.fill(0, slot * W, slot * W + W);
    this.freeSlots.push(slot);
  }

  /** Replaces the tenant-wide inputs (plan, role permissions, queues, profiles) and recompiles every user. */
  setTenant(tenant: TenantAccess): void {
    this.applyTenant(tenant);
    for (const slot of this.slots.values()) this.recompute(slot);
  }

  /**
   * O(1) decision, equal to `explainCapability(...).allowed`. Unknown user, capability or queue is false;
   * a queue capability needs `resource: "queue:<id>"`; an unscoped one ignores `resource`.
   */
  check(userId: string, capability: string, resource?: string): boolean {
    return this.checkKey(userId, this.keyOf(capability, resource));
  }

  /**
   * A capability and resource as one small integer, the same for every check that gets the same
   * decision and reasons for any one user (the snapshot remembers explanations under it); -1 for an
   * unknown capability, or a queue the tenant does not have (never allowed; its reasons name the id).
   */
  keyOf(capability: string, resource?: string): number {
    const code = CAP_CODE.get(capability);
    if (code === undefined) return -1;
    if (code >= 0) return code;
    const bit = -code - 1;
    // Anything but "queue:<id>" asks for a queue resource (explain.ts: `resource_required`).
    if (resource === undefined || resource.length <= 6 || !resource.startsWith('queue:')) return NO_QUEUE_KEY + bit;
    const queue = this.resourceIndex.get(resource);
    return queue === undefined ? -1 : QUEUE_KEY + queue * 8 + bit;
  }

  /** The decision on a key from `keyOf` of this compiled tenant (as `check`). */
  checkKey(userId: string, key: number): boolean {
    const slot = this.slots.get(userId);
    return slot !== undefined && this.checkSlot(slot, key);
  }

  /**
   * The decision on a key for the user in `slot` (from `upsertUser`, for a user still compiled: a
   * removed user's slot goes to the next user inserted).
   */
  checkSlot(slot: number, key: number): boolean {
    if (key < 0 || (key >= NO_QUEUE_KEY && key < QUEUE_KEY)) return false;
    if (key < NO_QUEUE_KEY) return (this.eff[slot * W + (key >>> 5)]! & (1 << (key & 31))) !== 0;
    const q = key - QUEUE_KEY;
    return (this.queueBits(slot, q >>> 3) & (1 << (q & 7))) !== 0;
  }

  /** The user's allowed unscoped capabilities, sorted (empty for an unknown user). */
  allowedCapabilities(userId: string): string[] {
    const slot = this.slots.get(userId);
    if (slot === undefined) return [];
    const out: string[] = [];
    const offset = slot * W;
    for (const [id, i] of SORTED_BITS) if (this.eff[offset + (i >>> 5)]! & (1 << (i & 31))) out.push(id);
    return out;
  }

  /** Queues where the user holds any queue capability, sorted by name then id; capabilities in catalog order. */
  queueCapabilities(userId: string): CompiledQueueAccess[] {
    const slot = this.slots.get(userId);
    if (slot === undefined) return [];
    const m = this.meta[slot]!;
    const everywhere =
      (m & F_ACTIVE) !== 0 &&
      ((m & (F_ADMIN | F_SUPERUSER)) !== 0 ||
        (this.joinUnassigned && (m & F_PLATFORM) !== 0 && (m & F_AGENT_LIC) !== 0) ||
        (!this.restrictSupervisors && (m & F_SUP_ANY) !== 0 && (m & F_PLATFORM) !== 0));
    const candidates = everywhere
      ? this.sortedQueues
      : this.queueCodes(slot)
          .map((c) => c >>> 2)
          .filter((q) => this.queueInfo[q])
          .sort((a, b) => this.queueRank[a]! - this.queueRank[b]!);
    const out: CompiledQueueAccess[] = [];
    for (const q of candidates) {
      const bits = this.queueBits(slot, q);
      if (bits === 0) continue;
      const info = this.queueInfo[q]!;
      const roles = this.rolesOn(slot, q);
      out.push({
        id: info.id,
        name: info.name,
        roles: [
          ...(roles & R_AGENT ? ['agent' as const] : []),
          ...(roles & R_SUPERVISOR ? ['supervisor' as const] : []),
        ],
        capabilities: QUEUE_CAPABILITIES.filter((_, i) => bits & (1 << i)),
      });
    }
    return out;
  }

  /** Queue capability bits of one user on one tenant queue (seed 001; G7, G11, G12, G13, G14). */
  private queueBits(slot: number, queue: number): number {
    const w = this.queueRows[slot * QROW]!;
    const roles = this.rolesOn(slot, queue);
    let bits = (w & 0xff) | (roles & R_AGENT ? (w >>> 8) & 0xff : 0) | (roles & R_SUPERVISOR ? (w >>> 16) & 0xff : 0);
    if (this.queueDispositions[queue] === 0) bits &= ~Q_DISPOSITION; // G7 (and the agent role permission)
    return bits;
  }

  /**
   * The queue-independent part of a slot's queue decisions, packed in one word: bits held on every
   * queue (byte 0), bits an agent role gives (byte 1), bits a supervisor role gives (byte 2).
   * Recomputed with the slot, so a queue check is a role scan and a few bit operations.
   */
  private computeQueueWord(m: number): number {
    if ((m & F_ACTIVE) === 0) return 0; // G13
    // G12, G14: joining (and dispositions) need a platform user with the agent licence.
    const agent = m & F_PLATFORM && m & F_AGENT_LIC ? Q_JOIN | Q_DISPOSITION : 0;
    // G14: supervisor roles count for platform users only.
    const supervisor = m & F_PLATFORM ? this.supervisorQueueBits : 0;
    let everywhere = 0;
    if (this.joinUnassigned) everywhere |= agent; // G12: any queue with the organisation setting
    if (!this.restrictSupervisors && m & F_SUP_ANY) everywhere |= supervisor; // G11
    if (m & F_ADMIN) everywhere |= Q_VIEW | Q_EDIT;
    if (m & F_SUPERUSER) everywhere |= Q_SUPERUSER;
    return everywhere | (agent << 8) | (supervisor << 16);
  }

  /** Effective bits of one slot: (grants) AND (allow row for its constraint inputs). */
  private recompute(slot: number): void {
    const offset = slot * W;
    const m = this.meta[slot]!;
    this.queueRows[slot * QROW] = this.computeQueueWord(m);
    if ((m & F_ACTIVE) === 0) {
      this.eff.fill(0, offset, offset + W);
      return;
    } // G13
    const rp = ((m >>> ANY_SHIFT) & 3) * W;
    const p = this.profileRef[slot]!;
    const profile = p >= 0 ? this.profileMasks[p] : undefined;
    const portalWord = PORTAL_USE >>> 5;
    let portal = 0;
    for (let w = 0; w < W; w++) {
      const g = this.base[offset + w]! | this.rolePermissionGrants[rp + w]! | (profile ? profile[w]! : 0);
      this.eff[offset + w] = g; // grants first; the allow row is applied once portal:use is known
      if (w === portalWord) portal = g & (1 << (PORTAL_USE & 31));
    }
    const row = ((m & CONSTRAINT_BITS) | (portal ? PORTAL_ROW : 0)) * W;
    const level = LEVEL_ALLOW_MASKS[(m >>> LEVEL_SHIFT) & 7]!; // G15
    for (let w = 0; w < W; w++) this.eff[offset + w] = (this.eff[offset + w]! & this.allow[row + w]! & level[w]!) >>> 0;
  }

  /** Stores the compact, tenant-independent inputs of one user. */
  private compileInputs(slot: number, user: UserAccess): void {
    const offset = slot * W;
    this.base.fill(0, offset, offset + W);
    const add = (m: Mask | undefined) => {
      if (m) orInto(this.base, offset, m);
    };
    add(BASELINE_MASK);
    for (const p of user.permissions) add(PERMISSION_MASKS.get(p));
    add(LEVEL_MASKS.get(user.supervisorLevel));
    const cc = user.contactCenter;
    if (cc.admin) add(CONTACT_ADMIN_MASK);
    const profile = user.profile;
    if (profile.kind === 'superuser') add(SUPERUSER_MASK);
    else if (profile.kind === 'custom') add(maskOf(profile.grants ?? []).map((x, w) => x & PROFILE_MASK[w]!));
    this.profileRef[slot] =
      profile.kind === 'profile' && profile.profileId ? this.internProfile(profile.profileId) : -1;
    const extra: string[] = [];
    if (user.licences.includes('agent')) extra.push('cc:agent');
    if (user.licences.includes('crm')) extra.push('ucclient:crm');
    if (user.ucClient.desktop) extra.push('ucclient:desktop');
    if (user.ucClient.softphone.enabled) extra.push('softphone:use');
    const ch = user.features.channels;
    if (ch === 'calls' || ch === 'both') extra.push('telephony:call');
    if (ch === 'sms' || ch === 'both') extra.push('telephony:sms');
    if (user.features.recording) extra.push('telephony:record');
    if (user.features.crmOverlay) extra.push('crm:overlay');
    add(maskOf(extra));

    let supAny = false,
      agentAny = false;
    const codes: number[] = [];
    for (const [queueId, roleList] of Object.entries(cc.queues)) {
      const roles = (roleList.includes('agent') ? R_AGENT : 0) | (roleList.includes('supervisor') ? R_SUPERVISOR : 0);
      if (roles === 0) continue;
      supAny ||= (roles & R_SUPERVISOR) !== 0;
      agentAny ||= (roles & R_AGENT) !== 0;
      codes.push((this.internQueue(queueId) << 2) | roles);
    }
    const row = slot * QROW;
    this.queueRows[row + 1] = codes.length;
    for (let i = 0; i < INLINE_QUEUES; i++) this.queueRows[row + 2 + i] = codes[i] ?? 0;
    this.overflowQueues[slot] = codes.length > INLINE_QUEUES ? Int32Array.from(codes) : undefined;

    const deviceId = user.ucClient.softphone.deviceId;
    const lic = user.licences;
    this.meta[slot] =
      (lic.includes('essential') ? F_ESSENTIAL : 0) |
      (lic.includes('softphone') && user.devices.some((d) => d.id === deviceId) ? F_SOFTPHONE_OK : 0) |
      (user.source === 'platform' ? F_PLATFORM : 0) |
      (user.preferences.recording ? F_PREF_REC : 0) |
      (user.preferences.crmOverlay ? F_PREF_CRM : 0) |
      (user.status === 'active' ? F_ACTIVE : 0) |
      (lic.includes('agent') ? F_AGENT_LIC : 0) |
      (cc.admin ? F_ADMIN : 0) |
      (profile.kind === 'superuser' ? F_SUPERUSER : 0) |
      // G14: roles count for the tenant-wide role permissions only on platform users (agents: with Agent).
      (supAny && user.source === 'platform' ? F_SUP_ANY : 0) |
      (agentAny && user.source === 'platform' && lic.includes('agent') ? F_AGENT_ANY : 0) |
      (Math.max(0, supervisorRank(user.supervisorLevel)) << LEVEL_SHIFT);
  }

  /** Rebuilds every tenant-derived table: allow rows (G1, G3, G4, G5, G8, G10), role permissions, profiles, queues. */
  private applyTenant(tenant: TenantAccess): void {
    const planBlocked = maskOf(
      PLAN_FEATURE_CAPS.filter(([f]) => !planHas(tenant.planFeatures, f)).map(([, cap]) => cap),
    );
    for (let row = 0; row < ALLOW_ROWS; row++) {
      for (let w = 0; w < W; w++) {
        let cleared = planBlocked[w]!;
        if (!(row & PORTAL_ROW)) cleared |= PORTAL_SURFACE_MASK[w]!;
        if (!(row & F_ESSENTIAL)) cleared |= ESSENTIAL_ONLY_MASK[w]!;
        if (!(row & F_SOFTPHONE_OK)) cleared |= SOFTPHONE_MASK[w]!;
        if (!(row & F_PLATFORM)) cleared |= PLATFORM_ONLY_MASK[w]!;
        if (!(row & F_PREF_REC)) cleared |= RECORD_MASK[w]!;
        if (!(row & F_PREF_CRM)) cleared |= OVERLAY_MASK[w]!;
        this.allow[row * W + w] = ~cleared >>> 0;
      }
    }
    this.applyRolePermissions(tenant.rolePermissions);

    for (const mask of this.profileMasks) mask.fill(0);
    for (const [id, profile] of tenant.profiles) {
      const mask = maskOf(profile.grants);
      for (let w = 0; w < W; w++) mask[w] = mask[w]! & PROFILE_MASK[w]!; // profiles never carry licence- or feature-bound capabilities
      this.profileMasks[this.internProfile(id)] = mask;
    }

    this.queueInfo.fill(undefined);
    this.queueDispositions.fill(0);
    this.resourceIndex.clear();
    for (const [id, info] of tenant.queues) {
      const q = this.internQueue(id);
      this.queueInfo[q] = info;
      this.queueDispositions[q] = this.callDispositions && info.wrapUpSeconds > 0 ? 1 : 0;
      this.resourceIndex.set(`queue:${id}`, q);
    }
    this.sortedQueues = [...this.resourceIndex.values()].sort((a, b) => {
      const x = this.queueInfo[a]!,
        y = this.queueInfo[b]!;
      return x.name < y.name ? -1 : x.name > y.name ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    });
    this.sortedQueues.forEach((q, rank) => {
      this.queueRank[q] = rank;
    });
  }

  private applyRolePermissions(rp: RolePermissions): void {
    const supervisorCaps = Object.entries(SUPERVISOR_SETTING_CAPABILITIES)
      .filter(([setting]) => rp.supervisor[setting as keyof RolePermissions['supervisor']])
      .map(([, cap]) => cap);
    const agentCaps = Object.entries(AGENT_SETTING_CAPABILITIES)
      .filter(([setting]) => rp.agent[setting as keyof RolePermissions['agent']])
      .map(([, cap]) => cap);
    // Row index = supervisor-anywhere (bit 0) | agent-anywhere (bit 1), as in the flag word.
    for (let row = 0; row < 4; row++) {
      const mask = maskOf([...(row & 1 ? supervisorCaps : []), ...(row & 2 ? agentCaps : [])]);
      this.rolePermissionGrants.set(mask, row * W);
    }
    this.joinUnassigned = rp.organisation.agentsMayJoinUnassignedQueues;
    this.callDispositions = rp.agent.callDispositions;
    this.restrictSupervisors = rp.supervisor.restrictToAssignedQueues;
    this.supervisorQueueBits =
      Q_MONITOR |
      Q_REPORTS |
      (rp.supervisor.viewQueueSettings ? Q_VIEW : 0) |
      (rp.supervisor.manageQueueSettings ? Q_EDIT : 0);
  }

  private internProfile(id: string): number {
    let p = this.profileIndex.get(id);
    if (p === undefined) {
      p = this.profileMasks.length;
      this.profileIndex.set(id, p);
      this.profileMasks.push(emptyMask());
    }
    return p;
  }

  private internQueue(id: string): number {
    let q = this.queueIndex.get(id);
    if (q === undefined) {
      q = this.queueInfo.length;
      this.queueIndex.set(id, q);
      this.queueInfo.push(undefined);
      this.queueDispositions.push(0);
      this.queueRank.push(0);
    }
    return q;
  }

  private dropQueueRoles(slot: number): void {
    this.queueRows[slot * QROW + 1] = 0;
    this.overflowQueues[slot] = undefined;
  }

  /** Every `queue << 2 | roles` code of a slot. */
  private queueCodes(slot: number): number[] {
    const row = slot * QROW,
      n = this.queueRows[row + 1]!;
    return n > INLINE_QUEUES ? [...this.overflowQueues[slot]!] : [...this.queueRows.subarray(row + 2, row + 2 + n)];
  }

  /** The slot's role bits on one interned queue (0 when none). */
  private rolesOn(slot: number, queue: number): number {
    const row = slot * QROW,
      n = this.queueRows[row + 1]!;
    if (n <= INLINE_QUEUES) {
      for (let i = row + 2, end = row + 2 + n; i < end; i++) {
        const c = this.queueRows[i]!;
        if (c >>> 2 === queue) return c & 3;
      }
      return 0;
    }
    const codes = this.overflowQueues[slot]!;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c >>> 2 === queue) return c & 3;
    }
    return 0;
  }

  /** Doubles the typed arrays; returns the first new slot and frees the rest. */
  private grow(): number {
    const old = this.capacity;
    const capacity = Math.max(64, old * 2);
    const resize = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T, per: number): T => {
      const next = make(capacity * per);
      next.set(a);
      return next;
    };
    this.base = resize(this.base, (n) => new Uint32Array(n), W);
    this.eff = resize(this.eff, (n) => new Uint32Array(n), W);
    this.meta = resize(this.meta, (n) => new Uint32Array(n), 1);
    this.queueRows = resize(this.queueRows, (n) => new Int32Array(n), QROW);
    this.profileRef = resize(this.profileRef, (n) => new Int32Array(n).fill(-1), 1);
    this.capacity = capacity;
    for (let s = capacity - 1; s > old; s--) this.freeSlots.push(s);
    return old;
  }
}

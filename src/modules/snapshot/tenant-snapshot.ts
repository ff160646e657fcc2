import { CompiledTenant } from '../../access/compile.js';
import { buildEffectiveConfig, type EffectiveConfig } from '../../access/effective-config.js';
import { explainCapability } from '../../access/explain.js';
import type { Decision, TenantAccess, UserAccess } from '../../access/types.js';
import type { TenantDelta } from '../../infra/bus.js';
import { groupBy } from '../../infra/collections.js';
import { tenantAccessOf } from '../access/access.repo.js';
import { toUserAccess } from '../users/users.mapping.js';
import type { TenantRows, UserRows } from './snapshot.repo.js';

/** One user as the snapshot holds it: the engine's state, the row version and the extension (F5). */
export interface SnapshotUser {
  readonly access: UserAccess;
  readonly version: number;
  readonly extension: string | null;
  /** The user's slot in `TenantSnapshot.compiled` (`CompiledTenant.checkSlot`). */
  readonly slot: number;
  /**
   * The softphone device the user's configuration names (G5: one of their own), with its SIP
   * credentials sealed as stored (AES-GCM): opened only when the user's own client asks.
   */
  readonly softphone?: SealedSoftphoneDevice;
  /**
   * Explanations already given for this state, by decision key (`CompiledTenant.keyOf`). The only
   * field the snapshot writes after the user is stored; a change replaces the whole user, memo
   * included, and a tenant-wide change empties every memo (`TenantSnapshot.explain`).
   */
  explained?: Map<number, Explained>;
}

/** A softphone device with its SIP credentials still sealed. */
export interface SealedSoftphoneDevice {
  id: string;
  kind: 'sip' | 'webrtc';
  sealedSip: string;
}

/**
 * Rough heap cost of a warm user and of a queue, measured by `bench/decisions.bench.ts` (the
 * compiled bitsets, the explainable state with its shared sub-objects, the maps' entries). The
 * memory budget counts with these, so it never walks the heap.
 */
const BYTES_PER_USER = 700;
const BYTES_PER_QUEUE = 400;
const BYTES_PER_TENANT = 8_192;

/** A user's sealed SIP credentials in bytes (base64 text: one byte a character, plus the string's header). */
const sealedSize = (u: SnapshotUser): number => (u.softphone ? 64 + u.softphone.sealedSip.length : 0);

/**
 * A decision with its reasons, explained once: the decision (read-only, shared by every answer that
 * gives it) and the same decision as JSON text (`{"allowed":…,"grantedBy":[…],"blockedBy":[…]}`).
 */
export interface Explained {
  readonly decision: Decision;
  readonly json: string;
}

function explainedAfresh(user: UserAccess, tenant: TenantAccess, capability: string, resource?: string): Explained {
  const decision = explainCapability(user, tenant, capability, resource);
  return { decision, json: decisionJson(decision) };
}

/** A decision as the JSON of the check answer's wire form. */
export function decisionJson(d: Decision): string {
  return `{"allowed":${d.allowed},"grantedBy":${JSON.stringify(d.grantedBy)},"blockedBy":${JSON.stringify(d.blockedBy)}}`;
}

/**
 * Heap cost of remembered explanations (`bench/decisions.bench.ts` measures it): a user's memo map
 * with its first entries, each further entry, and one distinct explanation (its decision object and
 * text, besides the text's characters).
 */
const BYTES_PER_MEMO = 160;
const BYTES_PER_EXPLAINED = 40;
const BYTES_PER_DISTINCT = 200;

/** The JSON sub-objects of a user that are shared between users holding equal values. */
const SHARED_FIELDS = [
  'licences',
  'permissions',
  'ucClient',
  'groups',
  'workspaces',
  'contactCenter',
  'profile',
  'features',
  'preferences',
  'devices',
] as const satisfies ReadonlyArray<keyof UserAccess>;

/**
 * A node's live state of one tenant: everything needed to decide (the compiled bitsets) and to
 * explain (users' access, queues, profiles, role permissions, plan), and the extensions of its
 * users (F5). Equal sub-objects of different users (the default features, the same licences…) are
 * one object, so a warm user costs a few hundred bytes. Read-only for its readers; only the store
 * changes it, from the change bus.
 */
export class TenantSnapshot {
  readonly users = new Map<string, SnapshotUser>();
  tenant: TenantAccess;
  compiled: CompiledTenant;
  /** The change-sequence version this state is at least as new as (D7). */
  version: number;
  /** Extension -> number of users (not removed) who have it. */
  private readonly extensions = new Map<string, number>();
  private readonly shared = new Map<string, unknown>();
  /** Bytes of the sealed SIP credentials held (softphone users only), for the memory budget. */
  private sealedBytes = 0;
  /** The tenant row's version: a tenant-wide change (plan, queues, profiles, role permissions) raises it. */
  tenantVersion: number;
  /**
   * The tenant state the users' remembered explanations were given under, and how many they hold.
   * An explanation is a pure function of the user's state, the tenant's state, the capability and
   * the resource, and both states are replaced (never changed in place) when a change lands: a
   * replaced user comes without memo, a new tenant state empties every memo, so a remembered
   * explanation is never stale.
   */
  private explainedOf: TenantAccess | null = null;
  /** The remembered explanations by their JSON text: one object per distinct text. */
  private readonly distinctExplained = new Map<string, Explained>();
  private explainedCount = 0;
  /** Users holding a memo, and the bytes of the distinct explanations. */
  private explainedUsers = 0;
  private distinctBytes = 0;

  private constructor(rows: TenantRows & UserRows) {
    this.tenant = tenantAccessOf(rows.tenant, rows.planFeatures, rows.queues, rows.profiles);
    this.compiled = CompiledTenant.build(this.tenant, []);
    this.tenantVersion = Number(rows.tenant.version);
    this.version = Math.max(rows.seq, this.tenantVersion);
    this.applyUsers(rows, null);
  }

  /** A snapshot of a tenant from a consistent load of all its rows. */
  static fromRows(rows: TenantRows & UserRows): TenantSnapshot {
    return new TenantSnapshot(rows);
  }

  get id(): string {
    return this.tenant.id;
  }

  /** Rough heap cost, for the memory budget. */
  get approxBytes(): number {
    return (
      BYTES_PER_TENANT +
      this.users.size * BYTES_PER_USER +
      this.tenant.queues.size * BYTES_PER_QUEUE +
      this.sealedBytes +
      this.explainedUsers * BYTES_PER_MEMO +
      this.explainedCount * BYTES_PER_EXPLAINED +
      this.distinctBytes
    );
  }

  /**
   * The user's decision on `capability` (on `resource`) with its reasons (X2), remembered for the
   * user's current state under the decision key (`CompiledTenant.keyOf`, which a caller that has it
   * passes): a client asking again about the same users (the PBX, an app's batch) pays the
   * explanation once per change. At most 256 + four per user are held; past that the memos start over.
   */
  explain(
    user: SnapshotUser,
    capability: string,
    resource?: string,
    key = this.compiled.keyOf(capability, resource),
  ): Explained {
    // An unknown capability or queue: its reasons name what was asked, so they are not shared.
    if (key < 0) return explainedAfresh(user.access, this.tenant, capability, resource);
    if (this.explainedOf !== this.tenant || this.explainedCount >= 256 + 4 * this.users.size) {
      for (const u of this.users.values()) u.explained = undefined;
      this.distinctExplained.clear();
      this.explainedOf = this.tenant;
      this.explainedCount = this.explainedUsers = this.distinctBytes = 0;
    }
    let memo = user.explained;
    if (memo === undefined) {
      user.explained = memo = new Map<number, Explained>();
      this.explainedUsers++;
    }
    let hit = memo.get(key);
    if (hit === undefined) {
      const fresh = explainedAfresh(user.access, this.tenant, capability, resource);
      // Users with the same reasons share one explanation: most of a tenant's are a few dozen texts.
      hit = this.distinctExplained.get(fresh.json);
      if (hit === undefined) {
        this.distinctExplained.set(fresh.json, (hit = fresh));
        this.distinctBytes += BYTES_PER_DISTINCT + fresh.json.length;
      }
      memo.set(key, hit);
      this.explainedCount++;
    }
    return hit;
  }

  /** Whether the user is allowed on a decision key (`CompiledTenant.keyOf`): the bitsets, no id lookup. */
  allows(user: SnapshotUser, key: number): boolean {
    return this.compiled.checkSlot(user.slot, key);
  }

  /**
   * Upserts the loaded users and forgets those of `asked` that the load no longer found (deleted,
   * or never of this tenant). `asked === null` means the rows are the whole tenant.
   */
  applyUsers(rows: UserRows, asked: readonly string[] | null): void {
    const devices = groupBy(rows.devices, (d) => d.user_id);
    const found = new Set<string>();
    for (const row of rows.users) {
      found.add(row.id);
      const own = devices.get(row.id) ?? [];
      const access = this.share(toUserAccess(row, own));
      this.forget(this.users.get(row.id));
      const sp = access.ucClient.softphone;
      const device = sp.enabled ? own.find((d) => d.id === sp.deviceId) : undefined;
      const user: SnapshotUser = {
        access,
        version: Number(row.version),
        extension: row.status === 'removed' ? null : row.extension,
        slot: this.compiled.upsertUser(access),
        ...(device && { softphone: { id: device.id, kind: device.kind, sealedSip: device.sip_secret } }),
      };
      this.users.set(row.id, user);
      this.sealedBytes += sealedSize(user);
      if (user.extension !== null) this.extensions.set(user.extension, (this.extensions.get(user.extension) ?? 0) + 1);
    }
    for (const id of asked ?? []) {
      if (found.has(id)) continue;
      this.forget(this.users.get(id));
      this.users.delete(id);
      this.compiled.removeUser(id);
    }
  }

  /**
   * A tenant-wide change applied from the held state (role permissions, a profile created or edited):
   * every user is recompiled (`CompiledTenant.setTenant`), nothing is read. False, and nothing changed,
   * when the snapshot is not at the version the change was made on: the caller reloads the tenant.
   */
  applyTenantDelta(delta: TenantDelta, version: number): boolean {
    if (delta.previousVersion !== this.tenantVersion) return false;
    this.tenant =
      'rolePermissions' in delta
        ? { ...this.tenant, rolePermissions: delta.rolePermissions }
        : 'planFeatures' in delta
          ? { ...this.tenant, planFeatures: delta.planFeatures }
          : { ...this.tenant, profiles: new Map(this.tenant.profiles).set(delta.profile.id, delta.profile) };
    this.compiled.setTenant(this.tenant);
    this.tenantVersion = version;
    this.version = Math.max(this.version, version);
    return true;
  }

  /** Whether `extension` rings one of the tenant's users (F5: an internal call). */
  hasExtension(extension: string): boolean {
    return this.extensions.has(extension);
  }

  /** The user's effective-configuration version (D3): max(user row, tenant). */
  userVersion(user: SnapshotUser): number {
    return Math.max(user.version, this.tenantVersion);
  }

  /** The effective configuration of one user, without SIP credentials. */
  config(userId: string): EffectiveConfig | null {
    const user = this.users.get(userId);
    return user ? buildEffectiveConfig(user.access, this.tenant, this.compiled, this.userVersion(user), null) : null;
  }

  /** What a user being replaced or removed held: their extension, their sealed credentials' bytes. */
  private forget(user: SnapshotUser | undefined): void {
    if (user) this.sealedBytes -= sealedSize(user);
    const ext = user?.extension;
    if (ext === null || ext === undefined) return;
    const n = (this.extensions.get(ext) ?? 1) - 1;
    if (n > 0) this.extensions.set(ext, n);
    else this.extensions.delete(ext);
  }

  /** The same user with equal sub-objects replaced by the one already held. */
  private share(user: UserAccess): UserAccess {
    // Values no user holds any more are dropped now and then; users re-share on their next change.
    if (this.shared.size > 1_000 + 4 * this.users.size) this.shared.clear();
    const out = { ...user } as Record<string, unknown>;
    for (const field of SHARED_FIELDS) {
      const value = user[field];
      const key = `${field}:${JSON.stringify(value)}`;
      const held = this.shared.get(key);
      if (held !== undefined) out[field] = held;
      else this.shared.set(key, value);
    }
    return out as unknown as UserAccess;
  }
}

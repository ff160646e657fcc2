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
interface SnapshotUser {
  readonly access: UserAccess;
  readonly version: number;
  readonly extension: string | null;
  /**
   * The softphone device the user's configuration names (G5: one of their own), with its SIP
   * credentials sealed as stored (AES-GCM): opened only when the user's own client asks.
   */
  readonly softphone?: SealedSoftphoneDevice;
}

/** A softphone device with its SIP credentials still sealed. */
export interface SealedSoftphoneDevice {
  id: string;
  kind: 'sip' | 'webrtc';
  sealedSip: string;
}

/**
 * Rough heap cost of a warm user and of a queue, measured by `bench/snapshot.bench.ts` (the
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

function explained(user: UserAccess, tenant: TenantAccess, capability: string, resource?: string): Explained {
  const decision = explainCapability(user, tenant, capability, resource);
  return { decision, json: decisionJson(decision) };
}

/** A decision as the JSON of the check answer's wire form. */
export function decisionJson(d: Decision): string {
  return `{"allowed":${d.allowed},"grantedBy":${JSON.stringify(d.grantedBy)},"blockedBy":${JSON.stringify(d.blockedBy)}}`;
}

/** Heap cost of one remembered explanation (its map entry, the decision and its JSON text; measured 830-960 bytes). */
const BYTES_PER_EXPLAINED = 900;

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
   * Explanations already given, per user state, capability and resource. An explanation is a pure
   * function of the user's state, the tenant's state, the capability and the resource, and both states
   * are replaced (never changed in place) when a change lands: a new user state misses here, a new
   * tenant state empties the whole memo, so a remembered explanation is never stale.
   */
  private explained = new WeakMap<UserAccess, Map<string, Explained>>();
  private explainedOf: TenantAccess | null = null;
  private explainedCount = 0;

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
      this.explainedCount * BYTES_PER_EXPLAINED
    );
  }

  /**
   * The user's decision on `capability` (on `resource`) with its reasons (X2), remembered for the
   * user's current state: a client asking again about the same users (the PBX, an app's batch) pays
   * the explanation once per change. At most 256 + one per user are held; past that the memo starts over.
   */
  explain(user: UserAccess, capability: string, resource?: string): Explained {
    if (this.explainedOf !== this.tenant || this.explainedCount >= 256 + this.users.size) {
      this.explained = new WeakMap();
      this.explainedOf = this.tenant;
      this.explainedCount = 0;
    }
    // One map per user state; a NUL never reaches here from a request (E1), so the key is unambiguous.
    if (capability.includes('\u0000')) return explained(user, this.tenant, capability, resource);
    let mine = this.explained.get(user);
    if (!mine) this.explained.set(user, (mine = new Map<string, Explained>()));
    const key = resource === undefined ? capability : `${capability}\u0000${resource}`;
    let hit = mine.get(key);
    if (!hit) {
      hit = explained(user, this.tenant, capability, resource);
      mine.set(key, hit);
      this.explainedCount++;
    }
    return hit;
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
        ...(device && { softphone: { id: device.id, kind: device.kind, sealedSip: device.sip_secret } }),
      };
      this.users.set(row.id, user);
      this.sealedBytes += sealedSize(user);
      if (user.extension !== null) this.extensions.set(user.extension, (this.extensions.get(user.extension) ?? 0) + 1);
      this.compiled.upsertUser(access);
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

import { setTimeout as sleep } from 'node:timers/promises';
import type { Db, Executor } from '../../db/database.js';
import type { ChangeEvent, TenantDelta } from '../../infra/bus.js';
import type { Closer } from '../../infra/closer.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { loadTenantRows, loadUserRows } from './snapshot.repo.js';
import { TenantSnapshot } from './tenant-snapshot.js';

/** Work waiting for a tenant: some users, or the whole tenant. */
type Work = Set<string> | 'all';

interface Slot {
  snap: TenantSnapshot | null;
  /** Changes heard of and not applied yet, and the highest version among them. */
  pending: Work | null;
  pendingVersion: number;
  /** The load or refresh in progress; readers wait for it, so a node never answers from state older than a change it heard of. */
  busy: Promise<void> | null;
  /** Versions of this node's own commits already applied, so their bus echo is not applied twice. */
  ownVersions: Set<number>;
  bytes: number;
  /** Why the last load or refresh failed (a database outage, say): the readers waiting on it see it. */
  failure?: Error;
}

/** How long a `minVersion` the snapshot has not reached waits for the bus before the node reloads the tenant. */
const MIN_VERSION_WAIT_MS = 200;

/**
 * Every tenant in use on this node, as a live `TenantSnapshot` (ARCHITECTURE "Performance design").
 * A tenant loads on first use; the change bus keeps it current: a change of some users reloads those
 * users; a tenant-wide change that carries what changed (role permissions, a profile) recompiles the
 * held state; any other tenant-wide change (or one too large to name its users) reloads the tenant,
 * off the request path. Least recently used tenants are dropped past the memory budget
 * (`SWITCHBOARD_SNAPSHOT_MEMORY_MB`). Readers wait only for changes this node has already heard of,
 * and a caller's `minVersion` (D7) waits briefly for the bus, then reloads.
 */
export class SnapshotStore {
  private readonly slots = new Map<string, Slot>();
  private readonly budget: number;
  private bytes = 0;
  /** The slot last in `slots` (the most recently used), so a run of uses of one tenant skips reordering. */
  private recent: Slot | null = null;
  private stopped = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly deps: Pick<ServiceDeps, 'db' | 'bus' | 'log' | 'config'>) {
    this.budget = deps.config.SWITCHBOARD_SNAPSHOT_MEMORY_MB * 1024 * 1024;
    this.unsubscribe = [
      deps.bus.subscribe((e) => this.onEvent(e, false)),
      deps.bus.subscribeOwnCommits((e) => this.onEvent(e, true)),
    ];
  }

  /** The tenants held warm, least recently used first (diagnostics; reading it uses none of them). */
  get held(): string[] {
    return [...this.slots].filter(([, slot]) => slot.snap).map(([id]) => id);
  }

  /** Tenants held and their estimated bytes (metrics, benchmarks). */
  get stats(): { tenants: number; bytes: number; budget: number } {
    return { tenants: this.slots.size, bytes: this.bytes, budget: this.budget };
  }

  /**
   * The tenant's snapshot, loading it on first use, after every change this node has heard of, and
   * at least as new as `minVersion` (D7). Null when there is no such tenant.
   */
  async get(tenantId: string, minVersion?: number): Promise<TenantSnapshot | null> {
    return this.current(tenantId, minVersion) ?? this.load(tenantId, minVersion);
  }

  /**
   * The tenant's snapshot when this node holds it warm, at least as new as `minVersion` and with no
   * change being applied: the hot paths' answer without a promise. Undefined otherwise (ask `get`).
   */
  current(tenantId: string, minVersion?: number): TenantSnapshot | undefined {
    const slot = this.slots.get(tenantId);
    const snap = slot?.snap;
    if (!slot || !snap || slot.busy || (minVersion !== undefined && snap.version < minVersion)) return undefined;
    this.touch(tenantId, slot);
    return snap;
  }

  /** Marks a tenant most recently used (last in the map: eviction takes from the front). */
  private touch(tenantId: string, slot: Slot): void {
    if (this.recent === slot) return;
    this.slots.delete(tenantId);
    this.slots.set(tenantId, slot);
    this.recent = slot;
  }

  private async load(tenantId: string, minVersion?: number): Promise<TenantSnapshot | null> {
    let slot = this.slots.get(tenantId);
    if (slot) {
      this.touch(tenantId, slot);
    } else {
      slot = { snap: null, pending: 'all', pendingVersion: 0, busy: null, ownVersions: new Set(), bytes: 0 };
      this.slots.set(tenantId, slot);
      this.recent = slot;
      this.drain(tenantId, slot);
    }
    while (slot.busy) await slot.busy;
    // A load that failed is the readers' error (a database outage answers 503), not a missing tenant.
    if (!slot.snap && slot.failure !== undefined) throw slot.failure;
    if (minVersion !== undefined && slot.snap && slot.snap.version < minVersion)
      await this.reach(tenantId, slot, minVersion);
    return slot.snap;
  }

  /**
   * Forgets a tenant, so its next use loads it afresh: for rows written past the services (and so
   * past the bus), such as an operator's SQL or a test's fixtures.
   */
  invalidate(tenantId: string): void {
    const slot = this.slots.get(tenantId);
    if (slot) this.forget(tenantId, slot);
  }

  /** Stops listening to the bus and forgets every tenant. */
  close(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    this.slots.clear();
    this.recent = null;
    this.bytes = 0;
  }

  /** Waits for the bus to bring the snapshot to `minVersion`; failing that, reloads the tenant. */
  private async reach(tenantId: string, slot: Slot, minVersion: number): Promise<void> {
    const until = Date.now() + MIN_VERSION_WAIT_MS;
    while (slot.snap && slot.snap.version < minVersion && Date.now() < until) {
      if (slot.busy) await slot.busy;
      else await sleep(5);
    }
    if (!slot.snap || slot.snap.version >= minVersion) return;
    this.schedule(tenantId, slot, 'all', 0);
    while (slot.busy) await slot.busy;
    if (!slot.snap && slot.failure !== undefined) throw slot.failure;
    const snap = slot.snap as TenantSnapshot | null;
    if (snap && snap.version < minVersion) {
      // The reload read every committed change: a version it did not reach was never issued.
      throw new AppError('validation_failed', `minVersion ${minVersion} is newer than any version issued`, {
        rule: 'D7',
        field: '/minVersion',
      });
    }
  }

  private onEvent(event: ChangeEvent, own: boolean): void {
    if (this.stopped) return;
    if (event.type === 'resync') {
      // Events may have been missed: every tenant reloads on its next use.
      this.slots.clear();
      this.recent = null;
      this.bytes = 0;
      return;
    }
    if (event.type !== 'config' && event.type !== 'tenant') return;
    const slot = this.slots.get(event.tenantId);
    if (!slot) return; // not in use on this node
    // A change the held snapshot already has (nothing is loading or waiting, and its version is at least
    // the change's) is not work: a late echo of a write made before the tenant was loaded, or the
    // node's own commit heard back from the bus before the commit's own notice (the two race).
    if (slot.snap && !slot.busy && !slot.pending && event.version <= slot.snap.version) {
      if (!own) slot.ownVersions.delete(event.version);
      return;
    }
    if (own) slot.ownVersions.add(event.version);
    else if (slot.ownVersions.delete(event.version)) return; // applied at commit already
    const work = event.type === 'config' && event.userIds ? new Set(event.userIds) : 'all';
    if (work === 'all' && event.delta && this.applyDelta(event.tenantId, slot, event.delta, event.version)) return;
    this.schedule(event.tenantId, slot, work, event.version);
  }

  /**
   * A tenant-wide change recompiled from the held state, when the snapshot is current (nothing loading
   * or pending, so it holds every change heard of before this one) and at the version the change was
   * made on. False: the caller reloads the tenant.
   */
  private applyDelta(tenantId: string, slot: Slot, delta: TenantDelta, version: number): boolean {
    if (!slot.snap || slot.busy || slot.pending || !slot.snap.applyTenantDelta(delta, version)) return false;
    this.account(tenantId, slot);
    return true;
  }

  private schedule(tenantId: string, slot: Slot, work: Work, version: number): void {
    if (slot.pending === 'all' || work === 'all') slot.pending = 'all';
    else if (slot.pending) for (const u of work) slot.pending.add(u);
    else slot.pending = work;
    slot.pendingVersion = Math.max(slot.pendingVersion, version);
    if (!slot.busy) this.drain(tenantId, slot);
  }

  /** Applies pending work until none is left; readers wait on `busy`. */
  private drain(tenantId: string, slot: Slot): void {
    slot.busy = (async () => {
      try {
        while (slot.pending && !this.stopped) {
          const work = slot.pending;
          const version = slot.pendingVersion;
          slot.pending = null;
          slot.pendingVersion = 0;
          slot.failure = undefined;
          await this.apply(tenantId, slot, work, version);
        }
      } catch (err) {
        // The snapshot can no longer be trusted: forget it, so the next reader loads it afresh.
        this.deps.log.warn({ err, tenantId }, 'snapshot refresh failed; the tenant reloads on next use');
        this.forget(tenantId, slot);
        slot.snap = null;
        slot.failure = err instanceof Error ? err : new Error(String(err));
      } finally {
        slot.busy = null;
      }
    })();
  }

  private async apply(tenantId: string, slot: Slot, work: Work, version: number): Promise<void> {
    const db = this.deps.db;
    if (work !== 'all' && slot.snap) {
      const ids = [...work];
      const rows = await loadUserRows(db, tenantId, ids);
      // The tenant-wide state moved too (a profile or queue created since): reload the whole tenant.
      if (rows.tenantVersion === slot.snap.tenantVersion) {
        slot.snap.applyUsers(rows, ids);
        slot.snap.version = Math.max(slot.snap.version, version);
        this.account(tenantId, slot);
        return;
      }
    }
    const rows = await loadTenantRows(db, tenantId);
    if (!rows) {
      this.forget(tenantId, slot);
      slot.snap = null;
      return;
    }
    const previous = slot.snap?.version ?? 0;
    slot.snap = TenantSnapshot.fromRows(rows);
    slot.snap.version = Math.max(slot.snap.version, previous, version);
    this.account(tenantId, slot);
  }

  /** Re-estimates the tenant's bytes and drops least recently used tenants past the budget. */
  private account(tenantId: string, slot: Slot): void {
    const bytes = slot.snap?.approxBytes ?? 0;
    if (this.slots.get(tenantId) === slot) this.bytes += bytes - slot.bytes;
    slot.bytes = bytes;
    for (const [id, s] of this.slots) {
      if (this.bytes <= this.budget) break;
      if (s === slot || s.busy) continue;
      this.forget(id, s);
    }
  }

  private forget(tenantId: string, slot: Slot): void {
    if (this.slots.get(tenantId) !== slot) return;
    this.slots.delete(tenantId);
    // Not held through `recent` either: a forgotten tenant's memory goes with it.
    if (this.recent === slot) this.recent = null;
    this.bytes -= slot.bytes;
    slot.bytes = 0;
  }
}

const stores = new WeakMap<Executor, SnapshotStore>();

/**
 * Starts this node's snapshot store. Called before any other module subscribes to the bus, so the
 * store hears of a change before the stream asks it for configurations.
 */
export function startSnapshots(deps: ServiceDeps): Closer {
  const store = new SnapshotStore(deps);
  stores.set(deps.db, store);
  deps.metrics.gauge(
    'switchboard_snapshot_bytes',
    "Estimated bytes of this node's tenant snapshots",
    () => store.stats.bytes,
  );
  deps.metrics.gauge(
    'switchboard_snapshot_tenants',
    'Tenants held in snapshots on this node',
    () => store.stats.tenants,
  );
  return () => {
    store.close();
    stores.delete(deps.db);
  };
}

/** The node's snapshot store when `db` is the node's database (not a transaction: those read their own state). */
export function snapshotsOf(db: Executor | Db): SnapshotStore | undefined {
  return stores.get(db);
}

/** The node's snapshot store; every module runs after `startSnapshots`. */
export function requireSnapshots(db: Db): SnapshotStore {
  const store = stores.get(db);
  if (!store) throw new Error('the snapshot store is not started');
  return store;
}

import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { groupBy } from '../../infra/collections.js';
import { newId } from '../../infra/ids.js';
import { inTransaction, UnitOfWork } from '../../infra/unit-of-work.js';
import { analyzeTables, ANALYZE_AFTER_ROWS } from '../../db/analyze.js';
import { assertTenantScope } from '../access/actor-access.js';
import { findTenant, updateTenant } from '../tenants/tenants.repo.js';
import { countBillable } from '../users/users.repo.js';
import { defaultUserAccessFields } from '../users/users.mapping.js';
import type { User } from '../users/users.schemas.js';
import { UsersService } from '../users/users.service.js';
import type { OverridableField } from './ownership.js';
import type { Snapshot, SnapshotResult } from './platform.schemas.js';
import * as repo from './platform.repo.js';
import { devicesDigest, emailKey, planSnapshot, type DesiredUser, type StoredPlatformUser } from './sync-plan.js';

const MAX_CHANGES_LISTED = 1000;

/** Platform sync (P1): the phone system's users, devices and queues, applied as one idempotent transaction. */
export class PlatformService {
  private readonly users: UsersService;
  constructor(private readonly deps: ServiceDeps) {
    this.users = new UsersService(deps);
  }

  /**
   * P4: returns a display name or email the portal overrode to the phone system's value; later syncs
   * change it again. A user change like any other: the same rules (C1, C9, G2), audit and push.
   */
  async resetField(
    ctx: RequestContext,
    tenantId: string,
    userId: string,
    field: OverridableField,
    ifMatch?: string,
  ): Promise<User> {
    return this.users.patch(ctx, tenantId, userId, {}, ifMatch, [field]);
  }

  /** Applies (or plans, `dryRun`) a snapshot; timed in `switchboard_sync_duration_seconds`. */
  async applySnapshot(
    ctx: RequestContext,
    tenantId: string,
    snapshot: Snapshot,
    dryRun: boolean,
  ): Promise<SnapshotResult> {
    return this.deps.metrics.timeSync(dryRun, () => this.apply(ctx, tenantId, snapshot, dryRun));
  }

  private async apply(
    ctx: RequestContext,
    tenantId: string,
    snapshot: Snapshot,
    dryRun: boolean,
  ): Promise<SnapshotResult> {
    assertTenantScope(ctx, tenantId);
    if (ctx.actor.kind === 'user')
      throw new AppError('forbidden', 'platform sync needs a platform token (I6)', { rule: 'I6' });
    const run = async (uow: UnitOfWork) => {
      // The tenant row lock serialises syncs of one tenant.
      const tenant = await findTenant(uow.tx, tenantId, true);
      if (!tenant) throw notFound('tenant');
      const version = dryRun ? null : await uow.nextTenantVersion(tenantId);
      const queues = await this.applyQueues(uow, tenantId, snapshot, version);

      const [storedRows, deviceRows, billable] = await Promise.all([
        repo.loadPlatformUsers(uow.tx, tenantId),
        repo.loadPlatformDevices(uow.tx, tenantId),
        countBillable(uow.tx, tenantId),
      ]);
      const devicesByUser = groupBy(
        deviceRows.map((d) => ({
          userId: d.user_id,
          externalId: d.external_id,
          name: d.name,
          kind: d.kind,
          sip: JSON.parse(this.deps.secrets.open(d.sip_secret)) as Snapshot['users'][number]['devices'][number]['sip'],
        })),
        (d) => d.userId,
      );
      const stored: StoredPlatformUser[] = storedRows.map((r) => {
        const devices = (devicesByUser.get(r.id) ?? []).map(({ userId: _u, ...d }) => d);
        return {
          id: r.id,
          externalId: r.external_id!,
          displayName: r.display_name,
          email: r.email,
          extension: r.extension,
          status: r.status,
          licences: r.licences,
          contactCenter: r.contact_center,
          acdQueueIds: r.acd_queue_ids,
          platformDisplayName: r.platform_display_name ?? r.display_name,
          platformEmail: r.platform_email,
          overrides: { displayName: r.display_name_overridden, email: r.email_overridden },
          websiteAccess: r.permissions.includes('website_access'),
          devices: devices.map((d) => ({ externalId: d.externalId, name: d.name, kind: d.kind })),
          devicesDigest: devicesDigest(devices),
        };
      });
      // G2: the emails platform users with website access would take, checked against everyone else's.
      const websiteExternalIds = new Set(
        stored.filter((u) => u.websiteAccess && u.status !== 'removed').map((u) => u.externalId),
      );
      const wantedEmails = snapshot.users
        .filter((u) => websiteExternalIds.has(u.externalId) && u.email)
        .map((u) => emailKey(u.email!));
      const platformAgents = storedRows.filter((r) => r.status !== 'removed' && r.licences.includes('agent')).length;
      const plan = planSnapshot({
        stored,
        snapshot: snapshot.users,
        queueIds: queues.byExternal,
        allQueueIds: queues.allIds,
        agentAddOn: tenant.policies.agentAddOn,
        agentPool: { cap: tenant.licence_pools.agent ?? null, heldOutsideSync: billable.agent - platformAgents },
        websiteEmailsElsewhere: new Set(
          wantedEmails.length ? await repo.websiteEmailsOutsideSync(uow.tx, tenantId, wantedEmails) : [],
        ),
      });

      const changes: SnapshotResult['changes'] = [
        ...plan.creates.map((d) => ({ externalId: d.externalId, userId: null, action: 'create' as const, fields: [] })),
        ...plan.updates.map((u) => ({
          externalId: u.desired.externalId,
          userId: u.id,
          action: 'update' as const,
          fields: u.fields,
        })),
        ...plan.removes.map((u) => ({ externalId: u.externalId, userId: u.id, action: 'remove' as const, fields: [] })),
      ];
      if (version !== null) {
        await this.write(uow, tenantId, plan, version);
        uow.emit({
          type: 'platform.sync.completed',
          tenantId,
          data: {
            created: plan.creates.length,
            updated: plan.updates.length,
            removed: plan.removes.length,
            unchanged: plan.unchanged,
            version,
          },
        });
      }
      return {
        dryRun,
        created: plan.creates.length,
        updated: plan.updates.length,
        removed: plan.removes.length,
        unchanged: plan.unchanged,
        queues: queues.counts,
        changes: changes.slice(0, MAX_CHANGES_LISTED),
        changesTruncated: changes.length > MAX_CHANGES_LISTED,
        conflicts: plan.conflicts.slice(0, MAX_CHANGES_LISTED),
        conflictsTruncated: plan.conflicts.length > MAX_CHANGES_LISTED,
        warnings: plan.warnings,
        version,
      };
    };
    if (dryRun) {
      // A dry run plans inside a transaction that is always rolled back: nothing is written.
      let result: SnapshotResult | undefined;
      await this.deps.db
        .transaction()
        .execute(async (tx) => {
          result = await run(new UnitOfWork(tx, ctx, this.deps.secrets));
          throw ROLLBACK;
        })
        .catch((e: unknown) => {
          if (e !== ROLLBACK) throw e;
        });
      return result!;
    }
    const result = await inTransaction(this.deps, ctx, run);
    // Statistics after bulk writes: the planner must not keep planning for yesterday's row counts.
    if (result.created + result.updated + result.removed >= ANALYZE_AFTER_ROWS)
      await analyzeTables(this.deps.db, ['users', 'devices']);
    return result;
  }

  private async applyQueues(uow: UnitOfWork, tenantId: string, snapshot: Snapshot, version: number | null) {
    const existing = await repo.listTenantQueues(uow.tx, tenantId);
    const byExternal = new Map<string, string>();
    const counts = { created: 0, updated: 0, removed: 0, unchanged: 0 };
    const stored = new Map(existing.filter((q) => q.external_id).map((q) => [q.external_id!, q]));
    const seen = new Set<string>();
    for (const q of snapshot.queues) {
      if (seen.has(q.externalId)) continue;
      seen.add(q.externalId);
      const prev = stored.get(q.externalId);
      if (!prev) {
        const id = newId('que');
        byExternal.set(q.externalId, id);
        counts.created++;
        if (version !== null) {
          await repo.insertSyncedQueue(uow.tx, {
            id,
            tenant_id: tenantId,
            external_id: q.externalId,
            name: q.name,
            kind: q.kind,
            wrap_up_seconds: q.wrapUpSeconds,
            version,
          });
          uow.audit({ tenantId, action: 'queue.create', targetType: 'queue', targetId: id, after: q });
        }
        continue;
      }
      byExternal.set(q.externalId, prev.id);
      if (prev.name === q.name && prev.kind === q.kind && prev.wrap_up_seconds === q.wrapUpSeconds) {
        counts.unchanged++;
        continue;
      }
      counts.updated++;
      if (version !== null) {
        await repo.updateSyncedQueue(uow.tx, tenantId, prev.id, {
          name: q.name,
          kind: q.kind,
          wrap_up_seconds: q.wrapUpSeconds,
          version,
        });
        uow.audit({
          tenantId,
          action: 'queue.update',
          targetType: 'queue',
          targetId: prev.id,
          before: { name: prev.name, kind: prev.kind, wrapUpSeconds: prev.wrap_up_seconds },
          after: q,
        });
      }
    }
    const gone = [...stored.values()].filter((q) => !seen.has(q.external_id!));
    counts.removed = gone.length;
    if (version !== null && gone.length) {
      await repo.deleteQueues(
        uow.tx,
        tenantId,
        gone.map((q) => q.id),
      );
      for (const q of gone)
        uow.audit({
          tenantId,
          action: 'queue.delete',
          targetType: 'queue',
          targetId: q.id,
          before: { externalId: q.external_id, name: q.name },
        });
    }
    const goneIds = new Set(gone.map((q) => q.id));
    const allIds = new Set([...existing.map((q) => q.id).filter((id) => !goneIds.has(id)), ...byExternal.values()]);
    if (version !== null && (counts.created || counts.updated || counts.removed)) {
      // Queue settings reach every user's configuration (D2): bump the tenant version.
      await updateTenant(uow.tx, tenantId, { version });
      uow.publish({ type: 'config', tenantId, userIds: null, version });
    }
    return { byExternal, allIds, counts };
  }

  private async write(
    uow: UnitOfWork,
    tenantId: string,
    plan: ReturnType<typeof planSnapshot>,
    version: number,
  ): Promise<void> {
    // Removals first: an email a removed user signed in with is free for the updates (G2).
    await repo.removeUsersBatch(
      uow.tx,
      tenantId,
      plan.removes.map((u) => u.id),
      version,
    );
    const created = plan.creates.map((d) => ({ id: newId('usr'), d }));
    await repo.insertUsersBatch(
      uow.tx,
      created.map(({ id, d }) => ({
        id,
        tenantId,
        externalId: d.externalId,
        displayName: d.displayName,
        platformDisplayName: d.platformDisplayName,
        platformEmail: d.platformEmail,
        extension: d.extension,
        acdQueueIds: d.acdQueueIds,
        access: {
          ...defaultUserAccessFields(),
          id,
          source: 'platform',
          status: d.status,
          email: d.email,
          licences: d.licences,
          contactCenter: d.contactCenter,
          devices: [],
        },
      })),
      version,
    );
    const toWrite = (id: string, d: DesiredUser): repo.UserWrite => ({
      id,
      external_id: d.externalId,
      display_name: d.displayName,
      email: d.email,
      extension: d.extension,
      status: d.status,
      licences: d.licences,
      contact_center: d.contactCenter,
      acd_queue_ids: d.acdQueueIds,
      platform_display_name: d.platformDisplayName,
      platform_email: d.platformEmail,
    });
    await repo.updateUsersBatch(
      uow.tx,
      tenantId,
      plan.updates.map((u) => toWrite(u.id, u.desired)),
      version,
    );

    const deviceOwners = [
      ...created.filter(({ d }) => d.devices.length).map(({ id }) => id),
      ...plan.updates.filter((u) => u.fields.includes('devices')).map((u) => u.id),
    ];
    const desiredById = new Map<string, DesiredUser>([
      ...created.map(({ id, d }) => [id, d] as const),
      ...plan.updates.map((u) => [u.id, u.desired] as const),
    ]);
    const devices = deviceOwners.flatMap((userId) =>
      desiredById.get(userId)!.devices.map((dev) => ({
        id: newId('dev'),
        tenant_id: tenantId,
        user_id: userId,
        external_id: dev.externalId,
        name: dev.name,
        kind: dev.kind,
        sip_secret: this.deps.secrets.seal(JSON.stringify(dev.sip)),
      })),
    );
    await repo.replaceDevices(uow.tx, tenantId, deviceOwners, devices);

    const ended = await repo.endSessionsOfUsers(
      uow.tx,
      tenantId,
      plan.removes.map((u) => u.id),
    );
    const summary = (d: DesiredUser) => ({
      externalId: d.externalId,
      displayName: d.displayName,
      email: d.email,
      extension: d.extension,
      status: d.status,
      licences: d.licences,
      acdQueueIds: d.acdQueueIds,
      devices: d.devices.map((x) => ({ externalId: x.externalId, name: x.name, kind: x.kind })),
    });
    for (const { id, d } of created)
      uow.audit({ tenantId, action: 'user.sync.create', targetType: 'user', targetId: id, after: summary(d) });
    // An update records exactly the fields it changed, each before and after (AU1): no phantom changes.
    for (const u of plan.updates)
      uow.audit({
        tenantId,
        action: 'user.sync.update',
        targetType: 'user',
        targetId: u.id,
        before: u.diff.before,
        after: u.diff.after,
      });
    for (const u of plan.removes)
      uow.audit({
        tenantId,
        action: 'user.sync.remove',
        targetType: 'user',
        targetId: u.id,
        before: { externalId: u.externalId, displayName: u.displayName, licences: u.licences },
      });

    const touched = [...created.map((c) => c.id), ...plan.updates.map((u) => u.id), ...plan.removes.map((u) => u.id)];
    if (touched.length) uow.publish({ type: 'config', tenantId, userIds: touched, version });
    if (ended.length)
      uow.publish({
        type: 'revoke',
        tenantId,
        sessionIds: ended,
        userIds: plan.removes.map((u) => u.id),
        reason: 'removed',
      });
  }
}

/** Thrown to roll a dry run's transaction back; caught at once, never seen by a caller. */
class DryRunRollback extends Error {}
const ROLLBACK = new DryRunRollback('dry run');

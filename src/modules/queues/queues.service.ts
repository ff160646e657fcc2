import type { QueueRow } from '../../db/schema.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import { refuseQueueSettingsChange } from '../platform/ownership.js';
import * as repo from './queues.repo.js';
import type { Queue, QueueCreate, QueuePatch } from './queues.schemas.js';

export const presentQueue = (r: QueueRow): Queue => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  kind: r.kind,
  wrapUpSeconds: r.wrap_up_seconds,
  version: Number(r.version),
  createdAt: new Date(r.created_at).toISOString(),
});

/** Queues, inboxes and campaigns. Configured by Contact Admins (C7); a change reaches every user's configuration. */
export class QueuesService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, tenantId: string, opts: { cursor?: string; limit: number }) {
    await requireCapability(this.deps.db, ctx, tenantId, ['queues:view', 'cc:admin', 'users:edit']);
    const rows = await repo.listQueues(this.deps.db, tenantId, {
      limit: opts.limit + 1,
      after: decodeNameCursor(opts.cursor),
    });
    return toPage(
      rows,
      opts.limit,
      (r) => [r.name, r.id],
      (page) => page.map(presentQueue),
    );
  }

  async get(ctx: RequestContext, tenantId: string, id: string): Promise<Queue> {
    await requireCapability(this.deps.db, ctx, tenantId, ['queues:view', 'cc:admin', 'users:edit']);
    const row = await repo.findQueue(this.deps.db, tenantId, id);
    if (!row) throw notFound('queue');
    return presentQueue(row);
  }

  async create(ctx: RequestContext, tenantId: string, input: QueueCreate): Promise<Queue> {
    await requireCapability(this.deps.db, ctx, tenantId, 'cc:admin', 'C7');
    return inTransaction(this.deps, ctx, async (uow) => {
      const version = await uow.nextTenantVersion(tenantId);
      const row = await repo.insertQueue(uow.tx, {
        id: newId('que'),
        tenant_id: tenantId,
        external_id: null,
        name: input.name,
        kind: input.kind ?? 'queue',
        wrap_up_seconds: input.wrapUpSeconds ?? 0,
        version,
      });
      await repo.bumpTenantVersion(uow.tx, tenantId, version);
      // Contact admins and superusers hold every queue's settings: their configurations change (D2).
      uow.publish({ type: 'config', tenantId, userIds: null, version });
      const out = presentQueue(row);
      uow.audit({ tenantId, action: 'queue.create', targetType: 'queue', targetId: row.id, after: out });
      return out;
    });
  }

  async patch(ctx: RequestContext, tenantId: string, id: string, patch: QueuePatch, ifMatch?: string): Promise<Queue> {
    await requireCapability(this.deps.db, ctx, tenantId, 'cc:admin', 'C7');
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findQueue(uow.tx, tenantId, id);
      if (!before) throw notFound('queue');
      assertVersion(ifMatch, Number(before.version));
      // P4: a phone system queue's settings are the phone system's.
      refuseQueueSettingsChange(before, patch);
      const version = await uow.nextTenantVersion(tenantId);
      const row = await repo.updateQueue(uow.tx, tenantId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.kind !== undefined && { kind: patch.kind }),
        ...(patch.wrapUpSeconds !== undefined && { wrap_up_seconds: patch.wrapUpSeconds }),
        version,
      });
      await repo.bumpTenantVersion(uow.tx, tenantId, version);
      const out = presentQueue(row);
      uow.audit({
        tenantId,
        action: 'queue.update',
        targetType: 'queue',
        targetId: id,
        before: presentQueue(before),
        after: out,
      });
      uow.publish({ type: 'config', tenantId, userIds: null, version });
      return out;
    });
  }

  async remove(ctx: RequestContext, tenantId: string, id: string, ifMatch?: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'cc:admin', 'C7');
    await inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findQueue(uow.tx, tenantId, id);
      if (!before) throw notFound('queue');
      assertVersion(ifMatch, Number(before.version));
      const version = await uow.nextTenantVersion(tenantId);
      const members = await repo.deleteQueue(uow.tx, tenantId, id, version);
      await repo.bumpTenantVersion(uow.tx, tenantId, version);
      uow.audit({
        tenantId,
        action: 'queue.delete',
        targetType: 'queue',
        targetId: id,
        before: { ...presentQueue(before), members: members.length },
      });
      uow.publish({ type: 'config', tenantId, userIds: null, version });
    });
  }
}

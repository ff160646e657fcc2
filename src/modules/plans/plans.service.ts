import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { findTenant, updateTenant } from '../tenants/tenants.repo.js';
import * as repo from './plans.repo.js';
import type { Plan, PlanCreate, PlanPatch } from './plans.schemas.js';

function present(r: repo.PlanRow, tenants?: number): Plan {
  return {
    key: r.key,
    name: r.name,
    features: r.features,
    builtin: r.builtin,
    ...(tenants !== undefined && { tenants }),
    version: Number(r.version),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function requireProvider(ctx: RequestContext): void {
  if (ctx.actor.kind !== 'provider')
    throw new AppError('provider_only', 'plans are defined by the provider', { rule: 'C8' });
}

/**
 * Plans (SPEC 7): the built-in catalog plans and the provider's own. The provider reads and writes
 * them all; a tenant's users read their own tenant's plan only. A plan edit reaches every tenant on
 * it: each tenant's version rises in the same transaction, so every node reloads its snapshot and
 * every connected client gets its new configuration (D2).
 */
export class PlansService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext): Promise<Plan[]> {
    if (ctx.actor.kind !== 'provider') return [await this.ownPlan(ctx)];
    const [rows, counts] = await Promise.all([repo.listPlans(this.deps.db), repo.countTenantsByPlan(this.deps.db)]);
    return rows.map((r) => present(r, counts.get(r.key) ?? 0));
  }

  async get(ctx: RequestContext, key: string): Promise<Plan> {
    if (ctx.actor.kind !== 'provider') {
      const own = await this.ownPlan(ctx);
      // Another plan is none of a tenant's business (E4).
      if (own.key !== key) throw notFound('plan');
      return own;
    }
    const row = await repo.findPlan(this.deps.db, key);
    if (!row) throw notFound('plan');
    return present(row, (await repo.countTenantsByPlan(this.deps.db)).get(key) ?? 0);
  }

  async create(ctx: RequestContext, input: PlanCreate): Promise<Plan> {
    requireProvider(ctx);
    return inTransaction(this.deps, ctx, async (uow) => {
      if (await repo.findPlan(uow.tx, input.key))
        throw new AppError('conflict', `a plan with the key ${input.key} exists`, { field: '/key' });
      const row = await repo.insertPlan(uow.tx, {
        key: input.key,
        name: input.name,
        features: input.features,
        version: await uow.nextVersion(),
      });
      const plan = present(row, 0);
      uow.audit({ tenantId: null, action: 'plan.create', targetType: 'plan', targetId: row.key, after: plan });
      return plan;
    });
  }

  async patch(ctx: RequestContext, key: string, patch: PlanPatch, ifMatch?: string): Promise<Plan> {
    requireProvider(ctx);
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findPlan(uow.tx, key, true);
      if (!before) throw notFound('plan');
      if (before.builtin)
        throw new AppError('plan_builtin', `${key} is a built-in plan; define a plan of your own instead`);
      assertVersion(ifMatch, Number(before.version));
      const tenantIds = await repo.listTenantIdsOnPlan(uow.tx, key);
      // Each tenant's version first (the tenant row locked for update, as every tenant-wide change
      // does), then the plan's: every version of this change is above what the tenants had.
      const versions = [];
      const previous = new Map<string, number>();
      for (const t of tenantIds) {
        versions.push(await uow.nextTenantVersion(t));
        previous.set(t, Number((await findTenant(uow.tx, t))!.version));
      }
      const version = await uow.nextVersion();
      const row = await repo.updatePlan(uow.tx, key, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.features !== undefined && { features: patch.features }),
        version,
        updated_at: new Date(),
      });
      const now = new Date();
      for (const [i, t] of tenantIds.entries()) {
        await updateTenant(uow.tx, t, { version: versions[i]!, updated_at: now });
        // The plan's features change every user's effective configuration (D2, F4); a node holding the
        // tenant at its previous version recompiles it with the new features instead of reloading it.
        uow.publish({
          type: 'config',
          tenantId: t,
          userIds: null,
          version: versions[i]!,
          delta: { previousVersion: previous.get(t)!, planFeatures: row.features },
        });
      }
      const plan = present(row, tenantIds.length);
      uow.audit({
        tenantId: null,
        action: 'plan.update',
        targetType: 'plan',
        targetId: key,
        before: present(before, tenantIds.length),
        after: plan,
      });
      return plan;
    });
  }

  /** The plan of the caller's own tenant (a user or an API token); a platform token reads no plan (I6). */
  private async ownPlan(ctx: RequestContext): Promise<Plan> {
    const a = ctx.actor;
    if (a.kind !== 'user')
      throw new AppError('forbidden', 'a platform token may sync and dial-check only', { rule: 'I6' });
    const tenant = await findTenant(this.deps.db, a.tenantId);
    const row = tenant && (await repo.findPlan(this.deps.db, tenant.plan));
    if (!row) throw notFound('plan');
    return present(row);
  }
}

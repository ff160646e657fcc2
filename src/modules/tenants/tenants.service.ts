import { DEFAULT_PLAN, type PlanFeature } from '../../catalog/plans.js';
import { DEFAULT_ROLE_PERMISSIONS } from '../../catalog/role-permissions.js';
import type { Executor } from '../../db/database.js';
import type { TenantRow } from '../../db/schema.js';
import type { BillableKey } from '../../catalog/licences.js';
import type { RequestContext } from '../../infra/context.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import type { Capability } from '../../catalog/capabilities.js';
import { actorPowers, assertTenantScope } from '../access/actor-access.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { findPlanFeatures, listPlans } from '../plans/plans.repo.js';
import {
  deleteTenantRows,
  endTenantSessions,
  findTenant,
  insertTenant,
  listTenants,
  updateTenant,
} from './tenants.repo.js';
import { applyLapsePolicy, countSeatHolders } from '../sessions/sessions.repo.js';
import { assertSessionPolicy, lapseSecondsOf, sessionPolicyOf } from '../sessions/session-policy.js';
import { countBillable } from '../users/users.repo.js';
import type { CapWarning, Tenant, TenantChanged, TenantCreate, TenantDeleted, TenantPatch } from './tenants.schemas.js';

/** Who reads a tenant's whole record besides the provider: its administrators. */
const TENANT_RECORD_READERS: readonly Capability[] = [
  'settings:view',
  'settings:edit',
  'billing:edit',
  'users:view',
  'users:edit',
  'cc:admin',
];

function toTenant(r: TenantRow, planFeatures: readonly PlanFeature[]): Tenant {
  return {
    id: r.id,
    name: r.name,
    plan: r.plan,
    planFeatures: [...planFeatures],
    status: r.status,
    suspendedAt: r.suspended_at ? new Date(r.suspended_at).toISOString() : null,
    homeRegion: r.home_region,
    licencePools: r.licence_pools,
    seats: r.seats,
    policies: r.policies,
    settings: { agentsMayJoinUnassignedQueues: r.role_permissions.organisation.agentsMayJoinUnassignedQueues },
    sessionPolicy: sessionPolicyOf(r.settings),
    version: Number(r.version),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function requireProvider(ctx: RequestContext, what: string): void {
  if (ctx.actor.kind !== 'provider')
    throw new AppError('provider_only', `${what} is the provider's alone`, { rule: 'C8' });
}

/** A plan the tenant may be put on: a built-in plan or one of the provider's (SPEC 7). */
async function assertPlan(db: Executor, plan: string | undefined): Promise<void> {
  if (plan === undefined) return;
  const plans = await listPlans(db);
  if (!plans.some((p) => p.key === plan)) {
    throw new AppError(
      'validation_failed',
      `unknown plan ${plan}; known plans: ${plans.map((p) => p.key).join(', ')}`,
      {
        field: '/plan',
      },
    );
  }
}

/** A tenant's row as the API shows it, with its plan's features. */
async function presentTenant(db: Executor, row: TenantRow): Promise<Tenant> {
  return toTenant(row, await findPlanFeatures(db, row.plan));
}

/** Tenants: created and governed by the provider (C8); tenant admins may rename and change settings. */
export class TenantsService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, input: TenantCreate): Promise<Tenant> {
    requireProvider(ctx, 'creating tenants');
    if (input.sessionPolicy) assertSessionPolicy(this.deps.config, input.sessionPolicy);
    return inTransaction(this.deps, ctx, async (uow) => {
      await assertPlan(uow.tx, input.plan);
      const version = await uow.nextVersion();
      const rolePermissions = structuredClone(DEFAULT_ROLE_PERMISSIONS);
      if (input.settings)
        rolePermissions.organisation.agentsMayJoinUnassignedQueues = input.settings.agentsMayJoinUnassignedQueues;
      const row = await insertTenant(uow.tx, {
        id: newId('tnt'),
        name: input.name,
        plan: input.plan ?? DEFAULT_PLAN,
        home_region: input.homeRegion ?? 'US',
        licence_pools: JSON.stringify(input.licencePools ?? {}),
        seats: input.seats ?? null,
        policies: JSON.stringify(input.policies ?? { agentAddOn: 'manual' }),
        settings: JSON.stringify(input.sessionPolicy ? { sessionPolicy: input.sessionPolicy } : {}),
        role_permissions: JSON.stringify(rolePermissions),
        version,
      });
      const tenant = await presentTenant(uow.tx, row);
      uow.audit({ tenantId: row.id, action: 'tenant.create', targetType: 'tenant', targetId: row.id, after: tenant });
      return tenant;
    });
  }

  async list(
    ctx: RequestContext,
    opts: { cursor?: string; limit: number },
  ): Promise<{ items: Tenant[]; nextCursor: string | null }> {
    if (ctx.actor.kind !== 'provider') {
      const own = await this.readOwn(ctx, ctx.actor.tenantId);
      return { items: own ? [own] : [], nextCursor: null };
    }
    const [rows, plans] = await Promise.all([
      listTenants(this.deps.db, { afterId: opts.cursor, limit: opts.limit + 1 }),
      listPlans(this.deps.db),
    ]);
    const features = new Map(plans.map((p) => [p.key, p.features]));
    const items = rows.slice(0, opts.limit).map((r) => toTenant(r, features.get(r.plan) ?? []));
    return { items, nextCursor: rows.length > opts.limit ? items[items.length - 1]!.id : null };
  }

  async get(ctx: RequestContext, id: string): Promise<Tenant> {
    assertTenantScope(ctx, id);
    const tenant = await this.readOwn(ctx, id);
    if (!tenant) throw notFound('tenant');
    return tenant;
  }

  /**
   * The tenant as this actor may see it: whole for the provider and the tenant's administrators;
   * without pools, seats, policies and settings for a plain user; nothing for a platform token,
   * which may only sync and dial-check (I6).
   */
  private async readOwn(ctx: RequestContext, id: string): Promise<Tenant | null> {
    if (ctx.actor.kind === 'platform')
      throw new AppError('forbidden', 'a platform token may sync and dial-check only', { rule: 'I6' });
    const row = await findTenant(this.deps.db, id);
    if (!row) return null;
    const tenant = await presentTenant(this.deps.db, row);
    if (ctx.actor.kind === 'provider') return tenant;
    const powers = await actorPowers(this.deps.db, ctx, id);
    if (TENANT_RECORD_READERS.some((c) => powers.has(c))) return tenant;
    // The summary is a signed-in user's; an API token reads the tenant only within its scopes (I5).
    if (ctx.actor.kind === 'user' && ctx.actor.scopes)
      throw new AppError('forbidden', `this needs ${TENANT_RECORD_READERS.join(' or ')} in the token's scopes`, {
        rule: 'I5',
      });
    const {
      licencePools: _pools,
      seats: _seats,
      policies: _policies,
      settings: _settings,
      sessionPolicy: _sessionPolicy,
      ...summary
    } = tenant;
    return summary;
  }

  async patch(
    ctx: RequestContext,
    id: string,
    patch: TenantPatch,
    ifMatch?: string,
    opts: { dryRun?: boolean } = {},
  ): Promise<TenantChanged> {
    assertTenantScope(ctx, id);
    const providerFields = (['plan', 'licencePools', 'seats', 'policies'] as const).filter(
      (k) => patch[k] !== undefined,
    );
    if (providerFields.length > 0) requireProvider(ctx, providerFields.join(', '));
    if (ctx.actor.kind !== 'provider') {
      const powers = await actorPowers(this.deps.db, ctx, id);
      if (!powers.has('settings:edit'))
        throw new AppError('forbidden', 'changing tenant settings needs settings:edit', { rule: 'C1' });
      // The organisation setting is a contact-center role permission (SPEC 5): Contact Admins only.
      if (patch.settings && !powers.has('cc:admin'))
        throw new AppError('forbidden', 'agentsMayJoinUnassignedQueues needs cc:admin', {
          rule: 'C7',
          field: '/settings',
        });
    }
    if (patch.sessionPolicy) assertSessionPolicy(this.deps.config, patch.sessionPolicy);
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await findTenant(uow.tx, id, true);
      if (!before) throw notFound('tenant');
      assertVersion(ifMatch, Number(before.version));
      await assertPlan(uow.tx, patch.plan);
      const warnings = await capWarnings(uow.tx, before, patch);
      const beforeTenant = await presentTenant(uow.tx, before);
      if (opts.dryRun) {
        const preview = previewTenant(beforeTenant, patch);
        if (patch.plan !== undefined) preview.planFeatures = await findPlanFeatures(uow.tx, patch.plan);
        return { ...preview, warnings };
      }
      const version = await uow.nextTenantVersion(id);
      const rp = structuredClone(before.role_permissions);
      if (patch.settings) rp.organisation.agentsMayJoinUnassignedQueues = patch.settings.agentsMayJoinUnassignedQueues;
      const row = await updateTenant(uow.tx, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.plan !== undefined && { plan: patch.plan }),
        ...(patch.homeRegion !== undefined && { home_region: patch.homeRegion }),
        ...(patch.licencePools !== undefined && {
          licence_pools: JSON.stringify({ ...before.licence_pools, ...patch.licencePools }),
        }),
        ...(patch.seats !== undefined && { seats: patch.seats }),
        ...(patch.policies !== undefined && { policies: JSON.stringify({ ...before.policies, ...patch.policies }) }),
        ...(patch.sessionPolicy !== undefined && {
          settings: JSON.stringify({
            ...before.settings,
            sessionPolicy: { ...before.settings?.sessionPolicy, ...patch.sessionPolicy },
          }),
        }),
        role_permissions: JSON.stringify(rp),
        version,
        updated_at: new Date(),
      });
      // S3: open sessions take the new lapse at once (a shorter one frees idle seats sooner).
      if (patch.sessionPolicy) await applyLapsePolicy(uow.tx, id, lapseSecondsOf(sessionPolicyOf(row.settings)));
      const after = await presentTenant(uow.tx, row);
      uow.audit({
        tenantId: id,
        action: 'tenant.update',
        targetType: 'tenant',
        targetId: id,
        before: beforeTenant,
        after,
      });
      // Plan, region and settings change every user's effective configuration (D2).
      uow.publish({ type: 'config', tenantId: id, userIds: null, version });
      return { ...after, warnings };
    });
  }

  /**
   * Suspends a tenant (provider only): every session ends and its streams close (D5), sign-ins and
   * every token of the tenant are refused (`tenant_suspended`), nothing is deleted. Suspending a
   * suspended tenant changes nothing.
   */
  async suspend(ctx: RequestContext, id: string): Promise<Tenant> {
    return this.setStatus(ctx, id, 'suspended');
  }

  /** Resumes a suspended tenant (provider only): sign-ins and tokens work again; ended sessions stay ended. */
  async resume(ctx: RequestContext, id: string): Promise<Tenant> {
    return this.setStatus(ctx, id, 'active');
  }

  private async setStatus(ctx: RequestContext, id: string, status: 'active' | 'suspended'): Promise<Tenant> {
    requireProvider(ctx, status === 'suspended' ? 'suspending a tenant' : 'resuming a tenant');
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await findTenant(uow.tx, id, true);
      if (!before) throw notFound('tenant');
      const beforeTenant = await presentTenant(uow.tx, before);
      if (before.status === status) return beforeTenant;
      const version = await uow.nextTenantVersion(id);
      const row = await updateTenant(uow.tx, id, {
        status,
        suspended_at: status === 'suspended' ? new Date() : null,
        version,
        updated_at: new Date(),
      });
      const after = await presentTenant(uow.tx, row);
      // W1: subscribers hear it as tenant.updated (changed: status, suspendedAt).
      uow.audit({
        tenantId: id,
        action: 'tenant.update',
        targetType: 'tenant',
        targetId: id,
        before: beforeTenant,
        after,
      });
      // Every node forgets the tenant's status it cached, so its tokens are refused at once.
      uow.publish({ type: 'tenant', tenantId: id, version });
      if (status === 'suspended') {
        const ended = await endTenantSessions(uow.tx, id, 'tenant_suspended');
        for (const s of ended)
          uow.audit({
            tenantId: id,
            action: 'auth.session_ended',
            targetType: 'session',
            targetId: s.id,
            after: { userId: s.user_id, reason: 'tenant_suspended' },
          });
        if (ended.length)
          uow.publish({
            type: 'revoke',
            tenantId: id,
            sessionIds: ended.map((s) => s.id),
            userIds: null,
            reason: 'tenant_suspended',
          });
      }
      return after;
    });
  }

  /**
   * Deletes a suspended tenant and every row it has, in one transaction (provider only). An active
   * tenant answers 409 `tenant_not_suspended`: suspension first, so its users are out and its
   * credentials refused before anything is gone. Audited in the provider's own chain, since the
   * tenant's chain goes with it.
   */
  async delete(ctx: RequestContext, id: string): Promise<TenantDeleted> {
    requireProvider(ctx, 'deleting a tenant');
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await findTenant(uow.tx, id, true);
      if (!before) throw notFound('tenant');
      if (before.status !== 'suspended')
        throw new AppError(
          'tenant_not_suspended',
          'suspend the tenant before deleting it: its users are signed out first',
        );
      const tenant = await presentTenant(uow.tx, before);
      const deleted = await deleteTenantRows(uow.tx, id);
      uow.audit({
        tenantId: null,
        action: 'tenant.delete',
        targetType: 'tenant',
        targetId: id,
        before: tenant,
        after: { deleted },
      });
      // Nodes drop their snapshot of the tenant (its reload finds nothing).
      uow.publish({ type: 'tenant', tenantId: id, version: await uow.nextVersion() });
      return { id, deleted };
    });
  }
}

/** The tenant as a patch would leave it (for a dry run; the same merge as the update). */
function previewTenant(before: Tenant, patch: TenantPatch): Tenant {
  return {
    ...before,
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.plan !== undefined && { plan: patch.plan }),
    ...(patch.homeRegion !== undefined && { homeRegion: patch.homeRegion }),
    ...(patch.licencePools !== undefined && { licencePools: { ...before.licencePools, ...patch.licencePools } }),
    ...(patch.seats !== undefined && { seats: patch.seats }),
    ...(patch.policies !== undefined && { policies: { ...before.policies!, ...patch.policies } }),
    ...(patch.settings !== undefined && { settings: patch.settings }),
    ...(patch.sessionPolicy !== undefined && { sessionPolicy: { ...before.sessionPolicy!, ...patch.sessionPolicy } }),
  };
}

/**
 * S5: the limits a patch sets below what is in use now: seats below the live sessions holding one,
 * a licence cap below the users holding that licence. Nothing is refused or taken away.
 */
async function capWarnings(db: Executor, before: TenantRow, patch: TenantPatch): Promise<CapWarning[]> {
  const warnings: CapWarning[] = [];
  if (patch.seats !== undefined && patch.seats !== null) {
    const inUse = await countSeatHolders(db, before.id);
    if (inUse > patch.seats)
      warnings.push({
        code: 'seats_below_use',
        rule: 'S5',
        field: '/seats',
        limit: patch.seats,
        inUse,
        detail: `${inUse} in use, ${patch.seats} seats: no session ends, new sign-ins will be refused until fewer than ${patch.seats} are signed in`,
      });
  }
  const caps = Object.entries(patch.licencePools ?? {}).filter(
    (e): e is [BillableKey, number] => typeof e[1] === 'number',
  );
  if (caps.length) {
    const assigned = await countBillable(db, before.id);
    for (const [key, cap] of caps) {
      const inUse = assigned[key] ?? 0;
      if (inUse > cap)
        warnings.push({
          code: 'licence_pool_below_use',
          rule: 'S5',
          field: `/licencePools/${key}`,
          limit: cap,
          inUse,
          detail: `${inUse} users hold ${key}, cap ${cap}: nobody loses it, new assignments will be refused until fewer than ${cap} hold it`,
        });
    }
  }
  return warnings;
}

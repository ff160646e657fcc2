import { DEFAULT_PLAN, PLANS } from '../../catalog/plans.js';
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
import { findTenant, insertTenant, listTenants, updateTenant } from './tenants.repo.js';
import { countSeatHolders } from '../sessions/sessions.repo.js';
import { countBillable } from '../users/users.repo.js';
import type { CapWarning, Tenant, TenantChanged, TenantCreate, TenantPatch } from './tenants.schemas.js';

/** Who reads a tenant's whole record besides the provider: its administrators. */
const TENANT_RECORD_READERS: readonly Capability[] = [
  'settings:view',
  'settings:edit',
  'billing:edit',
  'users:view',
  'users:edit',
  'cc:admin',
];

export function toTenant(r: TenantRow): Tenant {
  return {
    id: r.id,
    name: r.name,
    plan: r.plan,
    homeRegion: r.home_region,
    licencePools: r.licence_pools,
    seats: r.seats,
    policies: r.policies,
    settings: { agentsMayJoinUnassignedQueues: r.role_permissions.organisation.agentsMayJoinUnassignedQueues },
    version: Number(r.version),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function requireProvider(ctx: RequestContext, what: string): void {
  if (ctx.actor.kind !== 'provider')
    throw new AppError('provider_only', `${what} is the provider's alone`, { rule: 'C8' });
}

function assertPlan(plan: string | undefined): void {
  if (plan !== undefined && !PLANS[plan]) {
    throw new AppError('validation_failed', `unknown plan ${plan}; known plans: ${Object.keys(PLANS).join(', ')}`, {
      field: '/plan',
    });
  }
}

/** Tenants: created and governed by the provider (C8); tenant admins may rename and change settings. */
export class TenantsService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, input: TenantCreate): Promise<Tenant> {
    requireProvider(ctx, 'creating tenants');
    assertPlan(input.plan);
    return inTransaction(this.deps, ctx, async (uow) => {
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
        settings: JSON.stringify({}),
        role_permissions: JSON.stringify(rolePermissions),
        version,
      });
      const tenant = toTenant(row);
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
    const rows = await listTenants(this.deps.db, { afterId: opts.cursor, limit: opts.limit + 1 });
    const items = rows.slice(0, opts.limit).map(toTenant);
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
    const tenant = toTenant(row);
    if (ctx.actor.kind === 'provider') return tenant;
    const powers = await actorPowers(this.deps.db, ctx, id);
    if (TENANT_RECORD_READERS.some((c) => powers.has(c))) return tenant;
    // The summary is a signed-in user's; an API token reads the tenant only within its scopes (I5).
    if (ctx.actor.kind === 'user' && ctx.actor.scopes)
      throw new AppError('forbidden', `this needs ${TENANT_RECORD_READERS.join(' or ')} in the token's scopes`, {
        rule: 'I5',
      });
    const { licencePools: _pools, seats: _seats, policies: _policies, settings: _settings, ...summary } = tenant;
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
    assertPlan(patch.plan);
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
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await findTenant(uow.tx, id, true);
      if (!before) throw notFound('tenant');
      assertVersion(ifMatch, Number(before.version));
      const warnings = await capWarnings(uow.tx, before, patch);
      if (opts.dryRun) return { ...previewTenant(toTenant(before), patch), warnings };
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
        role_permissions: JSON.stringify(rp),
        version,
        updated_at: new Date(),
      });
      const after = toTenant(row);
      uow.audit({
        tenantId: id,
        action: 'tenant.update',
        targetType: 'tenant',
        targetId: id,
        before: toTenant(before),
        after,
      });
      // Plan, region and settings change every user's effective configuration (D2).
      uow.publish({ type: 'config', tenantId: id, userIds: null, version });
      return { ...after, warnings };
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

import type { Executor } from '../../db/database.js';
import type { TenantRow, UserRow } from '../../db/schema.js';
import type { QueueInfo, ProfileInfo, TenantAccess, UserAccess } from '../../access/types.js';
import { groupBy } from '../../infra/collections.js';
import { toUserAccess } from '../users/users.mapping.js';
import type { PlanFeature } from '../../catalog/plans.js';
import { findPlanFeatures } from '../plans/plans.repo.js';

/**
 * Tenant access state by (tenant, version). Every change to what it holds (plan and the plan's
 * features: a plan edit raises the version of every tenant on it; role permissions,
 * queues, profiles) bumps the tenant version, and versions are never reused, so an entry is either
 * current or never asked for again; the tenant row itself is read fresh by every caller.
 */
const cache = new Map<string, { version: number; access: TenantAccess }>();
const CACHE_TENANTS = 500;

/** Loads what the engine needs: the tenant with its queues and profiles (cached per tenant version). */
export async function loadTenantAccess(db: Executor, tenant: TenantRow): Promise<TenantAccess> {
  const version = Number(tenant.version);
  const hit = cache.get(tenant.id);
  if (hit && hit.version === version) return hit.access;
  const access = await readTenantAccess(db, tenant);
  if (cache.size >= CACHE_TENANTS) cache.delete(cache.keys().next().value!);
  cache.set(tenant.id, { version, access });
  return access;
}

async function readTenantAccess(db: Executor, tenant: TenantRow): Promise<TenantAccess> {
  const [queues, profiles, planFeatures] = await Promise.all([
    db
      .selectFrom('queues')
      .select(['id', 'name', 'kind', 'wrap_up_seconds'])
      .where('tenant_id', '=', tenant.id)
      .execute(),
    db.selectFrom('profiles').select(['id', 'name', 'grants']).where('tenant_id', '=', tenant.id).execute(),
    findPlanFeatures(db, tenant.plan),
  ]);
  return tenantAccessOf(tenant, planFeatures, queues, profiles);
}

/** The engine's view of a tenant from its row, its plan's features, queues and profiles. */
export function tenantAccessOf(
  tenant: Pick<TenantRow, 'id' | 'plan' | 'home_region' | 'policies' | 'role_permissions'>,
  planFeatures: readonly PlanFeature[],
  queues: ReadonlyArray<{ id: string; name: string; kind: QueueInfo['kind']; wrap_up_seconds: number }>,
  profiles: ReadonlyArray<{ id: string; name: string; grants: ProfileInfo['grants'] }>,
): TenantAccess {
  return {
    id: tenant.id,
    plan: tenant.plan,
    planFeatures,
    homeRegion: tenant.home_region,
    policies: tenant.policies,
    rolePermissions: tenant.role_permissions,
    queues: new Map(
      queues.map((q): [string, QueueInfo] => [
        q.id,
        { id: q.id, name: q.name, kind: q.kind, wrapUpSeconds: q.wrap_up_seconds },
      ]),
    ),
    profiles: new Map(profiles.map((p): [string, ProfileInfo] => [p.id, { id: p.id, name: p.name, grants: p.grants }])),
  };
}

export async function loadUsersAccess(
  db: Executor,
  tenantId: string,
  userIds: string[],
): Promise<Map<string, { row: UserRow; access: UserAccess }>> {
  const out = new Map<string, { row: UserRow; access: UserAccess }>();
  if (userIds.length === 0) return out;
  const unique = [...new Set(userIds)];
  const [rows, devices] = await Promise.all([
    db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', unique).execute(),
    db
      .selectFrom('devices')
      .select(['id', 'kind', 'user_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', unique)
      .execute(),
  ]);
  const byUser = groupBy(devices, (d) => d.user_id);
  for (const row of rows) out.set(row.id, { row, access: toUserAccess(row, byUser.get(row.id) ?? []) });
  return out;
}

/** Sealed SIP credentials of softphone devices, for configurations sent to the owner's own clients. */
export async function findDeviceSecrets(
  db: Executor,
  tenantId: string,
  deviceIds: string[],
): Promise<Array<{ id: string; user_id: string; kind: 'sip' | 'webrtc'; sip_secret: string }>> {
  if (deviceIds.length === 0) return [];
  return db
    .selectFrom('devices')
    .select(['id', 'user_id', 'kind', 'sip_secret'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', deviceIds)
    .execute();
}

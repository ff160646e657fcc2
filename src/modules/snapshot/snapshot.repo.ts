import { sql, type Selectable } from 'kysely';
import type { Capability, PlanFeature } from '../../catalog/index.js';
import { findPlanFeatures } from '../plans/plans.repo.js';
import type { Db, Executor } from '../../db/database.js';
import type { DevicesTable, TenantsTable, UsersTable } from '../../db/schema.js';

/**
 * SQL of the live snapshot: exactly the columns access decisions and explanations read, never a
 * password hash, display names or timestamps. A tenant loads in one repeatable-read transaction, so
 * its users, queues and profiles are one consistent state.
 */

const DEVICE_COLUMNS = ['id', 'kind', 'user_id', 'sip_secret'] as const;
const TENANT_COLUMNS = ['id', 'plan', 'home_region', 'policies', 'role_permissions', 'version'] as const;
const USER_COLUMNS = [
  'id',
  'source',
  'status',
  'email',
  'extension',
  'licences',
  'supervisor_level',
  'permissions',
  'recording_scope',
  'uc_client',
  'group_ids',
  'primary_group_id',
  'workspaces',
  'contact_center',
  'profile',
  'features',
  'preferences',
  'version',
] as const;

type SnapshotTenantRow = Pick<Selectable<TenantsTable>, (typeof TENANT_COLUMNS)[number]>;
type SnapshotUserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;
/** `sip_secret` stays sealed (AES-GCM, as stored): it is opened only for an answer to the user's own client. */
type SnapshotDeviceRow = Pick<Selectable<DevicesTable>, (typeof DEVICE_COLUMNS)[number]>;

export interface TenantRows {
  tenant: SnapshotTenantRow;
  queues: Array<{ id: string; name: string; kind: 'queue' | 'inbox' | 'campaign'; wrap_up_seconds: number }>;
  profiles: Array<{ id: string; name: string; grants: Capability[] }>;
  /** The features of the tenant's plan (SPEC 7). */
  planFeatures: PlanFeature[];
  /** The global change sequence when the load began: every change committed before it is in these rows. */
  seq: number;
}

export interface UserRows {
  users: SnapshotUserRow[];
  devices: SnapshotDeviceRow[];
}

/** IN lists stay well under PostgreSQL's parameter limit. */
const CHUNK = 5_000;

async function changeSeq(db: Executor): Promise<number> {
  const r = await sql<{ v: string }>`select last_value::text as v from change_seq`.execute(db);
  return Number(r.rows[0]?.v ?? 0);
}

async function readTenant(db: Executor, tenantId: string): Promise<TenantRows | null> {
  const seq = await changeSeq(db);
  const tenant = await db.selectFrom('tenants').select(TENANT_COLUMNS).where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) return null;
  const [queues, profiles, planFeatures] = await Promise.all([
    db
      .selectFrom('queues')
      .select(['id', 'name', 'kind', 'wrap_up_seconds'])
      .where('tenant_id', '=', tenantId)
      .execute(),
    db.selectFrom('profiles').select(['id', 'name', 'grants']).where('tenant_id', '=', tenantId).execute(),
    findPlanFeatures(db, tenant.plan),
  ]);
  return { tenant, queues, profiles, planFeatures, seq };
}

async function readUsers(db: Executor, tenantId: string, ids: readonly string[] | null): Promise<UserRows> {
  if (ids === null) {
    const [users, devices] = await Promise.all([
      db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId).execute(),
      db.selectFrom('devices').select(DEVICE_COLUMNS).where('tenant_id', '=', tenantId).execute(),
    ]);
    return { users, devices };
  }
  const out: UserRows = { users: [], devices: [] };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const slice = ids.slice(i, i + CHUNK);
    const [users, devices] = await Promise.all([
      db.selectFrom('users').select(USER_COLUMNS).where('tenant_id', '=', tenantId).where('id', 'in', slice).execute(),
      db
        .selectFrom('devices')
        .select(DEVICE_COLUMNS)
        .where('tenant_id', '=', tenantId)
        .where('user_id', 'in', slice)
        .execute(),
    ]);
    out.users.push(...users);
    out.devices.push(...devices);
  }
  return out;
}

/** A whole tenant: its access state and every user's, as one consistent state. Null when there is no such tenant. */
export async function loadTenantRows(db: Db, tenantId: string): Promise<(TenantRows & UserRows) | null> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const tenant = await readTenant(tx, tenantId);
      return tenant && { ...tenant, ...(await readUsers(tx, tenantId, null)) };
    });
}

/**
 * Some users of a tenant (those absent from the answer no longer exist or belong to another tenant),
 * with the tenant row's version at the same moment (null when the tenant is gone): a caller whose
 * tenant state is older reloads the tenant.
 */
export async function loadUserRows(
  db: Db,
  tenantId: string,
  userIds: readonly string[],
): Promise<UserRows & { tenantVersion: number | null }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const tenant = await tx.selectFrom('tenants').select('version').where('id', '=', tenantId).executeTakeFirst();
      return { tenantVersion: tenant ? Number(tenant.version) : null, ...(await readUsers(tx, tenantId, userIds)) };
    });
}

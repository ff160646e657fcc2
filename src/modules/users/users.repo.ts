import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { afterNameKey } from '../../db/keyset.js';
import type { NameKey } from '../../infra/paging.js';
import type { DeviceRow, UserRow, UsersTable } from '../../db/schema.js';
import { BILLABLE_KEYS, type BillableKey, type Licence, type SupervisorLevel } from '../../catalog/licences.js';

export async function findUser(
  db: Executor,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<UserRow | undefined> {
  let q = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findDevices(db: Executor, tenantId: string, userIds: string[]): Promise<DeviceRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('devices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', userIds)
    .orderBy('name')
    .execute();
}

export async function updateUser(
  db: Executor,
  tenantId: string,
  id: string,
  set: Updateable<UsersTable>,
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteUser(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('user_id', '=', id).execute();
  await db.deleteFrom('users').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export interface UserFilter {
  tenantId: string;
  q?: string;
  source?: UserRow['source'];
  status?: UserRow['status'];
  licence?: Licence;
  supervisorLevel?: SupervisorLevel;
  group?: string;
  queue?: string;
  after?: NameKey;
  limit: number;
}

/** A page of users ordered by display name then id; the cursor is the last (name, id). */
export async function listUsers(db: Executor, f: UserFilter): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('display_name', 'ilike', like), eb('email', 'ilike', like), eb('extension', 'ilike', like)]),
    );
  }
  if (f.source) q = q.where('source', '=', f.source);
  if (f.status) q = q.where('status', '=', f.status);
  else q = q.where('status', '<>', 'removed');
  if (f.licence) q = q.where(sql<boolean>`${f.licence} = any(licences)`);
  if (f.supervisorLevel) q = q.where('supervisor_level', '=', f.supervisorLevel);
  if (f.group) q = q.where(sql<boolean>`${f.group} = any(group_ids)`);
  if (f.queue) q = q.where(sql<boolean>`contact_center->'queues' ? ${f.queue}`);
  if (f.after) q = q.where(afterNameKey('display_name', f.after));
  return q.orderBy('display_name').orderBy('id').limit(f.limit).execute();
}

/** Assigned count of every billable key in the tenant (C6, B1). Removed users hold nothing. */
/** One count column per billable key, over the `users` rows of the query it is part of. */
const billableCounts = sql`
  count(*) filter (where 'essential' = any(licences))::int as essential,
  count(*) filter (where 'agent' = any(licences))::int as agent,
  count(*) filter (where 'crm' = any(licences))::int as crm,
  count(*) filter (where 'softphone' = any(licences))::int as softphone,
  count(*) filter (where supervisor_level = 'report')::int as supervisor_report,
  count(*) filter (where supervisor_level = 'analytics')::int as supervisor_analytics,
  count(*) filter (where supervisor_level = 'live')::int as supervisor_live,
  count(*) filter (where supervisor_level = 'contact_center')::int as supervisor_contact_center`;

const toCounts = (row: Partial<Record<BillableKey, number>>) =>
  Object.fromEntries(BILLABLE_KEYS.map((k) => [k, Number(row[k] ?? 0)])) as Record<BillableKey, number>;

export async function countBillable(db: Executor, tenantId: string): Promise<Record<BillableKey, number>> {
  const r = await sql<
    Record<BillableKey, number>
  >`select ${billableCounts} from users where tenant_id = ${tenantId} and status <> 'removed'`.execute(db);
  return toCounts(r.rows[0]!);
}

/** Assigned counts of every tenant with any user (B1: the provider sees all tenants). */
export async function countBillableByTenant(db: Executor): Promise<Map<string, Record<BillableKey, number>>> {
  const r = await sql<Record<BillableKey, number> & { tenant_id: string }>`
    select tenant_id, ${billableCounts} from users where status <> 'removed' group by tenant_id`.execute(db);
  return new Map(r.rows.map((row) => [row.tenant_id, toCounts(row)]));
}

/** G2: another user of the tenant with website access signs in with this email (case-insensitive). */
export async function emailTakenByWebsiteUser(
  db: Executor,
  tenantId: string,
  email: string,
  exceptUserId: string | null,
): Promise<boolean> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('status', '<>', 'removed')
    .where(sql<boolean>`'website_access' = any(permissions)`);
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Active users (other than one) who may be tenant admins: website access and a source of users:edit. */
export async function adminCandidates(db: Executor, tenantId: string, exceptUserId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '<>', exceptUserId)
    .where('status', '=', 'active')
    .where(sql<boolean>`'website_access' = any(permissions)`)
    .where((eb) =>
      eb.or([eb(sql`'manage_users'`, '=', sql`any(permissions)`), eb(sql`profile->>'kind'`, '<>', 'none')]),
    )
    .limit(50)
    .execute();
  return rows.map((r) => r.id);
}

export async function existingIds(
  db: Executor,
  table: 'groups' | 'workspaces',
  tenantId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Inserts many users in one statement (a CSV import's batch). */
export async function insertUsers(db: Executor, rows: Array<Insertable<UsersTable>>): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('users').values(rows).returningAll().execute();
}

/** Every id of a tenant's groups or workspaces (what `existingIds` checks, read once for many changes). */
export async function tenantIds(db: Executor, table: 'groups' | 'workspaces', tenantId: string): Promise<Set<string>> {
  const rows = await db.selectFrom(table).select('id').where('tenant_id', '=', tenantId).execute();
  return new Set(rows.map((r) => r.id));
}

/** G2: the emails users with website access sign in with (what `emailTakenByWebsiteUser` checks, read once). */
export async function websiteLoginEmails(
  db: Executor,
  tenantId: string,
): Promise<Array<{ id: string; email: string }>> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('email', 'is not', null)
    .where('status', '<>', 'removed')
    .where(sql<boolean>`'website_access' = any(permissions)`)
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email! }));
}

/** `n` values of the global change sequence in one round trip. */
export async function takeVersions(db: Executor, n: number): Promise<number[]> {
  const r = await sql<{ v: string }>`select nextval('change_seq')::int8 as v from generate_series(1, ${n})`.execute(db);
  return r.rows.map((row) => Number(row.v)).sort((a, b) => a - b);
}

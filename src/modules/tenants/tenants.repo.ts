import type { Executor } from '../../db/database.js';
import type { TenantRow } from '../../db/schema.js';
import type { Insertable, Updateable } from 'kysely';
import type { TenantsTable } from '../../db/schema.js';

export async function findTenant(db: Executor, id: string, forUpdate = false): Promise<TenantRow | undefined> {
  let q = db.selectFrom('tenants').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertTenant(db: Executor, row: Insertable<TenantsTable>): Promise<TenantRow> {
  return db.insertInto('tenants').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTenant(db: Executor, id: string, set: Updateable<TenantsTable>): Promise<TenantRow> {
  return db.updateTable('tenants').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listTenants(db: Executor, opts: { afterId?: string; limit: number }): Promise<TenantRow[]> {
  let q = db.selectFrom('tenants').selectAll();
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  return q.orderBy('id').limit(opts.limit).execute();
}

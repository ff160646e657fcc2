import { sql } from 'kysely';
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

/** The tenant's status (`active` | `suspended`), undefined when there is no such tenant. */
export async function findTenantStatus(db: Executor, id: string): Promise<'active' | 'suspended' | undefined> {
  const row = await db.selectFrom('tenants').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/**
 * Every table holding tenant rows (a `tenant_id` column; partitioned tables once, their partitions
 * with them), children before the tables they reference, so deleting in this order meets no
 * foreign key. Read from the catalog, so a table added later is deleted too without a change here.
 */
async function tenantTables(db: Executor): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    where a.attname = 'tenant_id' and not a.attisdropped and c.relkind in ('r', 'p') and not c.relispartition
      and c.relnamespace = current_schema()::regnamespace and c.relname <> 'tenants'
    order by c.relname`.execute(db);
  const edges = await sql<{ child: string; parent: string }>`
    select ch.relname as child, pa.relname as parent
    from pg_constraint co
    join pg_class ch on ch.oid = co.conrelid
    join pg_class pa on pa.oid = co.confrelid
    where co.contype = 'f' and ch.relnamespace = current_schema()::regnamespace and ch.oid <> pa.oid`.execute(db);
  const names = tables.rows.map((r) => r.name);
  const referencedBy = new Map<string, string[]>();
  for (const e of edges.rows) {
    if (!names.includes(e.child) || !names.includes(e.parent)) continue;
    referencedBy.set(e.parent, [...(referencedBy.get(e.parent) ?? []), e.child]);
  }
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const child of referencedBy.get(t) ?? []) visit(child, path);
    path.delete(t);
    ordered.push(t);
  };
  for (const t of names) visit(t, new Set());
  return ordered;
}

/**
 * Deletes every row of a tenant, then the tenant: users, devices, groups, call data, audit entries
 * and their chain head, outbox, webhooks, SCIM, tokens, sessions... (in the caller's transaction).
 * Answers how many rows each table lost (tables that lost none are left out).
 */
export async function deleteTenantRows(db: Executor, tenantId: string): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  // Sign-ins in flight name an issuer, not a tenant.
  await sql`delete from oidc_flows where issuer_id in (select id from oidc_issuers where tenant_id = ${tenantId})`.execute(
    db,
  );
  for (const table of await tenantTables(db)) {
    const r = await sql`delete from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    if (n > 0) deleted[table] = n;
  }
  await db.deleteFrom('audit_heads').where('chain', '=', tenantId).execute();
  await db.deleteFrom('tenants').where('id', '=', tenantId).execute();
  return deleted;
}

/** Ends every session of the tenant still open (suspension); answers their ids and users. */
export async function endTenantSessions(
  db: Executor,
  tenantId: string,
  reason: string,
): Promise<Array<{ id: string; user_id: string }>> {
  return db
    .updateTable('sessions')
    .set({ ended_at: sql`now()`, ended_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('ended_at', 'is', null)
    .returning(['id', 'user_id'])
    .execute();
}

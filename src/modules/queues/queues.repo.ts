import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { afterNameKey } from '../../db/keyset.js';
import type { NameKey } from '../../infra/paging.js';
import type { QueueRow, QueuesTable } from '../../db/schema.js';

export async function listQueues(
  db: Executor,
  tenantId: string,
  opts: { after?: NameKey; limit: number },
): Promise<QueueRow[]> {
  let q = db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId);
  if (opts.after) q = q.where(afterNameKey('name', opts.after));
  return q.orderBy('name').orderBy('id').limit(opts.limit).execute();
}

export async function findQueue(db: Executor, tenantId: string, id: string): Promise<QueueRow | undefined> {
  return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function insertQueue(db: Executor, row: Omit<QueueRow, 'created_at'>): Promise<QueueRow> {
  return db.insertInto('queues').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateQueue(
  db: Executor,
  tenantId: string,
  id: string,
  set: Updateable<QueuesTable>,
): Promise<QueueRow> {
  return db
    .updateTable('queues')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a queue and takes it out of every user's queue roles and ACD membership; returns the users changed. */
export async function deleteQueue(db: Executor, tenantId: string, id: string, version: number): Promise<string[]> {
  const rows = await db
    .updateTable('users')
    .set({
      contact_center: sql`jsonb_set(contact_center, '{queues}', (contact_center->'queues') - ${id}::text)`,
      acd_queue_ids: sql`array_remove(acd_queue_ids, ${id})`,
      version,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb(sql`contact_center->'queues'`, '?', id), eb(sql`${id}`, '=', sql`any(acd_queue_ids)`)]))
    .returning('id')
    .execute();
  await db.deleteFrom('queues').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  return rows.map((r) => r.id);
}

/** Bumps the tenant's version: a change every user's configuration may depend on (D2). */
export async function bumpTenantVersion(db: Executor, tenantId: string, version: number): Promise<void> {
  await db.updateTable('tenants').set({ version, updated_at: new Date() }).where('id', '=', tenantId).execute();
}

import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { afterNameKey } from '../../db/keyset.js';
import type { NameKey } from '../../infra/paging.js';
import type { ProfileRow, ProfilesTable } from '../../db/schema.js';

export async function listProfiles(
  db: Executor,
  tenantId: string,
  opts: { after?: NameKey; limit: number },
): Promise<ProfileRow[]> {
  let q = db.selectFrom('profiles').selectAll().where('tenant_id', '=', tenantId);
  if (opts.after) q = q.where(afterNameKey('name', opts.after));
  return q.orderBy('name').orderBy('id').limit(opts.limit).execute();
}

export async function findProfile(
  db: Executor,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<ProfileRow | undefined> {
  let q = db.selectFrom('profiles').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertProfile(db: Executor, row: Omit<ProfileRow, 'created_at'>): Promise<ProfileRow> {
  return db.insertInto('profiles').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateProfile(
  db: Executor,
  tenantId: string,
  id: string,
  set: Updateable<ProfilesTable>,
): Promise<ProfileRow> {
  return db
    .updateTable('profiles')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteProfile(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('profiles').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

const holds = (id: string) => sql<boolean>`profile->>'kind' = 'profile' and profile->>'profileId' = ${id}`;

/** Users holding each profile (removed users hold nothing). */
export async function countHolders(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select([sql<string>`profile->>'profileId'`.as('pid'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', '<>', 'removed')
    .where(sql<boolean>`profile->>'kind' = 'profile'`)
    .where(sql<string>`profile->>'profileId'`, 'in', ids)
    .groupBy(sql`profile->>'profileId'`)
    .execute();
  return new Map(rows.map((r) => [r.pid, Number(r.n)]));
}

/** Moves every holder of a profile to another profile (or none); returns the users changed. */
export async function moveHolders(
  db: Executor,
  tenantId: string,
  fromId: string,
  to: string | null,
  version: number,
): Promise<string[]> {
  const profile = to ? JSON.stringify({ kind: 'profile', profileId: to }) : JSON.stringify({ kind: 'none' });
  const rows = await db
    .updateTable('users')
    .set({ profile, version, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where(holds(fromId))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { afterNameKey } from '../../db/keyset.js';
import type { NameKey } from '../../infra/paging.js';

/** Groups and workspaces: tenant-scoped named things users belong to. */
export type NamedTableName = 'groups' | 'workspaces';

export interface NamedRow {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  created_at: Date;
}

export async function listNamed(
  db: Executor,
  table: NamedTableName,
  tenantId: string,
  opts: { after?: NameKey; limit: number },
): Promise<NamedRow[]> {
  let q = db.selectFrom(table).selectAll().where('tenant_id', '=', tenantId);
  if (opts.after) q = q.where(afterNameKey('name', opts.after));
  return await q.orderBy('name').orderBy('id').limit(opts.limit).execute();
}

export async function findNamed(
  db: Executor,
  table: NamedTableName,
  tenantId: string,
  id: string,
): Promise<NamedRow | undefined> {
  return await db
    .selectFrom(table)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertNamed(
  db: Executor,
  table: NamedTableName,
  row: { id: string; tenant_id: string; name: string; version: number },
): Promise<NamedRow> {
  return await db.insertInto(table).values(row).returningAll().executeTakeFirstOrThrow();
}

export async function renameNamed(
  db: Executor,
  table: NamedTableName,
  tenantId: string,
  id: string,
  name: string,
  version: number,
): Promise<NamedRow> {
  return await db
    .updateTable(table)
    .set({ name, version })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteNamed(db: Executor, table: NamedTableName, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom(table).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Takes every member out of a deleted group (A4: the primary group clears with it); returns the users changed. */
export async function detachGroup(db: Executor, tenantId: string, groupId: string, version: number): Promise<string[]> {
  const rows = await db
    .updateTable('users')
    .set({
      group_ids: sql`array_remove(group_ids, ${groupId})`,
      primary_group_id: sql`case when primary_group_id = ${groupId} then null else primary_group_id end`,
      version,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`${groupId} = any(group_ids)`)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Takes every member out of a deleted workspace. */
export async function detachWorkspace(
  db: Executor,
  tenantId: string,
  workspaceId: string,
  version: number,
): Promise<string[]> {
  const rows = await db
    .updateTable('users')
    .set({ workspaces: sql`workspaces - ${workspaceId}::text`, version, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`workspaces ? ${workspaceId}`)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

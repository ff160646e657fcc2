import { sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.js';
import type { UserImportJobsTable, UserRow } from '../../db/schema.js';
import type { Insertable, Selectable, Updateable } from 'kysely';

export type ImportJobRow = Selectable<UserImportJobsTable>;

export async function insertJob(db: Executor, row: Insertable<UserImportJobsTable>): Promise<ImportJobRow> {
  return db.insertInto('user_import_jobs').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateJob(
  db: Executor,
  tenantId: string,
  id: string,
  set: Updateable<UserImportJobsTable>,
): Promise<void> {
  await db.updateTable('user_import_jobs').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function findJob(db: Executor, tenantId: string, id: string): Promise<ImportJobRow | undefined> {
  return db
    .selectFrom('user_import_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The user an import row names: by id, by the phone system's external id, or by email (case-insensitive). */
export async function findUserBy(
  db: Executor,
  tenantId: string,
  by: 'id' | 'externalId' | 'email',
  value: string,
): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  if (by === 'id') q = q.where('id', '=', value);
  else if (by === 'externalId') q = q.where('external_id', '=', value);
  else q = q.where(sql<boolean>`lower(email) = lower(${value})`).where('status', '<>', 'removed');
  return q.limit(2).execute();
}

/** One import row is tried inside a savepoint, so a refused row leaves the rows before it as they were. */
export async function savepoint(tx: Tx): Promise<void> {
  await sql`savepoint import_row`.execute(tx);
}
export async function releaseSavepoint(tx: Tx): Promise<void> {
  await sql`release savepoint import_row`.execute(tx);
}
export async function rollbackToSavepoint(tx: Tx): Promise<void> {
  await sql`rollback to savepoint import_row`.execute(tx);
}

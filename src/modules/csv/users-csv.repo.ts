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

/**
 * The users some import rows name, in one read: by id, by the phone system's external id, or by
 * email (case-insensitive, removed users left out).
 */
export async function findUsersNamed(
  db: Executor,
  tenantId: string,
  named: { ids: string[]; externalIds: string[]; emails: string[] },
): Promise<UserRow[]> {
  const { ids, externalIds, emails } = named;
  if (ids.length + externalIds.length + emails.length === 0) return [];
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(externalIds.length ? [eb('external_id', 'in', externalIds)] : []),
        ...(emails.length ? [eb.and([eb(sql`lower(email)`, 'in', emails), eb('status', '<>', 'removed')])] : []),
      ]),
    )
    .execute();
}

/** A job still `running` whose lease ran out (its node stopped) is marked failed; answers whether it was. */
export async function failLapsedJob(
  db: Executor,
  tenantId: string,
  id: string,
  result: Record<string, unknown>,
): Promise<boolean> {
  const r = await db
    .updateTable('user_import_jobs')
    .set({ status: 'failed', result: JSON.stringify(result), finished_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_until', '<', new Date())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** One import row (or batch of rows) is tried inside a savepoint, so a refusal leaves the rows before it as they were. */
export async function savepoint(tx: Tx): Promise<void> {
  await sql`savepoint import_row`.execute(tx);
}
export async function releaseSavepoint(tx: Tx): Promise<void> {
  await sql`release savepoint import_row`.execute(tx);
}
export async function rollbackToSavepoint(tx: Tx): Promise<void> {
  await sql`rollback to savepoint import_row`.execute(tx);
}

import { sql } from 'kysely';
import type { Tx } from './database.js';

/** The next value of the global change sequence: every version comes from it, so versions only grow. */
export async function nextChangeSeq(tx: Tx): Promise<number> {
  const r = await sql<{ v: number }>`select nextval('change_seq')::int8 as v`.execute(tx);
  return Number(r.rows[0]!.v);
}

/**
 * Locks a tenant's row for the rest of the transaction (share: user writers; update: tenant-wide
 * writers). Returns false when the tenant does not exist.
 */
export async function lockTenantRow(tx: Tx, tenantId: string, mode: 'share' | 'update'): Promise<boolean> {
  const r = await (
    mode === 'share'
      ? sql`select 1 from tenants where id = ${tenantId} for share`
      : sql`select 1 from tenants where id = ${tenantId} for update`
  ).execute(tx);
  return r.rows.length > 0;
}

/** A transaction-scoped advisory lock on a name; released at commit or rollback. */
export async function advisoryXactLock(tx: Tx, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(tx);
}

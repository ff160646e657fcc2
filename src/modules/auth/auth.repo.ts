import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import type { UserRow } from '../../db/schema.js';
import { appendAudit } from '../../infra/audit-sink.repo.js';
import type { AuditInput } from '../../infra/audit-chain.js';

/** At most this many accounts share one email (G2: one per tenant with website access, app users besides). */
const MAX_CANDIDATES = 20;

/**
 * Users who could be signing in with this email: not removed and with a password (I1), optionally
 * in one organisation only (the person's choice, G2).
 */
export async function findLoginCandidates(db: Executor, email: string, tenantId?: string): Promise<UserRow[]> {
  let q = db
    .selectFrom('users')
    .selectAll()
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('status', '<>', 'removed')
    .where('password_hash', 'is not', null);
  if (tenantId) q = q.where('tenant_id', '=', tenantId);
  return q.orderBy('created_at').limit(MAX_CANDIDATES).execute();
}

/** The names of these tenants (the organisations a person chooses between at sign-in, G2). */
export async function tenantNames(db: Executor, tenantIds: string[]): Promise<Map<string, string>> {
  return new Map([...(await tenantsNamed(db, tenantIds))].map(([id, t]) => [id, t.name]));
}

/** These tenants' names and whether the provider suspended them. */
export async function tenantsNamed(
  db: Executor,
  tenantIds: string[],
): Promise<Map<string, { name: string; suspended: boolean }>> {
  if (!tenantIds.length) return new Map();
  const rows = await db.selectFrom('tenants').select(['id', 'name', 'status']).where('id', 'in', tenantIds).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, suspended: r.status === 'suspended' }]));
}

/** Active users with this email (the recipients of a reset link). */
export async function findActiveUsersByEmail(db: Executor, email: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('status', '=', 'active')
    .orderBy('created_at')
    .limit(MAX_CANDIDATES)
    .execute();
}

/** A user of the tenant (any status). */
export async function findUser(db: Executor, tenantId: string, userId: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Stores a new password hash (scrypt, I1). */
export async function setPasswordHash(db: Executor, tenantId: string, userId: string, hash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}

/** Writes audit entries outside any change (refused logins have no actor and nothing else to commit). */
export async function auditStandalone(db: Db, entries: AuditInput[]): Promise<void> {
  await db.transaction().execute((tx) => appendAudit(tx, entries));
}

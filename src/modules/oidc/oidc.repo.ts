import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OidcFlowsTable, OidcIssuersTable, UserRow } from '../../db/schema.js';

export type OidcIssuerRow = Selectable<OidcIssuersTable>;
export type OidcFlowRow = Selectable<OidcFlowsTable>;

/** Stores an issuer configuration (client secret already sealed). */
export async function insertIssuer(db: Executor, row: Omit<OidcIssuerRow, 'created_at'>): Promise<OidcIssuerRow> {
  return db.insertInto('oidc_issuers').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The tenant's issuers, oldest first. */
export async function listIssuers(db: Executor, tenantId: string): Promise<OidcIssuerRow[]> {
  return db.selectFrom('oidc_issuers').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
}

/** An issuer by id, whatever its tenant (sign-in starts from the id alone). */
export async function findIssuer(db: Executor, id: string): Promise<OidcIssuerRow | undefined> {
  return db.selectFrom('oidc_issuers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes an issuer of the tenant; undefined when there is none. */
export async function deleteIssuer(db: Executor, tenantId: string, id: string): Promise<OidcIssuerRow | undefined> {
  return db
    .deleteFrom('oidc_issuers')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Remembers a sign-in in flight; expired ones are cleared on the way. */
export async function insertFlow(
  db: Executor,
  row: Omit<OidcFlowRow, 'expires_at'>,
  ttlSeconds: number,
): Promise<void> {
  await db
    .deleteFrom('oidc_flows')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
  await db
    .insertInto('oidc_flows')
    .values({ ...row, expires_at: sql`now() + ${ttlSeconds} * interval '1 second'` })
    .execute();
}

/** Takes a sign-in in flight by its state, once: a replayed callback finds nothing. */
export async function takeFlow(db: Executor, state: string): Promise<OidcFlowRow | undefined> {
  return db
    .deleteFrom('oidc_flows')
    .where('state', '=', state)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/** I2: users of the tenant with website access and this email (G2, unique per tenant, makes it at most one). */
export async function findWebsiteUserByEmail(
  db: Executor,
  tenantId: string,
  email: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('status', '<>', 'removed')
    .where(sql<boolean>`'website_access' = any(permissions)`)
    .executeTakeFirst();
}

/** Changes an issuer of the tenant; undefined when the tenant has no such issuer. */
export async function updateIssuer(
  db: Executor,
  tenantId: string,
  id: string,
  set: Partial<Pick<OidcIssuerRow, 'name' | 'issuer' | 'client_id' | 'client_secret'>>,
): Promise<OidcIssuerRow | undefined> {
  return db
    .updateTable('oidc_issuers')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

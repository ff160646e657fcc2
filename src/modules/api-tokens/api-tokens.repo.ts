import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ApiTokensTable } from '../../db/schema.js';

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Stores a new API token by its hash. */
export async function insertApiToken(
  db: Executor,
  row: Omit<ApiTokenRow, 'created_at' | 'last_used_at' | 'last_used_addr' | 'revoked_at'>,
): Promise<ApiTokenRow> {
  return db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The tenant's tokens that are not revoked (expired ones included, so they can be cleaned up). */
export async function listApiTokens(db: Executor, tenantId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
}

/** Revokes a token of the tenant; undefined when there is none to revoke. */
export async function revokeApiToken(db: Executor, tenantId: string, id: string): Promise<ApiTokenRow | undefined> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** A usable token: not revoked, not expired, its user active (a suspended user's tokens stop working, G13). */
export async function findUsableApiToken(db: Executor, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll('api_tokens')
    .innerJoin('users', (j) =>
      j.onRef('users.id', '=', 'api_tokens.user_id').onRef('users.tenant_id', '=', 'api_tokens.tenant_id'),
    )
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]))
    .where('users.status', '=', 'active')
    .executeTakeFirst();
}

/**
 * Records the use of a token (I5: last use) at most once a minute; returns true when it did, so
 * the caller audits that use with its address without writing an audit entry per request.
 */
export async function recordTokenUse(
  db: Executor,
  table: 'api_tokens' | 'platform_tokens',
  id: string,
  clientAddr: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable(table)
    .set({ last_used_at: sql`now()`, last_used_addr: clientAddr })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '60 seconds'`)]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

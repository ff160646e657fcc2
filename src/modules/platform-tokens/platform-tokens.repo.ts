import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PlatformTokensTable } from '../../db/schema.js';

export type PlatformTokenRow = Selectable<PlatformTokensTable>;

/** Stores a new platform token by its hash. */
export async function insertPlatformToken(
  db: Executor,
  row: { id: string; tenant_id: string; token_hash: string; name: string | null },
): Promise<PlatformTokenRow> {
  return db.insertInto('platform_tokens').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The tenant's platform tokens that are not revoked. */
export async function listPlatformTokens(db: Executor, tenantId: string): Promise<PlatformTokenRow[]> {
  return db
    .selectFrom('platform_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes a platform token of the tenant; undefined when there is none to revoke. */
export async function revokePlatformToken(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PlatformTokenRow | undefined> {
  return db
    .updateTable('platform_tokens')
    .set({ revoked_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** The live (unrevoked) platform token with this hash, if any. */
export async function findLivePlatformToken(
  db: Executor,
  tokenHash: string,
): Promise<{ id: string; tenant_id: string } | undefined> {
  return db
    .selectFrom('platform_tokens')
    .select(['id', 'tenant_id'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

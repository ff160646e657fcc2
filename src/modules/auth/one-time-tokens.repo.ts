import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OneTimeTokensTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type OneTimeTokenRow = Selectable<OneTimeTokensTable>;

/** Stores a link token by its hash, expiring `ttlSeconds` from now (I3). */
export async function insertOneTimeToken(
  db: Executor,
  row: Omit<OneTimeTokenRow, 'created_at' | 'used_at' | 'expires_at'> & { ttlSeconds: number },
): Promise<OneTimeTokenRow> {
  const [inserted] = await insertOneTimeTokens(db, [row]);
  return inserted!;
}

/** Stores many link tokens in one statement (invitations of a CSV import's new users). */
export async function insertOneTimeTokens(
  db: Executor,
  rows: Array<Omit<OneTimeTokenRow, 'created_at' | 'used_at' | 'expires_at'> & { ttlSeconds: number }>,
): Promise<OneTimeTokenRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('one_time_tokens')
    .values(
      rows.map(({ ttlSeconds, ...values }) => ({
        ...values,
        expires_at: sql`now() + ${ttlSeconds} * interval '1 second'`,
      })),
    )
    .returningAll()
    .execute();
}

/**
 * Takes a link's token for use: marks it used if it is unused, unexpired and of this purpose, in
 * one statement, so two concurrent redemptions cannot both succeed (single-use, I3).
 */
export async function consumeOneTimeToken(
  db: Executor,
  tokenHash: string,
  purpose: OneTimeTokenRow['purpose'],
): Promise<OneTimeTokenRow | undefined> {
  return db
    .updateTable('one_time_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/** A new link replaces the user's older ones of the same purpose. */
export async function retireOneTimeTokens(
  db: Executor,
  tenantId: string,
  userId: string | readonly string[],
  purpose: OneTimeTokenRow['purpose'],
): Promise<void> {
  const ids = typeof userId === 'string' ? [userId] : [...userId];
  if (ids.length === 0) return;
  await db
    .updateTable('one_time_tokens')
    .set({ used_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', ids)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Whose link this is, whatever its state (the password rules need the user's email before redeeming). */
export async function findOneTimeTokenOwner(
  db: Executor,
  tokenHash: string,
): Promise<Pick<OneTimeTokenRow, 'tenant_id' | 'user_id' | 'purpose'> | undefined> {
  return db
    .selectFrom('one_time_tokens')
    .select(['tenant_id', 'user_id', 'purpose'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** The user's newest link of this purpose, and whether it has expired (by the database's clock). */
export async function latestOneTimeToken(
  db: Executor,
  tenantId: string,
  userId: string,
  purpose: OneTimeTokenRow['purpose'],
): Promise<(OneTimeTokenRow & { expired: boolean }) | undefined> {
  return db
    .selectFrom('one_time_tokens')
    .selectAll()
    .select(sql<boolean>`expires_at <= now()`.as('expired'))
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

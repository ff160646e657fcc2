import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { AppError } from '../../infra/errors.js';

/**
 * I4: failed logins are counted per account (the email typed, whether or not it exists, so the
 * answer reveals nothing) and per client address, in the database so every node sees the same
 * count. Successful logins are not limited: a contact center signs in hundreds of agents from one
 * address at shift start.
 */
export const THROTTLE = {
  windowSeconds: 15 * 60,
  perAccount: 5,
  perAddress: 50,
} as const;

/** The two counters a login attempt is charged to: the account (email typed) and the client address. */
export function throttleKeys(email: string, clientAddr: string | null): { account: string; address: string | null } {
  return { account: `acct:${email.trim().toLowerCase()}`, address: clientAddr ? `addr:${clientAddr}` : null };
}

/** Refuses (429 `rate_limited`, with `retryAfter` seconds) while either key is over its limit. */
export async function assertNotThrottled(
  db: Executor,
  keys: { account: string; address: string | null },
): Promise<void> {
  const list = [keys.account, ...(keys.address ? [keys.address] : [])];
  const rows = await db
    .selectFrom('login_failures')
    .select([
      'key',
      'failures',
      sql<number>`extract(epoch from (window_started_at + ${THROTTLE.windowSeconds} * interval '1 second' - now()))`.as(
        'remaining',
      ),
    ])
    .where('key', 'in', list)
    .execute();
  for (const r of rows) {
    const limit = r.key === keys.account ? THROTTLE.perAccount : THROTTLE.perAddress;
    const remaining = Math.ceil(Number(r.remaining));
    if (remaining > 0 && r.failures >= limit) {
      throw new AppError('rate_limited', 'too many failed sign-ins; wait before trying again', {
        rule: 'I4',
        extra: { retryAfter: remaining },
      });
    }
  }
}

/** Counts one failure against each key; a window that has passed starts again at one. */
export async function recordFailure(db: Executor, keys: { account: string; address: string | null }): Promise<void> {
  for (const key of [keys.account, ...(keys.address ? [keys.address] : [])]) {
    await sql`insert into login_failures (key, failures, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_failures.window_started_at < now() - ${THROTTLE.windowSeconds} * interval '1 second' then 1 else login_failures.failures + 1 end,
        window_started_at = case when login_failures.window_started_at < now() - ${THROTTLE.windowSeconds} * interval '1 second' then now() else login_failures.window_started_at end`.execute(
      db,
    );
  }
}

/** A successful login forgives the account's failures (the address keeps its count). */
export async function clearAccountFailures(db: Executor, accountKey: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', accountKey).execute();
}

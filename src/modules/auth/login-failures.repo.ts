import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Failed-login counters (I4): one row per key (account or client address) with its window. */
export async function readFailureWindows(
  db: Executor,
  keys: string[],
  windowSeconds: number,
): Promise<Array<{ key: string; failures: number; remainingSeconds: number }>> {
  const rows = await db
    .selectFrom('login_failures')
    .select([
      'key',
      'failures',
      sql<number>`extract(epoch from (window_started_at + ${windowSeconds} * interval '1 second' - now()))`.as(
        'remaining',
      ),
    ])
    .where('key', 'in', keys)
    .execute();
  return rows.map((r) => ({ key: r.key, failures: r.failures, remainingSeconds: Number(r.remaining) }));
}

/** Counts one failure against a key; a window that has passed starts again at one. */
export async function countFailure(db: Executor, key: string, windowSeconds: number): Promise<void> {
  await sql`insert into login_failures (key, failures, window_started_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_failures.window_started_at < now() - ${windowSeconds} * interval '1 second' then 1 else login_failures.failures + 1 end,
        window_started_at = case when login_failures.window_started_at < now() - ${windowSeconds} * interval '1 second' then now() else login_failures.window_started_at end`.execute(
    db,
  );
}

/** A successful login forgives the account's failures (the address keeps its count). */
export async function clearAccountFailures(db: Executor, accountKey: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', accountKey).execute();
}

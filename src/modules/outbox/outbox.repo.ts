import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';

export interface ClaimedRow {
  id: number;
  tenantId: string;
  kind: string;
  payload: unknown;
  /** This attempt's number, from 1. */
  attempt: number;
  endpointId: string | null;
  messageId: string | null;
  createdAt: Date;
}

/** How many rows one claim takes: `limit` rows that wait on the network, and up to `bulkLimit` rows of `bulkKinds` (quick database work such as fanning events out). */
export interface ClaimLimits {
  limit: number;
  bulkKinds: readonly string[];
  bulkLimit: number;
}

/**
 * Takes due rows for this node in one statement: rows locked by another node's claim are skipped
 * (`FOR UPDATE SKIP LOCKED`), and a claimed row is leased, so a node that dies mid-work gives its
 * rows back when the lease ends (at-least-once).
 */
export async function claimDue(db: Db, limits: ClaimLimits, leaseMs: number): Promise<ClaimedRow[]> {
  const due = sql`dispatched_at is null and next_attempt_at <= now() and (lease_until is null or lease_until < now())`;
  const bulk = sql.join((limits.bulkKinds.length ? limits.bulkKinds : ['']).map((k) => sql`${k}`));
  const { rows } = await sql<{
    id: string | number;
    tenant_id: string;
    type: string;
    payload: unknown;
    attempts: number;
    endpoint_id: string | null;
    message_id: string | null;
    created_at: Date | string;
  }>`
    update outbox set attempts = attempts + 1, lease_until = now() + ${leaseMs} * interval '1 millisecond'
    where id in (
      select id from outbox where ${due} and type not in (${bulk})
      order by next_attempt_at, id limit ${limits.limit}
      for update skip locked
    ) or id in (
      select id from outbox where ${due} and type in (${bulk})
      order by next_attempt_at, id limit ${limits.bulkLimit}
      for update skip locked
    )
    returning id, tenant_id, type, payload, attempts, endpoint_id, message_id, created_at`.execute(db);
  return rows
    .map((r) => ({
      id: Number(r.id),
      tenantId: r.tenant_id,
      kind: r.type,
      payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
      attempt: r.attempts,
      endpointId: r.endpoint_id,
      messageId: r.message_id,
      createdAt: new Date(r.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

/** What became of one row: done (delivered, given up on, nothing to do) or due again at `retryAt`. */
export type RowResult =
  | { id: number; outcome: 'delivered' | 'failed' | 'skipped'; error: string | null }
  | { id: number; retryAt: Date; error: string };

/** The statement that records many rows' results at once (also used inside larger statements). */
export function finishRowsStatement(results: readonly RowResult[]) {
  const values = sql.join(
    results.map((r) =>
      'retryAt' in r
        ? sql`(${r.id}::bigint, null::text, ${r.retryAt.toISOString()}::timestamptz, ${r.error}::text)`
        : sql`(${r.id}::bigint, ${r.outcome}::text, null::timestamptz, ${r.error}::text)`,
    ),
  );
  return sql`
    update outbox o set
      dispatched_at = case when v.retry_at is null then now() else null end,
      outcome = v.outcome,
      next_attempt_at = coalesce(v.retry_at, o.next_attempt_at),
      last_error = v.error,
      lease_until = null
    from (values ${values}) as v(id, outcome, retry_at, error)
    where o.id = v.id`;
}

/** Records the results of many rows in one statement. */
export async function finishRows(db: Executor, results: readonly RowResult[]): Promise<void> {
  if (results.length) await finishRowsStatement(results).execute(db);
}

/** Seconds the oldest due row has waited (0 when none), and how many rows are not done yet. */
export async function outboxLag(db: Db): Promise<{ lagSeconds: number; pending: number }> {
  const row = await db
    .selectFrom('outbox')
    .select([
      sql<
        number | string | null
      >`extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now()))`.as('lag'),
      sql<number | string>`count(*)`.as('pending'),
    ])
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { lagSeconds: Math.max(0, Number(row.lag ?? 0)), pending: Number(row.pending) };
}

/** Deletes rows done before `before` (their delivery log goes with them). */
export async function purgeDone(db: Db, before: Date): Promise<void> {
  const old = db.selectFrom('outbox').select('id').where('dispatched_at', '<', before);
  await db.deleteFrom('webhook_attempts').where('outbox_id', 'in', old).execute();
  await db.deleteFrom('outbox').where('dispatched_at', '<', before).execute();
}

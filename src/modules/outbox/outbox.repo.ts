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

/**
 * Takes up to `limit` due rows for this node: rows locked by another node's claim are skipped
 * (`FOR UPDATE SKIP LOCKED`), and a claimed row is leased, so a node that dies mid-work gives its
 * rows back when the lease ends (at-least-once).
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
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
      select id from outbox
      where dispatched_at is null and next_attempt_at <= now() and (lease_until is null or lease_until < now())
      order by next_attempt_at, id
      limit ${limit}
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

/** The row is done: delivered, given up on (`failed`) or had nothing to do (`skipped`). */
export async function finishRow(
  db: Executor,
  id: number,
  outcome: 'delivered' | 'failed' | 'skipped',
  error: string | null = null,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ dispatched_at: sql`now()`, outcome, last_error: error, lease_until: null })
    .where('id', '=', id)
    .execute();
}

/** The attempt failed: the row is due again at `at`. */
export async function retryRow(db: Executor, id: number, at: Date, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ next_attempt_at: at, last_error: error, lease_until: null })
    .where('id', '=', id)
    .execute();
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

import { sql, type ColumnType } from 'kysely';
import type { Executor } from '../../db/database.js';
import { LIVE_SESSION } from '../sessions/sessions.repo.js';

/**
 * SQL of the stream module: tickets, the seat keep-alive of open streams (D6) and the softphone
 * secrets of pushed configurations. The ticket table is declared here (and added with
 * `withTables`) so the module is self-contained; see migrations/20261122T0810_stream.ts.
 */
export interface StreamTicketsTable {
  id: string;
  token_hash: string;
  tenant_id: string;
  user_id: string;
  session_id: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: ColumnType<Date, Date | string, never>;
  used_at: ColumnType<Date | null, never, Date | string>;
}

/**
 * The session is live: not ended and not lapsed (S3). sessions.repo's own predicate: a lapsed
 * session must not come back to life through its stream, or two users could hold one seat (S1).
 */
const live = LIVE_SESSION;

const withTickets = (db: Executor) => db.withTables<{ stream_tickets: StreamTicketsTable }>();

export interface TicketOwner {
  tenantId: string;
  userId: string;
  sessionId: string;
}

/** Stores a ticket's hash; the ticket itself is never stored. */
export async function insertTicket(
  db: Executor,
  row: { id: string; tokenHash: string; owner: TicketOwner; expiresAt: Date },
): Promise<void> {
  await withTickets(db)
    .insertInto('stream_tickets')
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      tenant_id: row.owner.tenantId,
      user_id: row.owner.userId,
      session_id: row.owner.sessionId,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * Uses a ticket: one statement marks it used only if unused and unexpired, so two nodes racing on
 * the same ticket cannot both accept it. The session behind it must still be live.
 */
export async function consumeTicket(db: Executor, tokenHash: string): Promise<TicketOwner | null> {
  const row = await withTickets(db)
    .updateTable('stream_tickets')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['tenant_id', 'user_id', 'session_id'])
    .executeTakeFirst();
  if (!row) return null;
  const live = await liveSessionIds(db, [row.session_id]);
  return live.has(row.session_id) ? { tenantId: row.tenant_id, userId: row.user_id, sessionId: row.session_id } : null;
}

/** Drops tickets that expired a while ago (they are useless; keeping a few minutes helps debugging). */
export async function deleteExpiredTickets(db: Executor): Promise<void> {
  await withTickets(db)
    .deleteFrom('stream_tickets')
    .where('expires_at', '<', sql<Date>`now() - interval '5 minutes'`)
    .execute();
}

/** Of the given sessions, those still live. */
export async function liveSessionIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').select('id').where('id', 'in', ids).where(live).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * D6: an open stream keeps its session (and so its seat) alive. One statement per batch instead of
 * one per session (sessions.repo `touchSession` is per id), since a node may hold 10,000 streams.
 * Returns the sessions still live, so the caller can close streams whose session ended elsewhere.
 */
export async function touchSessions(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id', 'in', ids)
    .where(live)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

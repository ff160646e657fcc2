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
  /** `user` (a session's), or `provider` (no session, user or tenant; always for one resource). */
  kind: ColumnType<'user' | 'provider', 'user' | 'provider' | undefined, never>;
  /** The one path the ticket opens (GET or WebSocket); null: any stream of the user (D1). */
  resource: ColumnType<string | null, string | null | undefined, never>;
  tenant_id: string | null;
  user_id: string | null;
  session_id: string | null;
  /** A provider ticket's: the hash of the provider token that asked for it (migrations/20261202T0601). */
  credential_hash: ColumnType<string | null, string | null | undefined, never>;
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

/** Who a ticket was issued to: a user on a live session, or the provider (see migrations/20261202T0600). */
export type TicketHolder = ({ kind: 'user' } & TicketOwner) | { kind: 'provider'; credentialHash: string };

/** Stores a ticket's hash; the ticket itself is never stored. */
export async function insertTicket(
  db: Executor,
  row: { id: string; tokenHash: string; owner: TicketHolder; resource: string | null; expiresAt: Date },
): Promise<void> {
  const { owner } = row;
  await withTickets(db)
    .insertInto('stream_tickets')
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      kind: owner.kind,
      resource: row.resource,
      tenant_id: owner.kind === 'user' ? owner.tenantId : null,
      user_id: owner.kind === 'user' ? owner.userId : null,
      session_id: owner.kind === 'user' ? owner.sessionId : null,
      credential_hash: owner.kind === 'provider' ? owner.credentialHash : null,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * Uses a ticket: one statement marks it used only if unused and unexpired, so two nodes racing on
 * the same ticket cannot both accept it. `resource` null takes a user's ticket for any stream; a
 * path takes only a ticket issued for exactly that path. A user's session must still be live.
 */
async function useTicket(db: Executor, tokenHash: string, resource: string | null): Promise<TicketHolder | null> {
  const row = await withTickets(db)
    .updateTable('stream_tickets')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where((eb) => (resource === null ? eb('resource', 'is', null) : eb('resource', '=', resource)))
    .returning(['kind', 'tenant_id', 'user_id', 'session_id', 'credential_hash'])
    .executeTakeFirst();
  if (!row) return null;
  if (row.kind === 'provider') return { kind: 'provider', credentialHash: row.credential_hash ?? '' };
  const sessionId = row.session_id!;
  const live = await liveSessionIds(db, [sessionId]);
  return live.has(sessionId) ? { kind: 'user', tenantId: row.tenant_id!, userId: row.user_id!, sessionId } : null;
}

/** Uses a user's ticket for any stream (D1); tickets issued for one resource are not taken. */
export async function consumeTicket(db: Executor, tokenHash: string): Promise<TicketOwner | null> {
  const holder = await useTicket(db, tokenHash, null);
  return holder?.kind === 'user'
    ? { tenantId: holder.tenantId, userId: holder.userId, sessionId: holder.sessionId }
    : null;
}

/** Uses a ticket issued for exactly this path (a link or a WebSocket), the provider's or a user's. */
export async function consumeResourceTicket(
  db: Executor,
  tokenHash: string,
  resource: string,
): Promise<TicketHolder | null> {
  return useTicket(db, tokenHash, resource);
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

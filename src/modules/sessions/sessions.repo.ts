import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { SessionsTable, TenantRow } from '../../db/schema.js';
import type { Selectable } from 'kysely';

/**
 * How long a session keeps its seat without activity (S3) when its tenant chose nothing else: app
 * 90 s, portal 30 min. A session opened under a tenant policy carries its own (`lapse_seconds`).
 */
export const LAPSE_SECONDS = { app: 90, portal: 30 * 60 } as const;

export type SessionRow = Selectable<SessionsTable>;

/** SQL: a session row's lapse in seconds, its own or the default of its audience. */
export const LAPSE_OF_ROW = sql<number>`coalesce(lapse_seconds, case audience when 'app' then ${LAPSE_SECONDS.app}::int else ${LAPSE_SECONDS.portal}::int end)`;

/** SQL predicate: the session is live (not ended, not lapsed). */
export const LIVE_SESSION = sql<boolean>`ended_at is null and last_seen_at > now() - ${LAPSE_OF_ROW} * interval '1 second'`;
const live = LIVE_SESSION;

/** The live session with this token hash, if any. */
export async function findLiveSessionByTokenHash(db: Executor, tokenHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).where(live).executeTakeFirst();
}
/** Users holding a seat in the tenant right now (S1: one seat per user, however many sessions). */
/** Seat holders of every tenant that has any (the provider's usage overview, B1). */
export async function countSeatHoldersByTenant(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sessions')
    .select(['tenant_id', (eb) => eb.fn.count<number>(sql`distinct user_id`).as('n')])
    .where(live)
    .groupBy('tenant_id')
    .execute();
  return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
}

export async function countSeatHolders(db: Executor, tenantId: string): Promise<number> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.count<number>(sql`distinct user_id`).as('n'))
    .where('tenant_id', '=', tenantId)
    .where(live)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/**
 * Records activity. Only a live session is touched: a lapsed one must not come back to life after a
 * login counted it as free, or two users could hold the same seat (S1).
 */
export async function touchSession(db: Executor, id: string): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id', '=', id)
    .where(live)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The seat limit of a tenant, with its row locked for the rest of the transaction (one seat decision at a time, S1). */
export async function lockTenantSeats(
  db: Executor,
  tenantId: string,
): Promise<Pick<TenantRow, 'seats' | 'status' | 'settings'> | undefined> {
  return db
    .selectFrom('tenants')
    .select(['seats', 'status', 'settings'])
    .where('id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}

/** A live session of the tenant by id. */
export async function findLiveSession(db: Executor, tenantId: string, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where(live)
    .executeTakeFirst();
}

/** Live sessions of the tenant (optionally of one user), newest first, at most 1,000. */
export async function listLiveSessions(db: Executor, tenantId: string, userId?: string): Promise<SessionRow[]> {
  let q = db.selectFrom('sessions').selectAll().where('tenant_id', '=', tenantId).where(live);
  if (userId) q = q.where('user_id', '=', userId);
  return q.orderBy('created_at', 'desc').limit(1000).execute();
}

/** Ends sessions; returns the ids ended. Filter by session ids, by users, or both. */
export async function endSessions(
  db: Executor,
  tenantId: string,
  by: { sessionIds?: string[]; userIds?: string[]; audience?: 'portal' | 'app' },
  reason: string,
): Promise<SessionRow[]> {
  if (!by.sessionIds?.length && !by.userIds?.length) return [];
  let q = db
    .updateTable('sessions')
    .set({ ended_at: sql`now()`, ended_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('ended_at', 'is', null);
  if (by.sessionIds?.length) q = q.where('id', 'in', by.sessionIds);
  if (by.userIds?.length) q = q.where('user_id', 'in', by.userIds);
  if (by.audience) q = q.where('audience', '=', by.audience);
  return q.returningAll().execute();
}

/**
 * Marks lapsed sessions as ended (the sweeper, S3); returns them so their streams can be told.
 * `skip locked`: nodes sweeping at the same moment take disjoint batches instead of queueing on each
 * other's rows. At most `limit` per call; the sweeper calls again while batches come back full.
 */
export async function endLapsedSessions(db: Executor, limit = 1000): Promise<SessionRow[]> {
  const r = await sql<SessionRow>`update sessions set ended_at = now(), ended_reason = 'lapsed'
    where id in (
      select id from sessions
      where ended_at is null
        and last_seen_at <= now() - ${LAPSE_OF_ROW} * interval '1 second'
      order by last_seen_at
      limit ${limit}::int
      for update skip locked)
    and ended_at is null
    returning *`.execute(db);
  return r.rows;
}

/**
 * The seat decision after the tenant row is locked, in one statement (fewer round trips while the
 * lock is held): counts the holders, inserts the session when the user holds a seat already or one
 * is free, and raises the peak. It must run as its own statement after the lock statement: a statement
 * reads the database as of its start, so a count in the locking statement itself could miss a session
 * committed by the transaction it waited for.
 */
export async function takeSeat(
  db: Executor,
  input: {
    sessionId: string;
    tenantId: string;
    userId: string;
    tokenHash: string;
    audience: 'portal' | 'app';
    clientAddr: string | null;
    seats: number | null;
    /** The tenant's lapse for this audience (S3), kept on the session. */
    lapseSeconds: number;
  },
): Promise<{ inUse: number; holds: boolean; session: SessionRow | null }> {
  const { sessionId, tenantId, userId, tokenHash, audience, clientAddr, seats, lapseSeconds } = input;
  const r = await sql<{ n: number; mine: boolean } & Partial<SessionRow>>`
    with holders as (
      select user_id from sessions where tenant_id = ${tenantId} and ${live} group by user_id
    ), h as (
      select count(*)::int as n, coalesce(bool_or(user_id = ${userId}), false) as mine from holders
    ), ins as (
      insert into sessions (id, tenant_id, user_id, token_hash, audience, client_addr, lapse_seconds)
      select ${sessionId}, ${tenantId}, ${userId}, ${tokenHash}, ${audience}, ${clientAddr}::text, ${lapseSeconds}::int from h
      where h.mine or ${seats}::int is null or h.n < ${seats}::int
      returning *
    ), peak as (
      update tenants set seats_peak = h.n + 1 from h, ins
      where tenants.id = ${tenantId} and not h.mine and h.n + 1 > tenants.seats_peak
      returning 1
    )
    select h.n, h.mine, ins.* from h left join ins on true`.execute(db);
  const { n, mine, ...session } = r.rows[0]!;
  return { inUse: Number(n), holds: Boolean(mine), session: session.id ? (session as SessionRow) : null };
}

/** Whether the user exists in the tenant (other tenants' users are not found, E4). */
export async function userExists(db: Executor, tenantId: string, userId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', userId)
      .executeTakeFirst()) !== undefined
  );
}

/**
 * A tenant's new session policy applies to its open sessions at once (S3): each keeps its last
 * activity and takes the new lapse of its audience, so a shorter lapse frees idle seats sooner.
 */
export async function applyLapsePolicy(
  db: Executor,
  tenantId: string,
  lapse: { app: number; portal: number },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ lapse_seconds: sql`case audience when 'app' then ${lapse.app}::int else ${lapse.portal}::int end` })
    .where('tenant_id', '=', tenantId)
    .where('ended_at', 'is', null)
    .execute();
}

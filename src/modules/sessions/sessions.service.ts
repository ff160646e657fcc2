import { tenantSuspended } from '../tenants/tenant-gate.js';
import type { SessionRow } from './sessions.repo.js';
import * as repo from './sessions.repo.js';
import { LAPSE_SECONDS } from './sessions.repo.js';
import { lapseSecondsOf, sessionPolicyOf } from './session-policy.js';
import type { RequestContext } from '../../infra/context.js';
import { generateToken, hashToken } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { requireCapability } from '../access/actor-access.js';
import { userNames } from '../users/user-names.repo.js';
import type { Session } from './sessions.schemas.js';

export type Audience = 'portal' | 'app';

export interface OpenedSession {
  token: string;
  sessionId: string;
  userId: string;
  tenantId: string;
  audience: Audience;
  expiresAt: string;
}

/** When a session lapses if nothing happens (sliding, S3), under the lapse it carries. */
export function lapsesAt(s: Pick<SessionRow, 'audience' | 'last_seen_at' | 'lapse_seconds'>): string {
  const lapse = s.lapse_seconds ?? LAPSE_SECONDS[s.audience];
  return new Date(new Date(s.last_seen_at).getTime() + lapse * 1000).toISOString();
}

/** A session as the API shows it (never its token). */
export function presentSession(s: SessionRow): Session {
  return {
    id: s.id,
    userId: s.user_id,
    audience: s.audience,
    clientAddr: s.client_addr,
    createdAt: new Date(s.created_at).toISOString(),
    lastSeenAt: new Date(s.last_seen_at).toISOString(),
    expiresAt: lapsesAt(s),
  };
}

/** The context a login acts in: the user signing in, on the session being opened. */
export function loginContext(
  ctx: Pick<RequestContext, 'requestId' | 'clientAddr'>,
  tenantId: string,
  userId: string,
  sessionId: string,
): RequestContext {
  return { ...ctx, actor: { kind: 'user', id: userId, tenantId, credential: `session:${sessionId}`, sessionId } };
}

/**
 * Opens a session inside the caller's transaction, taking a seat (S1, S2). The tenant row is locked,
 * so on every node sharing the database the count-then-insert is one decision at a time: exact,
 * never over-subscribed. A user who already holds a seat opens more sessions freely (one seat per user).
 */
export async function openSeatedSession(
  uow: UnitOfWork,
  input: { sessionId: string; tenantId: string; userId: string; audience: Audience; method: string },
): Promise<OpenedSession> {
  const tenant = await repo.lockTenantSeats(uow.tx, input.tenantId);
  if (!tenant) throw notFound('tenant');
  // Under the same row lock as suspension: a sign-in commits before it (and is ended by it) or is refused.
  if (tenant.status === 'suspended') throw tenantSuspended();
  const token = generateToken('sbs');
  const lapse = lapseSecondsOf(sessionPolicyOf(tenant.settings));
  const { inUse, holds, session } = await repo.takeSeat(uow.tx, {
    lapseSeconds: lapse[input.audience],
    sessionId: input.sessionId,
    tenantId: input.tenantId,
    userId: input.userId,
    tokenHash: hashToken(token),
    audience: input.audience,
    clientAddr: uow.ctx.clientAddr,
    seats: tenant.seats,
  });
  if (!session) {
    throw new AppError('seats_exhausted', `all ${tenant.seats} seats are taken; try again when someone signs out`, {
      rule: 'S2',
      extra: { limit: tenant.seats, inUse },
    });
  }
  const nowInUse = holds ? inUse : inUse + 1;
  uow.audit({
    tenantId: input.tenantId,
    action: 'auth.login',
    targetType: 'session',
    targetId: session.id,
    after: { audience: input.audience, method: input.method, seatsInUse: nowInUse },
  });
  return {
    token,
    sessionId: session.id,
    userId: session.user_id,
    tenantId: session.tenant_id,
    audience: session.audience,
    expiresAt: lapsesAt(session),
  };
}

/** Sessions: list live ones, end them (forced logout, logout), keep app sessions alive (I7, S3). */
export class SessionsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, tenantId: string, userId?: string): Promise<Session[]> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const sessions = (await repo.listLiveSessions(this.deps.db, tenantId, userId)).map(presentSession);
    // Names, not ids, for a person reading the list: each session's user as they are now.
    const userIds = sessions.map((s) => s.userId);
    const names = await userNames(this.deps.db, tenantId, userIds);
    return sessions.map((s) => ({ ...s, ...names.get(s.userId) }));
  }

  /** Forced logout of one session (frees its seat unless the user has another). */
  async end(ctx: RequestContext, tenantId: string, sessionId: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'users:edit');
    await inTransaction(this.deps, ctx, async (uow) => {
      const ended = await repo.endSessions(uow.tx, tenantId, { sessionIds: [sessionId] }, 'forced_logout');
      if (ended.length === 0) throw notFound('session');
      this.recordEnded(uow, tenantId, ended, 'forced_logout');
    });
  }

  /** Forced logout of every session of a user. */
  async endForUser(ctx: RequestContext, tenantId: string, userId: string): Promise<number> {
    await requireCapability(this.deps.db, ctx, tenantId, 'users:edit');
    return inTransaction(this.deps, ctx, async (uow) => {
      if (!(await repo.userExists(uow.tx, tenantId, userId))) throw notFound('user');
      const ended = await repo.endSessions(uow.tx, tenantId, { userIds: [userId] }, 'forced_logout');
      this.recordEnded(uow, tenantId, ended, 'forced_logout');
      return ended.length;
    });
  }

  /** The caller's own session ends (logout). */
  async logout(ctx: RequestContext): Promise<void> {
    const a = ctx.actor;
    if (a.kind !== 'user' || !a.sessionId) throw new AppError('forbidden', 'only a signed-in session can log out');
    await inTransaction(this.deps, ctx, async (uow) => {
      const ended = await repo.endSessions(uow.tx, a.tenantId, { sessionIds: [a.sessionId!] }, 'logout');
      uow.audit({ tenantId: a.tenantId, action: 'auth.logout', targetType: 'session', targetId: a.sessionId! });
      if (ended.length)
        uow.publish({
          type: 'revoke',
          tenantId: a.tenantId,
          sessionIds: [a.sessionId!],
          userIds: null,
          reason: 'logout',
        });
    });
  }

  /** Keeps the caller's session and its seat (S3); a lapsed session cannot be revived. */
  async heartbeat(ctx: RequestContext): Promise<{ expiresAt: string }> {
    const a = ctx.actor;
    if (a.kind !== 'user' || !a.sessionId)
      throw new AppError('forbidden', 'heartbeats keep sessions alive; this credential is not a session');
    if (!(await repo.touchSession(this.deps.db, a.sessionId)))
      throw new AppError('invalid_token', 'the session has ended or lapsed');
    const s = await repo.findLiveSession(this.deps.db, a.tenantId, a.sessionId);
    if (!s) throw new AppError('invalid_token', 'the session has ended or lapsed');
    return { expiresAt: lapsesAt(s) };
  }

  private recordEnded(uow: UnitOfWork, tenantId: string, ended: SessionRow[], reason: string): void {
    for (const s of ended)
      uow.audit({
        tenantId,
        action: 'auth.session_ended',
        targetType: 'session',
        targetId: s.id,
        after: { userId: s.user_id, reason },
      });
    // Stream nodes close the sockets of these sessions (D5).
    if (ended.length)
      uow.publish({ type: 'revoke', tenantId, sessionIds: ended.map((s) => s.id), userIds: null, reason });
  }
}

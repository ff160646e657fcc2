import type { Executor } from '../../db/database.js';
import type { ChangeEvent } from '../../infra/bus.js';
import type { Closer } from '../../infra/closer.js';
import type { Actor } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { freshOrRecent } from '../../infra/stand-in.js';
import { findLiveSessionByTokenHash, LAPSE_SECONDS, touchSession, type SessionRow } from './sessions.repo.js';

/** Sessions refresh `last_seen_at` at most this often, so busy clients do not write on every request. */
const TOUCH_EVERY_MS = 5_000;
/** How long a verification may stand in for the database (never past the session's lapse). */
const RECENT_MS = 30_000;
const SESSIONS_KEPT = 10_000;

type SessionActor = Extract<Actor, { kind: 'user' }>;

interface Verified {
  actor: SessionActor;
  /** When the session lapses unless it is used (S3), as last read. */
  lapsesAt: number;
  verifiedAt: number;
  /** The read of the database in flight for this session: requests arriving meanwhile share it. */
  reading: Promise<Actor | null> | null;
}

/**
 * Verifies session tokens (`sbs_`, the portal cookie). The database decides: every request reads the
 * session (live, not ended, not lapsed) and records activity at most every 5 s (S3). Should the
 * database not answer within `STAND_IN_AFTER_MS` (the embedded database's one connection is held by
 * a long import), this node's verification of the last 30 s stands in, unless the session was ended
 * since (a revoke event on the bus drops it: logout, forced logout, suspension of the user or the
 * tenant, the sweeper) or has lapsed meanwhile; the read goes on and records the activity once the
 * database is free.
 */
class SessionVerifier {
  private readonly known = new Map<string, Verified>();

  constructor(
    private readonly db: Executor,
    private readonly remembers: boolean,
  ) {}

  verify(tokenHash: string): Promise<Actor | null> {
    const hit = this.known.get(tokenHash);
    const read = hit?.reading ?? this.read(tokenHash);
    const now = Date.now();
    if (!hit || now - hit.verifiedAt >= RECENT_MS || now >= hit.lapsesAt) return read;
    return freshOrRecent(read, { value: hit.actor });
  }

  forget(event: ChangeEvent): void {
    if (event.type === 'resync') this.known.clear();
    if (event.type !== 'revoke') return;
    for (const [hash, { actor }] of this.known) {
      if (actor.tenantId !== event.tenantId) continue;
      const all = event.sessionIds === null && event.userIds === null;
      if (all || event.sessionIds?.includes(actor.sessionId!) || event.userIds?.includes(actor.id))
        this.known.delete(hash);
    }
  }

  private read(tokenHash: string): Promise<Actor | null> {
    const reading = this.readSession(tokenHash);
    const hit = this.known.get(tokenHash);
    if (hit) hit.reading = reading;
    const done = () => {
      const h = this.known.get(tokenHash);
      if (h?.reading === reading) h.reading = null;
    };
    reading.then(done, done);
    return reading;
  }

  private async readSession(tokenHash: string): Promise<Actor | null> {
    const s = await findLiveSessionByTokenHash(this.db, tokenHash);
    if (!s) {
      this.known.delete(tokenHash);
      return null;
    }
    let lastSeen = new Date(s.last_seen_at).getTime();
    if (Date.now() - lastSeen > TOUCH_EVERY_MS && (await touchSession(this.db, s.id))) lastSeen = Date.now();
    const actor: SessionActor = {
      kind: 'user',
      id: s.user_id,
      tenantId: s.tenant_id,
      credential: `session:${s.id}`,
      sessionId: s.id,
    };
    if (this.remembers) this.remember(tokenHash, actor, lastSeen + lapseMs(s));
    return actor;
  }

  private remember(tokenHash: string, actor: SessionActor, lapsesAt: number): void {
    if (this.known.size >= SESSIONS_KEPT && !this.known.has(tokenHash)) this.known.clear();
    const reading = this.known.get(tokenHash)?.reading ?? null;
    this.known.set(tokenHash, { actor, lapsesAt, verifiedAt: Date.now(), reading });
  }
}

function lapseMs(s: Pick<SessionRow, 'audience' | 'lapse_seconds'>): number {
  return (s.lapse_seconds ?? LAPSE_SECONDS[s.audience]) * 1000;
}

const verifiers = new WeakMap<Executor, SessionVerifier>();

/**
 * Keeps this node's verifications of sessions on `deps.db`, dropped as the bus reports sessions
 * ending (on every node). Without it, `verifySession` reads the database only.
 */
export function watchSessions(deps: Pick<ServiceDeps, 'db' | 'bus'>): Closer {
  const verifier = new SessionVerifier(deps.db, true);
  verifiers.set(deps.db, verifier);
  const forget = (e: ChangeEvent) => verifier.forget(e);
  const stops = [deps.bus.subscribe(forget), deps.bus.subscribeOwnCommits(forget)];
  return () => {
    for (const stop of stops) stop();
    if (verifiers.get(deps.db) === verifier) verifiers.delete(deps.db);
  };
}

/** The user of a live session with this token hash, or null; see SessionVerifier. */
export function verifySession(db: Executor, tokenHash: string): Promise<Actor | null> {
  return (verifiers.get(db) ?? new SessionVerifier(db, false)).verify(tokenHash);
}

import type { ChangeEvent } from '../../infra/bus.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { appendAudit, type AuditInput } from '../audit/audit.repo.js';
import { endLapsedSessions } from './sessions.repo.js';

/**
 * Ends lapsed sessions once, in one transaction: marks them ended, audits each, and tells every node's
 * streams (revoke events). Nodes may sweep at the same time: each row is ended by exactly one of them,
 * because the UPDATE re-checks `ended_at is null` after the row lock. Returns how many ended.
 */
export async function sweepLapsedSessions(deps: Pick<ServiceDeps, 'db' | 'bus'>): Promise<number> {
  let events: ChangeEvent[] = [];
  const count = await deps.db.transaction().execute(async (tx) => {
    const ended = await endLapsedSessions(tx);
    if (ended.length === 0) return 0;
    const byTenant = new Map<string, string[]>();
    for (const s of ended) (byTenant.get(s.tenant_id) ?? byTenant.set(s.tenant_id, []).get(s.tenant_id)!).push(s.id);
    events = [...byTenant].map(([tenantId, sessionIds]): ChangeEvent => ({ type: 'revoke', tenantId, sessionIds, userIds: null, reason: 'lapsed' }));
    const audit: AuditInput[] = ended.map((s) => ({
      tenantId: s.tenant_id, actorType: 'system', actorId: null, credential: 'sweeper', action: 'auth.session_lapsed',
      targetType: 'session', targetId: s.id, after: { userId: s.user_id, audience: s.audience }, requestId: null, clientAddr: s.client_addr,
    }));
    await appendAudit(tx, audit);
    await deps.bus.publishInTransaction(tx, events);
    return ended.length;
  });
  if (events.length) deps.bus.afterCommit(events);
  return count;
}

/**
 * Starts the sweeper (S3): every `SWEEP_INTERVAL_MS` (default 1 s) lapsed sessions end, so a seat
 * whose app stopped heartbeating is visibly free within about a second of its lapse. Seats are
 * already counted by activity (a lapsed session never counts), so the sweep is about telling
 * streams and keeping the table honest, not about correctness of the count. Returns the stop function.
 */
export function startSweeper(deps: ServiceDeps): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return; // a slow sweep is never overlapped by the next one
    running = sweepLapsedSessions(deps)
      .catch((err: unknown) => { if (!stopped) deps.log.warn({ err }, 'session sweep failed'); })
      .finally(() => { running = null; });
  }, deps.config.SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

import type { ChangeEvent } from '../../infra/bus.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { appendAudit } from '../../infra/audit-sink.repo.js';
import type { AuditInput } from '../../infra/audit-chain.js';
import { watchSessions } from './session-cache.js';
import { countSeatHoldersByTenant, endLapsedSessions } from './sessions.repo.js';

/** Sessions ended per sweep transaction; a full batch makes the sweeper go again at once. */
const BATCH = 1000;

/**
 * Ends a batch of lapsed sessions in one transaction: marks them ended, audits them, and tells every
 * node's streams (revoke events). Nodes may sweep at the same time: each row is ended by exactly one
 * of them (rows locked by another sweep are skipped). Returns how many ended.
 */
export async function sweepLapsedSessions(deps: Pick<ServiceDeps, 'db' | 'bus'>): Promise<number> {
  let events: ChangeEvent[] = [];
  const count = await deps.db.transaction().execute(async (tx) => {
    const ended = await endLapsedSessions(tx, BATCH);
    if (ended.length === 0) return 0;
    const byTenant = new Map<string, typeof ended>();
    for (const s of ended) (byTenant.get(s.tenant_id) ?? byTenant.set(s.tenant_id, []).get(s.tenant_id)!).push(s);
    events = [...byTenant].map(([tenantId, list]): ChangeEvent => ({
      type: 'revoke',
      tenantId,
      sessionIds: list.map((s) => s.id),
      userIds: null,
      reason: 'lapsed',
    }));
    // One audit entry per tenant and sweep, listing the sessions: a shift ending at once does not
    // make the sweeper hold every tenant's audit chain for hundreds of appends.
    const audit: AuditInput[] = [...byTenant].map(([tenantId, list]) => ({
      tenantId,
      actorType: 'system',
      actorId: null,
      credential: 'sweeper',
      action: 'auth.sessions_lapsed',
      targetType: 'session',
      targetId: list.length === 1 ? list[0]!.id : null,
      after: {
        sessions: list.map((s) => ({ id: s.id, userId: s.user_id, audience: s.audience, clientAddr: s.client_addr })),
      },
      requestId: null,
      clientAddr: null,
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
 * streams and keeping the table honest, not about correctness of the count. This node's session
 * verifications follow the same ends (`watchSessions`). Returns the stop function.
 */
export function startSweeper(deps: ServiceDeps): () => Promise<void> {
  const unwatch = watchSessions(deps);
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return; // a slow sweep is never overlapped by the next one
    running = (async () => {
      while ((await sweepLapsedSessions(deps)) === BATCH && !stopped);
    })()
      .catch((err: unknown) => {
        if (!stopped) deps.log.warn({ err }, 'session sweep failed');
      })
      .finally(() => {
        running = null;
      });
  }, deps.config.SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await unwatch();
    await running;
  };
}

/**
 * Exports the seats in use per tenant (`switchboard_seats_in_use`), counted when scraped (one grouped
 * query), bounded to the largest tenants; every node answers the same numbers (seats are cluster-wide).
 */
export function registerSeatMetrics(deps: Pick<ServiceDeps, 'db' | 'metrics'>): void {
  deps.metrics.tenantGauge('switchboard_seats_in_use', 'Users holding a seat (S1), by tenant', () =>
    countSeatHoldersByTenant(deps.db),
  );
}

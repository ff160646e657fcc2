import type { WebSocket } from 'ws';
import type { ChangeEvent } from '../../infra/bus.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import * as live from './live.repo.js';
import { decideAll, queueScope, requireAllowed } from './report-access.js';
import * as reports from './reports.repo.js';
import type { LiveSnapshot } from './live.schemas.js';

/** Ingestion notifications arriving within this window are answered with one refresh. */
const DEBOUNCE_MS = 50;
/** The calls in progress a snapshot lists: the oldest of each queue, and in all (bounded in memory). */
const CALLS_PER_QUEUE = 50;
const CALLS_LIMIT = 500;

interface Watcher {
  ws: WebSocket;
  ctx: RequestContext;
  tenantId: string;
  userId: string | null;
  sessionId: string | null;
  agents: boolean;
  /** G11: the queues whose calls and agents the watcher sees (null: every queue). */
  queues: string[] | null;
}

/** A snapshot with, per agent, the queues it is seen through (its recent events' and its assigned ones). */
interface Computed {
  snapshot: LiveSnapshot;
  agentQueues: Map<string, string[]>;
}

/** G11: only the calls and agents of the watcher's queues. */
function narrow(c: Computed, queues: string[] | null): LiveSnapshot {
  if (!queues) return c.snapshot;
  const mine = new Set(queues);
  const agents =
    c.snapshot.agents && c.snapshot.agents.filter((x) => (c.agentQueues.get(x.userId) ?? []).some((q) => mine.has(q)));
  const calls = c.snapshot.calls.filter((x) => x.queueId !== null && mine.has(x.queueId));
  return { ...c.snapshot, agents, calls };
}

/**
 * Live call statistics (issue 14): calls waiting and in progress per queue, today's figures per queue,
 * the calls in progress of the reader's queues (`dashboards:live_calls`, Live Analytics Supervisor and
 * up, G15; G11) and agents' current states
 * (`cc_data:view`, Contact Center Supervisor). Pushed over a WebSocket after every stored batch of
 * call records or agent events: the change bus brings the notification to every node (NOTIFY on
 * PostgreSQL), each node recomputes a tenant's snapshot once and sends it to its watchers.
 */
export class LiveService {
  private readonly watchers = new Set<Watcher>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ServiceDeps) {}

  start(): void {
    this.unsubscribe = this.deps.bus.subscribe((e) => this.onChange(e));
  }

  close(): void {
    this.unsubscribe?.();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const w of this.watchers) w.ws.close(1001, 'server shutting down');
    this.watchers.clear();
  }

  async snapshot(ctx: RequestContext, tenantId: string): Promise<LiveSnapshot> {
    return (await this.scoped(ctx, tenantId)).snapshot;
  }

  /** The actor's snapshot and the queues they see calls and agents of (G11). */
  private async scoped(
    ctx: RequestContext,
    tenantId: string,
  ): Promise<{ snapshot: LiveSnapshot; queues: string[] | null }> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'dashboards:live_calls');
    const agents = (await decideAll(this.deps.db, ctx, tenantId, ['cc_data:view'])).get('cc_data:view')!.allowed;
    const queues = await queueScope(this.deps.db, ctx, tenantId);
    return { snapshot: narrow(await this.compute(tenantId, agents), queues), queues };
  }

  /** Attaches an upgraded socket: refused below the level; then a snapshot now and after every change. */
  async watch(ws: WebSocket, ctx: RequestContext, tenantId: string): Promise<void> {
    let first: LiveSnapshot;
    let queues: string[] | null;
    try {
      ({ snapshot: first, queues } = await this.scoped(ctx, tenantId));
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('internal', 'live statistics failed');
      ws.send(JSON.stringify({ type: 'refused', code: e.code, rule: e.rule ?? null, detail: e.message }));
      ws.close(4003, e.code);
      return;
    }
    const a = ctx.actor;
    const w: Watcher = {
      ws,
      ctx,
      tenantId,
      userId: a.kind === 'user' ? a.id : null,
      sessionId: a.kind === 'user' ? (a.sessionId ?? null) : null,
      agents: first.agents !== null,
      queues,
    };
    this.watchers.add(w);
    ws.on('close', () => this.watchers.delete(w));
    ws.on('message', (data: Buffer) => {
      if (data.toString('utf8') === '{"type":"ping"}') ws.send('{"type":"pong"}');
    });
    ws.send(JSON.stringify({ type: 'live', ...first }));
  }

  private async compute(tenantId: string, withAgents: boolean): Promise<Computed> {
    const now = new Date();
    const midnight = new Date(now);
    midnight.setUTCHours(0, 0, 0, 0);
    const [queues, today, agents] = await Promise.all([
      live.liveQueues(this.deps.db, tenantId, now, CALLS_PER_QUEUE),
      reports.queueReport(this.deps.db, { tenantId, from: midnight, to: new Date(now.getTime() + 60_000) }, 20),
      withAgents ? live.agentStatesNow(this.deps.db, tenantId, now) : Promise.resolve(null),
    ]);
    const calls = queues
      .flatMap((q) => q.calls.map((c) => ({ ...c, queue_id: q.queue_id })))
      .sort(
        (p, q) =>
          Date.parse(p.started_at) - Date.parse(q.started_at) || p.conversation_id.localeCompare(q.conversation_id),
      )
      .slice(0, CALLS_LIMIT);
    const queueIds = [...new Set([...queues.map((q) => q.queue_id), ...today.map((q) => q.queue_id)])];
    const named = queueIds.filter((q): q is string => q !== null);
    const [queueNames, userNames] = await Promise.all([
      reports.labels(this.deps.db, tenantId, 'queues', named),
      reports.labels(this.deps.db, tenantId, 'users', [
        ...new Set([...(agents ?? []).map((x) => x.user_id), ...calls.flatMap((c) => c.agent_ids ?? [])]),
      ]),
    ]);
    const rows = queueIds.map((id) => {
      const l = queues.find((q) => q.queue_id === id);
      const t = today.find((q) => q.queue_id === id);
      return {
        queueId: id,
        label: id ? (queueNames.get(id) ?? id) : '(no queue)',
        waiting: l?.waiting ?? 0,
        inProgress: l?.in_progress ?? 0,
        longestWaitSeconds: l?.longest_wait_started
          ? Math.max(0, Math.round((now.getTime() - new Date(l.longest_wait_started).getTime()) / 1000))
          : 0,
        today: {
          offered: t?.offered ?? 0,
          answered: t?.answered ?? 0,
          abandoned: t?.abandoned ?? 0,
          missed: t?.missed ?? 0,
        },
      };
    });
    const agentQueues = new Map(
      (agents ?? []).map((x) => [x.user_id, [...(x.queue_ids ?? []), ...(x.assigned_queue_ids ?? [])]]),
    );
    const snapshot: LiveSnapshot = {
      at: now.toISOString(),
      queues: rows,
      totals: {
        waiting: rows.reduce((n, r) => n + r.waiting, 0),
        inProgress: rows.reduce((n, r) => n + r.inProgress, 0),
      },
      calls: calls.map((c) => ({
        conversationId: c.conversation_id,
        queueId: c.queue_id,
        state: c.type === 'answered' ? ('talking' as const) : ('waiting' as const),
        callerNumber: c.caller_number,
        startedAt: new Date(c.started_at).toISOString(),
        answeredAt: c.answered_at === null ? null : new Date(c.answered_at).toISOString(),
        agents: (c.agent_ids ?? []).map((id) => ({ userId: id, label: userNames.get(id) ?? id })),
      })),
      agents: agents
        ? agents
            .map((x) => ({
              userId: x.user_id,
              label: userNames.get(x.user_id) ?? x.user_id,
              state: x.state,
              reason: x.reason,
              since: new Date(x.since).toISOString(),
              queueIds: x.queue_ids ?? [],
            }))
            .sort((p, q) => p.label.localeCompare(q.label))
        : null,
    };
    return { snapshot, agentQueues };
  }

  private onChange(e: ChangeEvent): void {
    if (e.type === 'call_data') return this.schedule(e.tenantId);
    if (e.type === 'resync') {
      for (const t of new Set([...this.watchers].map((w) => w.tenantId))) this.schedule(t);
      return;
    }
    if (e.type === 'revoke') {
      for (const w of this.watchers)
        if (
          w.tenantId === e.tenantId &&
          (e.sessionIds === null || (w.sessionId !== null && e.sessionIds.includes(w.sessionId))) &&
          (e.userIds === null || (w.userId !== null && e.userIds.includes(w.userId)))
        )
          this.end(w, e.reason);
      return;
    }
    // A change of the watcher's access (a lower supervisor level) ends the watch.
    if (e.type === 'config')
      for (const w of this.watchers)
        if (w.tenantId === e.tenantId && w.userId && (e.userIds === null || e.userIds.includes(w.userId)))
          void this.recheck(w);
  }

  private async recheck(w: Watcher): Promise<void> {
    const v = await decideAll(this.deps.db, w.ctx, w.tenantId, ['dashboards:live_calls', 'cc_data:view']).catch(
      () => null,
    );
    if (!v?.get('dashboards:live_calls')?.allowed) return this.end(w, 'access_changed');
    const agents = v.get('cc_data:view')!.allowed;
    const queues = await queueScope(this.deps.db, w.ctx, w.tenantId).catch(() => []);
    if (agents !== w.agents || String(queues) !== String(w.queues)) {
      w.agents = agents;
      w.queues = queues;
      this.schedule(w.tenantId);
    }
  }

  private end(w: Watcher, reason: string): void {
    this.watchers.delete(w);
    w.ws.send(JSON.stringify({ type: 'revoked', reason }));
    w.ws.close(4001, reason);
  }

  private schedule(tenantId: string): void {
    if (this.pending.has(tenantId)) return;
    this.pending.set(
      tenantId,
      setTimeout(() => {
        this.pending.delete(tenantId);
        this.refresh(tenantId).catch((err: unknown) => this.deps.log.warn({ err }, 'live statistics refresh failed'));
      }, DEBOUNCE_MS),
    );
  }

  private async refresh(tenantId: string): Promise<void> {
    const mine = [...this.watchers].filter((w) => w.tenantId === tenantId);
    if (mine.length === 0) return;
    const computed = new Map<boolean, Computed>();
    for (const agents of new Set(mine.map((w) => w.agents))) computed.set(agents, await this.compute(tenantId, agents));
    // One message per view: with or without agents, and per queue scope (G11).
    const views = new Map<string, string>();
    for (const w of mine) {
      if (!this.watchers.has(w)) continue;
      const key = `${w.agents}:${w.queues === null ? '*' : w.queues.join(',')}`;
      if (!views.has(key))
        views.set(key, JSON.stringify({ type: 'live', ...narrow(computed.get(w.agents)!, w.queues) }));
      w.ws.send(views.get(key)!);
    }
  }
}

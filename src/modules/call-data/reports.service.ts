import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import type { Executor } from '../../db/database.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { queueScope, requireAllowed } from './report-access.js';
import * as repo from './reports.repo.js';
import type {
  AgentReport,
  CallFilters,
  CallListQuery,
  CallReport,
  CallReportQuery,
  Dashboard,
  DashboardQuery,
  PeriodQuery,
  QueueReport,
  StoredCall,
  Wallboard,
} from './reports.schemas.js';

const MAX_PERIOD_MS = 366 * 86_400_000;
const EXPORT_PAGE = 2000;
const NO_GROUP = '(no primary group)';
const NO_QUEUE = '(no queue)';

function period(q: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (to <= from) throw new AppError('validation_failed', 'to must be after from', { field: '/to' });
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS)
    throw new AppError('validation_failed', 'a report covers at most 366 days', { field: '/to' });
  return { from, to };
}

/** The zone of hour and day buckets: an IANA time zone (validated), UTC when none is given. */
export function timeZone(tz: string | undefined): string {
  if (!tz) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    throw new AppError('validation_failed', `${tz} is not an IANA time zone`, { field: '/tz' });
  }
}

function filterOf(tenantId: string, q: CallFilters): repo.CallFilter {
  return {
    tenantId,
    ...period(q),
    ...(q.direction && { direction: q.direction }),
    ...(q.disposition && { disposition: q.disposition }),
    ...(q.queue && { queue: q.queue }),
    ...(q.group && { group: q.group }),
    ...(q.user && { user: q.user }),
    ...(q.number && { number: q.number }),
  };
}

const figures = (r: repo.FiguresRow) => ({
  total: r.total,
  answered: r.answered,
  missed: r.missed,
  abandoned: r.abandoned,
  avgWaitSeconds: Math.round(r.avg_wait * 10) / 10,
  maxWaitSeconds: r.max_wait,
  avgTalkSeconds: Math.round(r.avg_talk * 10) / 10,
  maxTalkSeconds: r.max_talk,
});
const EMPTY = figures({
  key: null,
  total: 0,
  answered: 0,
  missed: 0,
  abandoned: 0,
  avg_wait: 0,
  max_wait: 0,
  avg_talk: 0,
  max_talk: 0,
  is_total: true,
});

const rate = (t: { total: number; answered: number }) =>
  t.total > 0 ? Math.round((t.answered / t.total) * 1000) / 1000 : null;

const presentCall = (r: repo.CallListRow): StoredCall => ({
  id: r.external_id,
  conversationId: r.conversation_id,
  startedAt: new Date(r.started_at).toISOString(),
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
  endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  direction: r.direction,
  disposition: r.disposition,
  from: { number: r.from_number, name: r.from_name },
  to: { number: r.to_number, name: r.to_name },
  queueId: r.queue_id,
  waitSeconds: r.wait_seconds,
  talkSeconds: r.talk_seconds,
  modelledFor: r.modelled_for,
  recordings: Array.isArray(r.recordings) ? r.recordings.length : 0,
});

const REPORT_COLUMNS = [
  'key',
  'label',
  'total',
  'answered',
  'missed',
  'abandoned',
  'avgWaitSeconds',
  'maxWaitSeconds',
  'avgTalkSeconds',
  'maxTalkSeconds',
];
const CALL_COLUMNS = [
  'id',
  'startedAt',
  'answeredAt',
  'endedAt',
  'direction',
  'disposition',
  'fromNumber',
  'fromName',
  'toNumber',
  'toName',
  'queueId',
  'waitSeconds',
  'talkSeconds',
  'modelledFor',
];

/** A call report as CSV text: one line per row and a last line of totals. */
export function reportCsv(report: CallReport): string {
  const lines = [...report.rows, { key: 'total', label: 'Total', ...report.totals }];
  return stringifySync(lines, { header: true, columns: REPORT_COLUMNS });
}

/**
 * Historical reports over the stored call data (issue 14): calls by user, group, queue, hour or day
 * (`reports:view`, Report Supervisor and up, G15), their drill-down and CSV export; agent and queue
 * reports (`cc_data:view`, Contact Center Supervisor).
 */
export class ReportsService {
  constructor(private readonly deps: ServiceDeps) {}

  async calls(ctx: RequestContext, tenantId: string, q: CallReportQuery): Promise<CallReport> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    return this.figuresBy(tenantId, q);
  }

  /** A report as CSV: one line per row and a last line of totals. */
  async callsCsv(ctx: RequestContext, tenantId: string, q: CallReportQuery): Promise<Readable> {
    return Readable.from([reportCsv(await this.calls(ctx, tenantId, q))]);
  }

  async listCalls(
    ctx: RequestContext,
    tenantId: string,
    q: CallListQuery,
  ): Promise<{ items: StoredCall[]; nextCursor: string | null }> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    const limit = q.limit ?? 50;
    const after = decodeNameCursor(q.cursor);
    const rows = await repo.listCalls(
      this.deps.db,
      filterOf(tenantId, q),
      after ? [new Date(after[0]), after[1]] : undefined,
      limit + 1,
    );
    return toPage(
      rows,
      limit,
      (r) => [new Date(r.started_at).toISOString(), r.external_id],
      (page) => page.map(presentCall),
    );
  }

  /** Every call of the drill-down as CSV, read page by page while it streams (any size, bounded memory). */
  async listCallsCsv(ctx: RequestContext, tenantId: string, q: CallFilters): Promise<Readable> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    const f = filterOf(tenantId, q);
    const db = this.deps.db;
    async function* lines() {
      let after: [Date, string] | undefined;
      for (;;) {
        const rows = await repo.listCalls(db, f, after, EXPORT_PAGE);
        for (const r of rows) {
          const c = presentCall(r);
          yield {
            ...c,
            fromNumber: c.from.number,
            fromName: c.from.name,
            toNumber: c.to.number,
            toName: c.to.name,
            modelledFor: c.modelledFor.join(' '),
          };
        }
        if (rows.length < EXPORT_PAGE) return;
        const last = rows[rows.length - 1]!;
        after = [new Date(last.started_at), last.external_id];
      }
    }
    return Readable.from(lines()).pipe(stringify({ header: true, columns: CALL_COLUMNS }));
  }

  async agents(ctx: RequestContext, tenantId: string, q: PeriodQuery): Promise<AgentReport> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'cc_data:view');
    const p = period(q);
    // G11: a supervisor's agents are those of the queues they supervise, their calls those of these queues.
    const queues = await queueScope(this.deps.db, ctx, tenantId);
    const users = queues && (await repo.agentsOfQueues(this.deps.db, { tenantId, ...p, queues }));
    const f = { tenantId, ...p, ...(q.user && { user: q.user }), ...(users && { users }) };
    const [counts, states] = await Promise.all([
      repo.agentCounts(this.deps.db, { ...f, ...(q.queue && { queue: q.queue }), ...(queues && { queues }) }),
      repo.agentStates(this.deps.db, f),
    ]);
    const ids = [...new Set([...counts.map((c) => c.user_id), ...states.map((s) => s.user_id)])];
    const names = await repo.labels(this.deps.db, tenantId, 'users', ids);
    const rows = ids.map((userId) => {
      const c = counts.find((x) => x.user_id === userId);
      const stateSeconds: Record<string, number> = {};
      const pauseSeconds: Record<string, number> = {};
      for (const s of states.filter((x) => x.user_id === userId)) {
        stateSeconds[s.state] = Math.round((stateSeconds[s.state] ?? 0) + s.seconds);
        if (s.state === 'paused') pauseSeconds[s.reason ?? ''] = Math.round(s.seconds);
      }
      return {
        userId,
        label: names.get(userId) ?? userId,
        offered: c?.offered ?? 0,
        answered: c?.answered ?? 0,
        missed: c?.missed ?? 0,
        stateSeconds,
        pauseSeconds,
      };
    });
    rows.sort((a, b) => a.label.localeCompare(b.label));
    return { from: p.from.toISOString(), to: p.to.toISOString(), rows };
  }

  async queues(ctx: RequestContext, tenantId: string, q: PeriodQuery): Promise<QueueReport> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'cc_data:view');
    const p = period(q);
    const sl = q.serviceLevelSeconds ?? 20;
    const queues = await queueScope(this.deps.db, ctx, tenantId);
    const rows = await repo.queueReport(
      this.deps.db,
      { tenantId, ...p, ...(q.queue && { queue: q.queue }), ...(queues && { queues }) },
      sl,
    );
    const names = await repo.labels(
      this.deps.db,
      tenantId,
      'queues',
      rows.map((r) => r.queue_id).filter((k): k is string => k !== null),
    );
    return {
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      serviceLevelSeconds: sl,
      rows: rows.map((r) => ({
        queueId: r.queue_id,
        label: r.queue_id ? (names.get(r.queue_id) ?? r.queue_id) : NO_QUEUE,
        offered: r.offered,
        answered: r.answered,
        answeredWithinServiceLevel: r.within,
        abandoned: r.abandoned,
        missed: r.missed,
        serviceLevel: r.offered > 0 ? Math.round((r.within / r.offered) * 1000) / 1000 : null,
        avgWaitSeconds: Math.round(r.avg_wait * 10) / 10,
        maxWaitSeconds: r.max_wait,
      })),
    };
  }

  /** Dashboards (`dashboards:view`, Analytics Supervisor and up): the period's charts in one answer. */
  async dashboard(ctx: RequestContext, tenantId: string, q: DashboardQuery): Promise<Dashboard> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'dashboards:view');
    const [perHour, byGroup, byQueue] = await Promise.all(
      (['hour', 'group', 'queue'] as const).map((by) => this.figuresBy(tenantId, { ...q, by })),
    );
    const totals = byQueue!.totals;
    return {
      from: byQueue!.from,
      to: byQueue!.to,
      totals,
      answerRate: rate(totals),
      perHour: perHour!.rows,
      byGroup: byGroup!.rows,
      byQueue: byQueue!.rows,
    };
  }

  /** A wallboard (`wallboards:view`, Analytics Supervisor and up): today's figures, for a wall screen. */
  async wallboard(ctx: RequestContext, tenantId: string, tz: string | undefined): Promise<Wallboard> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'wallboards:view');
    const now = new Date();
    const zone = timeZone(tz);
    // The start of today in the zone: now minus the zone's wall-clock time of day.
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .format(now)
      .split(':')
      .map(Number) as [number, number, number];
    const from = new Date(Math.floor(now.getTime() / 1000) * 1000 - ((wall[0] * 60 + wall[1]) * 60 + wall[2]) * 1000);
    const to = new Date(now.getTime() + 60_000);
    const report = await this.figuresBy(tenantId, { from: from.toISOString(), to: to.toISOString(), by: 'queue' });
    return { at: now.toISOString(), today: report.totals, answerRate: rate(report.totals), byQueue: report.rows };
  }

  /** A call report for a caller that has already decided the actor may read it (schedules, dashboards). */
  async figuresBy(tenantId: string, q: CallReportQuery, db: Executor = this.deps.db): Promise<CallReport> {
    const f = filterOf(tenantId, q);
    const rows = await repo.callReport(db, f, q.by, timeZone(q.tz));
    const totals = rows.find((r) => r.is_total);
    const body = rows.filter((r) => !r.is_total);
    const names = await this.labelsFor(
      db,
      tenantId,
      q.by,
      body.map((r) => r.key).filter((k): k is string => k !== null),
    );
    return {
      by: q.by,
      from: f.from.toISOString(),
      to: f.to.toISOString(),
      rows: body.map((r) => ({ key: r.key, label: this.label(q.by, r.key, names), ...figures(r) })),
      totals: totals ? figures(totals) : EMPTY,
    };
  }

  private async labelsFor(
    db: Executor,
    tenantId: string,
    by: CallReportQuery['by'],
    keys: string[],
  ): Promise<Map<string, string>> {
    const table = by === 'user' ? 'users' : by === 'group' ? 'groups' : by === 'queue' ? 'queues' : null;
    return table ? repo.labels(db, tenantId, table, keys) : new Map();
  }

  private label(by: CallReportQuery['by'], key: string | null, names: Map<string, string>): string {
    if (key === null) return by === 'group' ? NO_GROUP : by === 'queue' ? NO_QUEUE : '';
    return names.get(key) ?? key;
  }
}

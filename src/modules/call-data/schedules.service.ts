import type { Executor } from '../../db/database.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { decideAll, requireAllowed } from './report-access.js';
import { reportCsv, timeZone, type ReportsService } from './reports.service.js';
import * as repo from './schedules.repo.js';
import type {
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedulePatch,
  ReportScheduleSent,
  SavedReport,
} from './schedules.schemas.js';

/** Schedules a sweep mails at most, one transaction each, before giving the event loop back. */
const SWEEP_BATCH = 50;

const SWEEPER: RequestContext = {
  requestId: 'report-schedules',
  actor: { kind: 'provider', id: 'provider', credential: 'system:report-schedules' },
  clientAddr: null,
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function present(r: repo.ScheduleRow): ReportSchedule {
  return {
    id: r.id,
    ownerId: r.owner_id,
    name: r.name,
    report: r.report as SavedReport,
    recipients: r.recipients,
    frequency: r.frequency,
    timeOfDay: r.time_of_day.slice(0, 5),
    dayOfWeek: r.frequency === 'weekly' ? (r.day_of_week ?? 1) : null,
    dayOfMonth: r.frequency === 'monthly' ? (r.day_of_month ?? 1) : null,
    timeZone: r.time_zone,
    enabled: r.enabled,
    nextRunAt: iso(r.next_run_at)!,
    lastRunAt: iso(r.last_run_at),
    lastError: r.last_error,
    version: Number(r.version),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

function valuesOf(s: ReportScheduleInput): repo.ScheduleValues {
  return {
    name: s.name,
    report: s.report,
    recipients: s.recipients,
    frequency: s.frequency,
    time_of_day: s.timeOfDay,
    day_of_week: s.frequency === 'weekly' ? (s.dayOfWeek ?? 1) : null,
    day_of_month: s.frequency === 'monthly' ? (s.dayOfMonth ?? 1) : null,
    time_zone: timeZone(s.timeZone),
    enabled: s.enabled ?? true,
  };
}

const inputOf = (r: ReportSchedule): ReportScheduleInput => ({
  name: r.name,
  report: r.report,
  recipients: r.recipients,
  frequency: r.frequency,
  timeOfDay: r.timeOfDay,
  ...(r.dayOfWeek !== null && { dayOfWeek: r.dayOfWeek }),
  ...(r.dayOfMonth !== null && { dayOfMonth: r.dayOfMonth }),
  timeZone: r.timeZone,
  enabled: r.enabled,
});

/**
 * Report schedules (issue 14, CD3): a saved call report mailed as a CSV attachment daily, weekly or monthly
 * at a time of day in a time zone, through the outbox (written with the run, sent after commit). Reading and
 * managing them needs `reports:view` (Report Supervisor and up, G15); a user sees and changes only the
 * schedules they made (another's answers 404), the provider every one. A run mails only while its owner
 * still holds `reports:view`; otherwise it records why in `lastError`.
 */
export class ReportSchedulesService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly reports: ReportsService,
  ) {}

  async list(
    ctx: RequestContext,
    tenantId: string,
    q: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<{ items: ReportSchedule[]; nextCursor: string | null }> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    const limit = q.limit ?? 50;
    const rows = await repo.listSchedules(this.deps.db, tenantId, ownerOf(ctx) ?? undefined, q.cursor, limit + 1);
    return {
      items: rows.slice(0, limit).map(present),
      nextCursor: rows.length > limit ? rows[limit - 1]!.id : null,
    };
  }

  async get(ctx: RequestContext, tenantId: string, id: string): Promise<ReportSchedule> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    return present(await this.mine(this.deps.db, ctx, tenantId, id));
  }

  async create(ctx: RequestContext, tenantId: string, input: ReportScheduleInput): Promise<ReportSchedule> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    const values = valuesOf(input);
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.insertSchedule(uow.tx, {
        ...values,
        id: newId('rsch'),
        tenant_id: tenantId,
        owner_id: ownerOf(ctx),
      });
      const after = present(row);
      uow.audit({ tenantId, action: 'report_schedule.create', targetType: 'report_schedule', targetId: row.id, after });
      return after;
    });
  }

  async patch(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    patch: ReportSchedulePatch,
    ifMatch?: string,
  ): Promise<ReportSchedule> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = present(await this.mine(uow.tx, ctx, tenantId, id, true));
      assertVersion(ifMatch, before.version);
      const row = await repo.updateSchedule(uow.tx, tenantId, id, valuesOf({ ...inputOf(before), ...patch }));
      const after = present(row);
      uow.audit({
        tenantId,
        action: 'report_schedule.update',
        targetType: 'report_schedule',
        targetId: id,
        before,
        after,
      });
      return after;
    });
  }

  async remove(ctx: RequestContext, tenantId: string, id: string, ifMatch?: string): Promise<void> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    await inTransaction(this.deps, ctx, async (uow) => {
      const before = present(await this.mine(uow.tx, ctx, tenantId, id, true));
      assertVersion(ifMatch, before.version);
      await repo.deleteSchedule(uow.tx, tenantId, id);
      uow.audit({ tenantId, action: 'report_schedule.delete', targetType: 'report_schedule', targetId: id, before });
    });
  }

  /** "Send now": mails the report of the period before now, as a run would, without moving the next run. */
  async sendNow(ctx: RequestContext, tenantId: string, id: string): Promise<ReportScheduleSent> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'reports:view');
    return inTransaction(this.deps, ctx, async (uow) => {
      const row = await this.mine(uow.tx, ctx, tenantId, id);
      return this.mail(uow, row, new Date(), 'report_schedule.send');
    });
  }

  /**
   * The sweep: claims due schedules one by one (exactly once across nodes) and mails each in the claim's
   * transaction. Returns how many runs were claimed.
   */
  async sendDue(): Promise<number> {
    let n = 0;
    for (; n < SWEEP_BATCH; n++) {
      const claimed = await inTransaction(this.deps, SWEEPER, async (uow) => {
        const row = await repo.claimDueSchedule(uow.tx);
        if (!row) return false;
        const refusal = await this.ownerRefusal(uow.tx, row);
        if (refusal) await repo.recordRunError(uow.tx, row.id, refusal);
        else await this.mail(uow, row, row.due, 'report_schedule.run');
        return true;
      });
      if (!claimed) break;
    }
    return n;
  }

  /** Writes one mail per recipient with the report's CSV attached, and the audit entry, in `uow`. */
  private async mail(uow: UnitOfWork, row: repo.ScheduleRow, at: Date, action: string): Promise<ReportScheduleSent> {
    const period = await repo.periodBefore(uow.tx, at, row.time_zone, row.frequency);
    const report = await this.reports.figuresBy(
      row.tenant_id,
      {
        ...(row.report as SavedReport),
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        tz: row.time_zone,
      },
      uow.tx,
    );
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const filename = `${row.name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}-${day(period.from)}.csv`;
    const csv = reportCsv(report);
    for (const to of row.recipients)
      uow.sendMail({
        tenantId: row.tenant_id,
        to,
        subject: `Switchboard report: ${row.name}`,
        text:
          `The scheduled report "${row.name}" (calls by ${report.by}) for ${report.from} to ${report.to} ` +
          `(${row.time_zone}) is attached as CSV: ${report.rows.length} rows and a totals line, ` +
          `${report.totals.total} calls in all.\n\nSchedules are managed in the portal under Reports > Schedules.\n`,
        attachments: [{ filename, contentType: 'text/csv; charset=utf-8', content: csv }],
      });
    const sent: ReportScheduleSent = {
      scheduleId: row.id,
      recipients: row.recipients,
      from: report.from,
      to: report.to,
      rows: report.rows.length,
    };
    uow.audit({ tenantId: row.tenant_id, action, targetType: 'report_schedule', targetId: row.id, after: sent });
    return sent;
  }

  /** Why the owner may no longer receive this report (null: they may; the provider's schedules always run). */
  private async ownerRefusal(db: Executor, row: repo.ScheduleRow): Promise<string | null> {
    if (!row.owner_id) return null;
    const ctx: RequestContext = {
      ...SWEEPER,
      actor: { kind: 'user', id: row.owner_id, tenantId: row.tenant_id, credential: `report_schedule:${row.id}` },
    };
    const v = (await decideAll(db, ctx, row.tenant_id, ['reports:view'])).get('reports:view')!;
    return v.allowed ? null : `${v.rule}: ${v.detail}`;
  }

  /** The schedule if the actor may see it: their own, or any for the provider; otherwise 404. */
  private async mine(
    db: Executor,
    ctx: RequestContext,
    tenantId: string,
    id: string,
    lock = false,
  ): Promise<repo.ScheduleRow> {
    const row = await repo.findSchedule(db, tenantId, id, lock);
    const owner = ownerOf(ctx);
    if (!row || (owner !== null && row.owner_id !== owner)) throw notFound('report schedule');
    return row;
  }
}

/** The user a schedule belongs to: the signed-in user (or an API token's user); null for the provider. */
function ownerOf(ctx: RequestContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.id : null;
}

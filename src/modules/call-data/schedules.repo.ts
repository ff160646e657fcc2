import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Frequency } from './schedules.schemas.js';

/** What a schedule is made of (the rest is kept by the database). */
export interface ScheduleValues {
  name: string;
  report: Record<string, unknown>;
  recipients: string[];
  frequency: Frequency;
  time_of_day: string;
  day_of_week: number | null;
  day_of_month: number | null;
  time_zone: string;
  enabled: boolean;
}

/** A stored schedule: what it is made of, its owner and what the database keeps (runs, version). */
export interface ScheduleRow extends ScheduleValues {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  next_run_at: Date;
  last_run_at: Date | null;
  last_error: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The next run after now, computed by the database function every node shares. */
const NEXT = sql`report_schedule_next(now(), time_zone, frequency, time_of_day, day_of_week, day_of_month)`;

/** A tenant's schedules (only `ownerId`'s when given), oldest first, keyset-paged by id. */
export async function listSchedules(
  db: Executor,
  tenantId: string,
  ownerId: string | undefined,
  after: string | undefined,
  limit: number,
): Promise<ScheduleRow[]> {
  const r = await sql<ScheduleRow>`
    select * from report_schedules
    where tenant_id = ${tenantId} ${ownerId ? sql`and owner_id = ${ownerId}` : sql``}
      ${after ? sql`and id > ${after}` : sql``}
    order by id limit ${limit}`.execute(db);
  return r.rows;
}

export async function findSchedule(
  db: Executor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<ScheduleRow | undefined> {
  const r = await sql<ScheduleRow>`
    select * from report_schedules where tenant_id = ${tenantId} and id = ${id} ${lock ? sql`for update` : sql``}`.execute(
    db,
  );
  return r.rows[0];
}

export async function insertSchedule(
  db: Executor,
  row: ScheduleValues & { id: string; tenant_id: string; owner_id: string | null },
): Promise<ScheduleRow> {
  const r = await sql<ScheduleRow>`
    insert into report_schedules (id, tenant_id, owner_id, name, report, recipients, frequency, time_of_day,
      day_of_week, day_of_month, time_zone, enabled, next_run_at)
    values (${row.id}, ${row.tenant_id}, ${row.owner_id}, ${row.name}, ${JSON.stringify(row.report)}::jsonb,
      ${row.recipients}::text[], ${row.frequency}, ${row.time_of_day}::time, ${row.day_of_week}::int,
      ${row.day_of_month}::int, ${row.time_zone}, ${row.enabled},
      report_schedule_next(now(), ${row.time_zone}, ${row.frequency}, ${row.time_of_day}::time, ${row.day_of_week}::int,
        ${row.day_of_month}::int))
    returning *`.execute(db);
  return r.rows[0]!;
}

/** Replaces a schedule's values, bumps its version and computes its next run again. */
export async function updateSchedule(
  db: Executor,
  tenantId: string,
  id: string,
  v: ScheduleValues,
): Promise<ScheduleRow> {
  const r = await sql<ScheduleRow>`
    update report_schedules set name = ${v.name}, report = ${JSON.stringify(v.report)}::jsonb,
      recipients = ${v.recipients}::text[], frequency = ${v.frequency}, time_of_day = ${v.time_of_day}::time,
      day_of_week = ${v.day_of_week}::int, day_of_month = ${v.day_of_month}::int, time_zone = ${v.time_zone},
      enabled = ${v.enabled}, version = version + 1, updated_at = now()
    where tenant_id = ${tenantId} and id = ${id}
    returning *`.execute(db);
  const row = r.rows[0]!;
  const next = await sql<ScheduleRow>`
    update report_schedules set next_run_at = ${NEXT} where id = ${id} returning *`.execute(db);
  return next.rows[0] ?? row;
}

export async function deleteSchedule(db: Executor, tenantId: string, id: string): Promise<void> {
  await sql`delete from report_schedules where tenant_id = ${tenantId} and id = ${id}`.execute(db);
}

/**
 * Claims one due schedule: moves its next run past now and returns it with the run it was due for. Rows
 * another node is claiming are skipped (`skip locked`), so every run is claimed exactly once across nodes;
 * the caller writes its mail in the same transaction, so a run is mailed once or, rolled back, claimed again.
 */
export async function claimDueSchedule(db: Executor): Promise<(ScheduleRow & { due: Date }) | undefined> {
  const r = await sql<ScheduleRow & { due: Date }>`
    update report_schedules s set next_run_at = ${NEXT}, last_run_at = now(), last_error = null
    from (select id, next_run_at as due from report_schedules
          where enabled and next_run_at <= now() order by next_run_at limit 1 for update skip locked) d
    where s.id = d.id
    returning s.*, d.due`.execute(db);
  return r.rows[0];
}

export async function recordRunError(db: Executor, id: string, error: string): Promise<void> {
  await sql`update report_schedules set last_error = ${error} where id = ${id}`.execute(db);
}

/**
 * The period a run at `at` reports on: the day, the seven days or the calendar month before the run's
 * day, from midnight to midnight in the zone.
 */
export async function periodBefore(
  db: Executor,
  at: Date,
  tz: string,
  frequency: Frequency,
): Promise<{ from: Date; to: Date }> {
  const step = frequency === 'daily' ? '1 day' : frequency === 'weekly' ? '7 days' : '1 month';
  const r = await sql<{ from: Date; to: Date }>`
    select (d - ${step}::interval) at time zone ${tz} as "from", d at time zone ${tz} as "to"
    from (select date_trunc('day', ${at}::timestamptz at time zone ${tz}) as d) x`.execute(db);
  const row = r.rows[0]!;
  return { from: new Date(row.from), to: new Date(row.to) };
}

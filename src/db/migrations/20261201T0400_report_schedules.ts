import { sql, type Kysely } from 'kysely';

/**
 * Report schedules (issue 14, CD3): a saved call report mailed as CSV daily, weekly or monthly at a time of
 * day in a time zone. `next_run_at` is computed by `report_schedule_next` (in the database, so every node
 * and the claim agree on it); the sweep claims due rows with `for update skip locked`. The dev mailbox keeps
 * attachments too (mail without SMTP_URL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_schedules (
      id text primary key,
      tenant_id text not null references tenants(id) on delete cascade,
      owner_id text references users(id) on delete cascade,
      name text not null,
      report jsonb not null,
      recipients text[] not null,
      frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
      time_of_day time not null,
      day_of_week int check (day_of_week between 1 and 7),
      day_of_month int check (day_of_month between 1 and 28),
      time_zone text not null,
      enabled boolean not null default true,
      next_run_at timestamptz not null,
      last_run_at timestamptz,
      last_error text,
      version int not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index report_schedules_tenant on report_schedules (tenant_id, owner_id, created_at)`.execute(db);
  await sql`create index report_schedules_due on report_schedules (next_run_at) where enabled`.execute(db);
  // The next run strictly after "after": the day's (the week's day's, the month's day's) time of day in the
  // zone, a later one when that has passed. Local wall time, so a daylight-saving change keeps the hour.
  await sql`
    create function report_schedule_next(after timestamptz, tz text, freq text, tod time, dow int, dom int)
    returns timestamptz language sql stable as $$
      with l as (select after at time zone tz as t),
      b as (
        select t, case freq
          when 'daily' then date_trunc('day', t)
          when 'weekly' then date_trunc('week', t) + (coalesce(dow, 1) - 1) * interval '1 day'
          else date_trunc('month', t) + (coalesce(dom, 1) - 1) * interval '1 day' end + tod as base,
          case freq when 'daily' then interval '1 day' when 'weekly' then interval '7 days'
          else interval '1 month' end as step
        from l)
      select (case when base > t then base else base + step end) at time zone tz from b
    $$`.execute(db);
  await sql`alter table dev_mailbox add column attachments jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table dev_mailbox drop column attachments`.execute(db);
  await sql`drop function report_schedule_next`.execute(db);
  await sql`drop table report_schedules`.execute(db);
}

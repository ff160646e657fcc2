import { sql, type Kysely } from 'kysely';

/**
 * Plans in the database (SPEC 7: providers add their own) and tenant suspension.
 *
 * - `plans`: the built-in catalog plans (`basic`, `reach`, `record`, marked `builtin`) and the
 *   provider's own. A tenant's `plan` references one, so a plan in use cannot vanish.
 * - `tenants.status` (`active` | `suspended`) and `suspended_at`: a suspended tenant keeps its data;
 *   its sessions end and its sign-ins and tokens are refused until it is resumed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table plans (
      key text primary key,
      name text not null,
      features text[] not null,
      builtin boolean not null default false,
      version bigint not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into plans (key, name, features, builtin, version) values
      ('basic', 'Basic', array['calls', 'sms', 'crm_overlay'], true, 0),
      ('reach', 'Reach', array['calls', 'sms', 'crm_overlay', 'dial_restriction'], true, 0),
      ('record', 'Record', array['calls', 'sms', 'crm_overlay', 'dial_restriction', 'recording'], true, 0)`.execute(db);
  await sql`alter table tenants add constraint tenants_plan_fkey foreign key (plan) references plans (key)`.execute(db);
  await sql`create index tenants_plan on tenants (plan)`.execute(db);
  await sql`alter table tenants add column status text not null default 'active'
            check (status in ('active', 'suspended'))`.execute(db);
  await sql`alter table tenants add column suspended_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tenants drop column suspended_at`.execute(db);
  await sql`alter table tenants drop column status`.execute(db);
  await sql`drop index tenants_plan`.execute(db);
  await sql`alter table tenants drop constraint tenants_plan_fkey`.execute(db);
  await sql`drop table plans`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Call data (issue 14): what each licence stores.
 *
 * - `user_data_licences`: who held Essential and the Agent add-on, and which primary group, from when.
 *   A trigger on `users` appends a row whenever licences, primary group, status or source change, in the
 *   same transaction as the change, whatever writes it (users API, platform sync, operator's CLI), so
 *   ingestion decides by the licence held at the time of each call or event (G4, A4).
 * - `call_records`, `call_participants`, `agent_events`: partitioned by month on the event time. The
 *   application creates each month's partition before it first writes there (PGlite works the same)
 *   and drops or prunes old ones by each tenant's retention.
 * - `call_data_settings`: per tenant retention, within the bound the provider sets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_data_licences (
      tenant_id text not null,
      user_id text not null,
      valid_from timestamptz not null,
      essential boolean not null,
      agent boolean not null,
      primary_group_id text,
      primary key (tenant_id, user_id, valid_from)
    )`.execute(db);

  await sql`
    create function record_user_data_licence() returns trigger language plpgsql as $$
    declare
      live boolean := new.source = 'platform' and new.status <> 'removed';
    begin
      if tg_op = 'UPDATE' and new.licences is not distinct from old.licences
         and new.primary_group_id is not distinct from old.primary_group_id
         and new.status is not distinct from old.status and new.source is not distinct from old.source then
        return new;
      end if;
      insert into user_data_licences (tenant_id, user_id, valid_from, essential, agent, primary_group_id)
      values (new.tenant_id, new.id, now(), live and 'essential' = any(new.licences),
              live and 'agent' = any(new.licences), new.primary_group_id)
      on conflict (tenant_id, user_id, valid_from) do update
        set essential = excluded.essential, agent = excluded.agent, primary_group_id = excluded.primary_group_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger users_data_licence after insert or update on users
    for each row execute function record_user_data_licence()`.execute(db);
  // Users who exist already held their licences since they were created.
  await sql`
    insert into user_data_licences (tenant_id, user_id, valid_from, essential, agent, primary_group_id)
    select tenant_id, id, created_at,
           source = 'platform' and status <> 'removed' and 'essential' = any(licences),
           source = 'platform' and status <> 'removed' and 'agent' = any(licences),
           primary_group_id
    from users`.execute(db);

  await sql`
    create table call_records (
      tenant_id text not null,
      external_id text not null,
      started_at timestamptz not null,
      conversation_id text,
      answered_at timestamptz,
      ended_at timestamptz,
      direction text not null,
      disposition text not null,
      from_number text,
      from_name text,
      to_number text,
      to_name text,
      queue_id text,
      queue_external_id text,
      wait_seconds integer not null,
      talk_seconds integer not null,
      recordings jsonb not null default '[]',
      participants jsonb not null default '[]',
      primary key (tenant_id, started_at, external_id)
    ) partition by range (started_at)`.execute(db);
  await sql`create index call_records_queue on call_records (tenant_id, queue_id, started_at)`.execute(db);

  // One row per participant who held Essential at the time of the call: what reports by user and group read.
  await sql`
    create table call_participants (
      tenant_id text not null,
      started_at timestamptz not null,
      call_id text not null,
      user_id text not null,
      group_id text,
      role text not null,
      direction text not null,
      disposition text not null,
      queue_id text,
      wait_seconds integer not null,
      talk_seconds integer not null,
      joined_at timestamptz,
      left_at timestamptz,
      primary key (tenant_id, started_at, call_id, user_id, role)
    ) partition by range (started_at)`.execute(db);
  await sql`create index call_participants_user on call_participants (tenant_id, user_id, started_at)`.execute(db);
  await sql`create index call_participants_group on call_participants (tenant_id, group_id, started_at)`.execute(db);

  await sql`
    create table agent_events (
      tenant_id text not null,
      external_id text not null,
      at timestamptz not null,
      user_id text not null,
      type text not null,
      queue_id text,
      reason text,
      state text,
      conversation_id text,
      primary key (tenant_id, at, external_id)
    ) partition by range (at)`.execute(db);
  await sql`create index agent_events_user on agent_events (tenant_id, user_id, at)`.execute(db);

  await sql`
    create table call_data_settings (
      tenant_id text primary key references tenants(id) on delete cascade,
      retention_days integer not null,
      retention_max_days integer not null
    )`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Tickets for one resource (D1): besides a user's stream ticket, a ticket may name the one path it
 * opens (a CSV download link, the live statistics WebSocket) and may be the provider's, which has no
 * session, user or tenant of its own. Existing rows stay user tickets for any stream, as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stream_tickets add column kind text not null default 'user'`.execute(db);
  await sql`alter table stream_tickets add column resource text`.execute(db);
  await sql`alter table stream_tickets alter column tenant_id drop not null`.execute(db);
  await sql`alter table stream_tickets alter column user_id drop not null`.execute(db);
  await sql`alter table stream_tickets alter column session_id drop not null`.execute(db);
  // A user's ticket keeps its session (it dies with it); the provider's always names its resource.
  await sql`alter table stream_tickets add constraint stream_tickets_owner check (
    (kind = 'user' and tenant_id is not null and user_id is not null and session_id is not null)
    or (kind = 'provider' and tenant_id is null and user_id is null and session_id is null and resource is not null)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from stream_tickets where kind <> 'user'`.execute(db);
  await sql`alter table stream_tickets drop constraint stream_tickets_owner`.execute(db);
  await sql`alter table stream_tickets alter column session_id set not null`.execute(db);
  await sql`alter table stream_tickets alter column user_id set not null`.execute(db);
  await sql`alter table stream_tickets alter column tenant_id set not null`.execute(db);
  await sql`alter table stream_tickets drop column resource`.execute(db);
  await sql`alter table stream_tickets drop column kind`.execute(db);
}

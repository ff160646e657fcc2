import { sql, type Kysely } from 'kysely';

/**
 * A provider ticket keeps the hash of the provider token that asked for it, so rotating the token
 * (`switchboard provider-token rotate`) ends the tickets it issued, as ending a session ends a user's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stream_tickets add column credential_hash text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stream_tickets drop column credential_hash`.execute(db);
}

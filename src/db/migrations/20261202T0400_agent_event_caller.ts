import { sql, type Kysely } from 'kysely';

/**
 * Live calls (CD5): an agent event about a conversation may carry the caller's number (the caller id of
 * Asterisk's ENTERQUEUE, Amazon Connect's customer endpoint), so the live snapshot can show who is on a
 * call in progress before its call record arrives. Null when the phone system withholds it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agent_events add column caller_number text`.execute(db);
}

import type { Kysely } from 'kysely';

/**
 * The request id a client sent (`X-Request-Id`, when well-formed) is kept beside the server's own
 * request id, never instead of it: the server's id is unique and trusted, the client's correlates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('client_request_id', 'text').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * Stream tickets (D1): browsers cannot set headers on a WebSocket, so they trade their session for
 * a short-lived, single-use ticket and pass it in the query. Tickets live in the database (not in
 * one node's memory) because the WebSocket may land on another node than the request that made it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stream_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Only the SHA-256 of the ticket is stored, like every other bearer secret.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await sql`create index stream_tickets_expiry on stream_tickets (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stream_tickets').execute();
}

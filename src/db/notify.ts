import { sql } from 'kysely';
import type { Tx } from './database.js';

/** Sends a notification inside the transaction: delivered if and only if it commits, in commit order. */
export async function notifyInTransaction(tx: Tx, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(tx);
}

import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { Database } from './schema.js';

/** A bulk write of at least this many rows is followed by ANALYZE of the tables it wrote. */
export const ANALYZE_AFTER_ROWS = 500;

/**
 * Refreshes the planner's statistics of `tables` (ARCHITECTURE: "ANALYZE after bulk writes; never
 * rely on autovacuum"): right after a 10,000-user import, plans made with the old row counts scan
 * whole tenants. Run it after the writing transaction commits.
 */
export async function analyzeTables(db: Executor, tables: ReadonlyArray<keyof Database>): Promise<void> {
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db);
}

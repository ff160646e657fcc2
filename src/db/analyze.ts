import { sql } from 'kysely';
import type { Executor } from './database.js';

/** A bulk write of at least this many rows is followed by ANALYZE of the tables it wrote. */
export const ANALYZE_AFTER_ROWS = 500;

/**
 * Refreshes the planner's statistics of `tables` (ARCHITECTURE: "ANALYZE after bulk writes; never
 * rely on autovacuum"): right after a 10,000-user import, plans made with the old row counts scan
 * whole tenants. Run it after the writing transaction commits. `tables` are table names (the call-data
 * tables are written in SQL and are not in the typed schema).
 */
export async function analyzeTables(db: Executor, tables: ReadonlyArray<string>): Promise<void> {
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db);
}

/**
 * The rows the planner believes `table` holds: its own estimate, or for a partitioned table the sum
 * of its partitions' (0 for a table never analysed).
 */
async function estimatedRows(db: Executor, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string | null }>`
    select greatest(c.reltuples, 0) + coalesce((
      select sum(greatest(p.reltuples, 0)) from pg_inherits i join pg_class p on p.oid = i.inhrelid
      where i.inhparent = c.oid), 0) as n
    from pg_class c where c.oid = to_regclass(${table})`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Keeps the statistics of tables written in bulk by many small commits (call records, agent events,
 * CSV imports): it counts the rows written since a table's last ANALYZE and analyses the table in the
 * background, off the request path and one table at a time, once they pass autovacuum's own rule
 * (50 rows plus 10% of the table) and at least `ANALYZE_AFTER_ROWS`.
 */
class StatisticsKeeper {
  private readonly written = new Map<string, number>();
  /** Who hears of a failed analysis of each table (the service that writes it). */
  private readonly onErrors = new Map<string, (err: unknown) => void>();
  private running = false;
  private again = false;

  constructor(private readonly db: Executor) {}

  wrote(table: string, rows: number, onError: (err: unknown) => void): void {
    if (!(rows > 0)) return;
    this.onErrors.set(table, onError);
    this.written.set(table, (this.written.get(table) ?? 0) + rows);
    if (this.running) this.again = true;
    else this.start();
  }

  /** Resolves once no analysis is running or due (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private start(): void {
    this.running = true;
    this.again = false;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      for (const [table, rows] of this.written) {
        let counted = false;
        try {
          if (rows < ANALYZE_AFTER_ROWS || rows < 50 + 0.1 * (await estimatedRows(this.db, table))) continue;
          // Rows written while it runs count toward the next analysis.
          this.written.set(table, 0);
          counted = true;
          await analyzeTables(this.db, [table]);
        } catch (err) {
          // Not analysed: its rows count again toward the next attempt.
          if (counted) this.written.set(table, (this.written.get(table) ?? 0) + rows);
          this.onErrors.get(table)?.(err);
          return;
        }
      }
    } finally {
      this.running = false;
      if (this.again) this.start();
    }
  }
}

const keepers = new WeakMap<Executor, StatisticsKeeper>();

/**
 * Notes that a committed unit of work wrote `rows` rows of `table` (see StatisticsKeeper). Pass the
 * service's database, never a transaction. A failed analysis is reported to `onError` and retried
 * after the next write.
 */
export function noteBulkWrite(db: Executor, table: string, rows: number, onError: (err: unknown) => void): void {
  let keeper = keepers.get(db);
  if (!keeper) keepers.set(db, (keeper = new StatisticsKeeper(db)));
  keeper.wrote(table, rows, onError);
}

/** Resolves once the background analyses of `db` are done (tests; a node stopping). */
export function statisticsSettled(db: Executor): Promise<void> {
  return keepers.get(db)?.settled() ?? Promise.resolve();
}

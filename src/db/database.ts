import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type Migration,
  type MigrationProvider,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import { openThrowAwayPglite } from './pglite-template.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repos accept both. */
export type Executor = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The embedded database, when `kind` is `pglite` (used for in-process change notifications). */
  pglite?: PGlite;
  /** A connection string for LISTEN, when `kind` is `postgres`. */
  url?: string;
  /** Connections of the PostgreSQL pool (absent on the embedded database, which has one). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

// Versions and counters are int8 in PostgreSQL; they stay far below 2^53, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens PostgreSQL when `databaseUrl` is set, else the embedded PGlite database in `dataDir` (`memory://` for tests). */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  onIdleError?: (err: Error) => void;
  /** PostgreSQL only: a connection that does not open in time fails (503), it does not hold the request. */
  connectTimeoutMs?: number;
  /** PostgreSQL only: a statement, or a transaction left idle, past this is ended by the server. */
  statementTimeoutMs?: number;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 30_000,
      ...(opts.statementTimeoutMs && {
        statement_timeout: opts.statementTimeoutMs,
        idle_in_transaction_session_timeout: opts.statementTimeoutMs,
        // A network that swallows packets never lets the server's timeout answer: the client's own.
        query_timeout: opts.statementTimeoutMs + 5000,
      }),
    });
    // An idle connection that the server ends (restart, failover) must not crash the process: the
    // pool drops it and opens a new one on demand.
    pool.on('error', (err) => opts.onIdleError?.(err));
    // A connection that dies while checked out (between two statements of a transaction, during an
    // outage) emits an error with no listener of the pool's: without one of its own it would end the
    // process. The statement in flight fails on its own (503), and the pool discards the connection.
    pool.on('connect', (client) => client.on('error', (err) => opts.onIdleError?.(err)));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      url: opts.databaseUrl,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  const dir = opts.dataDir === 'memory://' ? undefined : resolve(opts.dataDir);
  if (dir) mkdirSync(dir, { recursive: true });
  const options = { parsers: { 20: (v: string) => Number(v) } };
  const pglite = dir ? new PGlite(dir, options) : await openThrowAwayPglite(options);
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));

/** Reads migrations from `src/db/migrations` (or its compiled copy), in name order. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const folder = join(here, 'migrations');
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(folder).sort()) {
      if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
      const name = file.replace(/\.(ts|js)$/, '');
      out[name] = (await import(pathToFileURL(join(folder, file)).href)) as Migration;
    }
    return out;
  }
}

/** Applies every pending migration (forward-only). Returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this code has that the database has not applied yet. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/** Answers when the database does (readiness). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

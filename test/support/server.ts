import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { buildServer, type Server } from '../../src/app.js';
import { loadConfig } from '../../src/infra/config.js';

export const PROVIDER_TOKEN = 'test-provider-token-0123456789abcdef';
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DbKind = 'pglite' | 'postgres';

let reachable: boolean | undefined;
/** Whether the PostgreSQL of the test machine answers. With REQUIRE_POSTGRES=1 an absent one fails the run. */
export async function postgresReachable(): Promise<boolean> {
  if (reachable !== undefined) return reachable;
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.query('select 1'); reachable = true; } catch { reachable = false; } finally { await c.end().catch(() => {}); }
  if (!reachable && process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${ADMIN_URL} is not reachable`);
  if (!reachable) console.warn(`\n*** PostgreSQL at ${ADMIN_URL} is not reachable: the PostgreSQL runs of the API suite are SKIPPED ***\n`);
  return reachable;
}

/** Creates a database of its own for one test file; returns its URL and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestServer extends Server { kind: DbKind; stop(): Promise<void> }

/** A server on a fresh database of the given kind, with the test provider token. */
export async function startTestServer(kind: DbKind, env: Record<string, string> = {}): Promise<TestServer> {
  let drop = async () => {};
  const vars: Record<string, string> = { SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN, LOG_LEVEL: 'silent', SWITCHBOARD_DATA_DIR: 'memory://', ...env };
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    vars.DATABASE_URL = db.url;
    drop = db.drop;
  }
  const server = await buildServer(loadConfig(vars));
  return { ...server, kind, stop: async () => { await server.close(); await drop(); } };
}

const wantPostgres = process.env.SKIP_POSTGRES !== '1';
const pgAvailable = wantPostgres ? await postgresReachable() : false;

/** Runs a suite on the embedded database always, and on PostgreSQL when reachable (required in CI). */
export function describeEachDatabase(name: string, fn: (kind: DbKind) => void): void {
  describe(`${name} [pglite]`, () => fn('pglite'));
  describe.skipIf(!pgAvailable)(`${name} [postgres]`, () => fn('postgres'));
}

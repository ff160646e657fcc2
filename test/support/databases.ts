import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Databases for tests and benchmarks: the machine's PostgreSQL, one fresh database per suite. No test-runner imports here. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DbKind = 'pglite' | 'postgres';

let reachable: boolean | undefined;
/** Whether the PostgreSQL of the test machine answers. With REQUIRE_POSTGRES=1 an absent one fails the run. */
export async function postgresReachable(): Promise<boolean> {
  if (reachable !== undefined) return reachable;
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    reachable = true;
  } catch {
    reachable = false;
  } finally {
    await c.end().catch(() => {});
  }
  if (!reachable && process.env.REQUIRE_POSTGRES === '1')
    throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${ADMIN_URL} is not reachable`);
  if (!reachable)
    console.warn(
      `\n*** PostgreSQL at ${ADMIN_URL} is not reachable: the PostgreSQL runs of the API suite are SKIPPED ***\n`,
    );
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

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { ImportJob } from '../../src/contract/index.js';
import type { Executor } from '../../src/db/database.js';
import { noteBulkWrite, statisticsSettled } from '../../src/db/analyze.js';
import { serverSuite } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN } from '../support/server.js';

/** What the planner believes `table` holds (-1 or 0 before any ANALYZE). */
async function plannerRows(db: Executor, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select reltuples::float8 as n from pg_class where oid = to_regclass(${table})`.execute(db);
  return Number(rows[0]?.n ?? -1);
}

async function insertProbes(db: Executor, from: number, count: number): Promise<void> {
  await sql`insert into statistics_probe (n) select g from generate_series(${from}::int, ${from + count - 1}::int) g`.execute(
    db,
  );
}

describeEachDatabase('statistics after bulk writes (ANALYZE, never autovacuum)', (kind) => {
  const { a, server } = serverSuite(kind);
  const failed: unknown[] = [];
  const note = (table: string, rows: number) => noteBulkWrite(server().deps.db, table, rows, (err) => failed.push(err));

  it('a table is analysed in the background once the rows written since pass 500 and 50 + 10% of it', async () => {
    const db = server().deps.db;
    await sql`create table statistics_probe (n integer)`.execute(db);
    await insertProbes(db, 0, 400);
    note('statistics_probe', 400);
    await statisticsSettled(db);
    expect(await plannerRows(db, 'statistics_probe')).toBeLessThan(1); // under 500 rows: not yet

    await insertProbes(db, 400, 5_600);
    note('statistics_probe', 5_600);
    await statisticsSettled(db);
    expect(await plannerRows(db, 'statistics_probe')).toBe(6_000); // 6,000 written since: analysed

    await insertProbes(db, 6_000, 550);
    note('statistics_probe', 550);
    await statisticsSettled(db);
    expect(await plannerRows(db, 'statistics_probe')).toBe(6_000); // 550 < 50 + 600: not yet

    await insertProbes(db, 6_550, 150);
    note('statistics_probe', 150);
    await statisticsSettled(db);
    expect(await plannerRows(db, 'statistics_probe')).toBe(6_700); // 700 since: analysed
    expect(failed).toEqual([]);
  });

  it('a CSV import of 600 users leaves the users table analysed', async () => {
    const db = server().deps.db;
    const { id: t } = await a.tenant();
    const before = await plannerRows(db, 'users');
    const csv = ['displayName', ...Array.from({ length: 600 }, (_, i) => `Imported ${i}`)].join('\n');
    const res = await server().app.inject({
      method: 'POST',
      url: `/v1/tenants/${t}/users/import`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode).toBe(202);
    let job = res.json<ImportJob>();
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await a.call<ImportJob>('GET', `/v1/tenants/${t}/users/import/${job.id}`, { token: PROVIDER_TOKEN })).body;
    }
    expect(job).toMatchObject({ status: 'done', result: { created: 600 } });
    await statisticsSettled(db);
    expect(await plannerRows(db, 'users')).toBeGreaterThanOrEqual(Math.max(before, 0) + 600);
  });
});

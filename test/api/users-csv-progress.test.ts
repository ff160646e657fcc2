import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { ImportJob, UserPage } from '../../src/contract/index.js';
import { serverSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN } from '../support/server.js';

/**
 * P3: a large import shows its progress while it runs, and the database keeps serving the portal. On
 * the embedded database (one connection) an import of every row or none holds the connection: its
 * progress is answered from the running node's memory, and the session and tenant checks of the
 * request from this node's recent verifications; an import of only the valid rows commits a part at
 * a time, so other requests (the users list) are answered between parts.
 */
describeEachDatabase('users CSV import progress (P3)', (kind) => {
  const { a, server } = serverSuite(kind);

  /** An administrator's portal session (Manage Users), and its first request, so its verification is recent. */
  async function administrator(t: string): Promise<string> {
    const u = await a.user(t, { email: uniqueEmail('importer'), permissions: ['website_access', 'manage_users'] });
    const token = await a.session(t, u.id);
    expect((await a.call('GET', `/v1/tenants/${t}/users?limit=1`, { token })).status).toBe(200);
    return token;
  }

  function file(rows: number, tag: string, crashAt?: number): string {
    const lines = ['displayName,email'];
    for (let i = 0; i < rows; i++)
      lines.push(`${i === crashAt ? `Crash ${tag}` : `User ${tag} ${i}`},${tag}.${i}@progress.example`);
    return lines.join('\n');
  }

  async function start(t: string, token: string, csv: string, query: string): Promise<ImportJob> {
    const res = await server().app.inject({
      method: 'POST',
      url: `/v1/tenants/${t}/users/import${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode).toBe(202);
    return res.json<ImportJob>();
  }

  async function poll(t: string, token: string, id: string): Promise<ImportJob> {
    const r = await a.call<ImportJob>('GET', `/v1/tenants/${t}/users/import/${id}`, { token });
    expect(r.status).toBe(200);
    return r.body;
  }

  /** Polls the job to its end; `during` runs once, at the first poll that shows rows done but not all. */
  async function follow(t: string, token: string, job: ImportJob, during?: () => Promise<void>) {
    const seen: number[] = [];
    let ran = false;
    while (job.status === 'running') {
      seen.push(job.processedRows);
      if (during && !ran && job.processedRows > 0 && job.processedRows < job.totalRows) {
        ran = true;
        await during();
      }
      await new Promise((r) => setTimeout(r, 10));
      job = await poll(t, token, job.id);
    }
    return { job, seen, ran };
  }

  const count = async (t: string) =>
    Number(
      (
        await sql<{ n: number | string }>`select count(*) as n from users where tenant_id = ${t}`.execute(
          server().deps.db,
        )
      ).rows[0]!.n,
    );

  it('P3: an import of every row or none reports rising progress to a portal session while it runs, and writes every row at its end', async () => {
    const { id: t } = await a.tenant();
    const token = await administrator(t);
    const before = await count(t);
    const total = 4000;
    const { job, seen } = await follow(t, token, await start(t, token, file(total, `all${kind}`), ''));
    expect(job).toMatchObject({ status: 'done', totalRows: total, processedRows: total, result: { created: total } });
    expect(seen.some((n) => n > 0 && n < total)).toBe(true);
    // Progress only rises.
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(await count(t)).toBe(before + total);
  });

  it.each([
    ['an import of only the valid rows', '?mode=valid', true],
    ['a dry run', '?dryRun=true', false],
  ])(
    'P3: %s answers other requests (the users list) while it runs, and its progress rises',
    async (_what, query, writes) => {
      const { id: t } = await a.tenant();
      const token = await administrator(t);
      const before = await count(t);
      const total = 4000;
      const started = await start(t, token, file(total, `parts${kind}${writes}`), query);
      const { job, seen, ran } = await follow(t, token, started, async () => {
        const list = await a.call<UserPage>('GET', `/v1/tenants/${t}/users?limit=5`, { token });
        expect(list.status).toBe(200);
        // The list answered while the import still runs: its rows are checked a part at a time.
        const now = await poll(t, token, started.id);
        expect(now.status).toBe('running');
        expect(now.processedRows).toBeLessThan(total);
        expect(list.body.items.length).toBeGreaterThan(0);
      });
      expect(ran).toBe(true);
      expect(seen.some((n) => n > 0 && n < total)).toBe(true);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      expect(job).toMatchObject({ status: 'done', processedRows: total, result: { created: total, invalid: 0 } });
      expect(await count(t)).toBe(before + (writes ? total : 0));
      // One user.import entry, written with the last part; none for a dry run.
      const audit = await a.asProvider<{ items: Array<{ action: string }> }>(
        'GET',
        `/v1/tenants/${t}/audit?action=user.import`,
      );
      expect(audit.body.items.filter((e) => e.action === 'user.import')).toHaveLength(writes ? 1 : 0);
    },
  );

  it('P3: a crash mid-import writes nothing of an import of every row or none; of only the valid rows, the parts before it stay and are reported', async () => {
    const { id: t } = await a.tenant();
    const token = await administrator(t);
    const before = await count(t);
    const tag = `crash${kind}${Date.now()}`;
    // The database refuses one row with an error no rule foresees (an internal error, not a row's refusal).
    await sql
      .raw(
        `create function refuse_${tag}() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$`,
      )
      .execute(server().deps.db);
    await sql
      .raw(
        `create trigger refuse_${tag} before insert on users for each row when (new.display_name = 'Crash ${tag}') execute function refuse_${tag}()`,
      )
      .execute(server().deps.db);
    try {
      const total = 2600;
      const all = await follow(t, token, await start(t, token, file(total, tag, 2300), ''));
      expect(all.job).toMatchObject({ status: 'failed', result: { failureCode: 'internal_error' } });
      expect(await count(t)).toBe(before);

      const valid = await follow(t, token, await start(t, token, file(total, tag, 2300), '?mode=valid'));
      // Parts of 500 rows: the first four committed, the fifth (rows 2000-2499) stopped at the refused row.
      expect(valid.job).toMatchObject({
        status: 'failed',
        processedRows: 2000,
        result: { created: 2000, failureCode: 'internal_error' },
      });
      expect(await count(t)).toBe(before + 2000);
    } finally {
      await sql.raw(`drop trigger refuse_${tag} on users`).execute(server().deps.db);
      await sql.raw(`drop function refuse_${tag}()`).execute(server().deps.db);
    }
  });

  it('P3, C6, G2: a dry run checked in parts (each rolled back) says what applying the file does, row for row', async () => {
    const { id: t } = await a.tenant({ licencePools: { supervisor_report: 300 } });
    // The provider: giving a licence needs Manage Billable Items (C2), which the pool test is not about.
    const token = PROVIDER_TOKEN;
    const moved = await a.user(t, { displayName: 'Moved', email: uniqueEmail('moved-from') });
    const to = uniqueEmail('moved-to');
    const tag = `parity${kind}`;
    const lines = ['id,displayName,email,supervisorLevel,permissions'];
    // Row 2 moves a user's email; in a later part, row 702 names the new email (the same user: a
    // conflict) and row 802 the old one (free again: a new user). Every other row asks for a
    // supervisor licence from a pool of 300.
    lines.push(`${moved.id},Moved,${to},none,`);
    for (let i = 1; i < 1200; i++)
      lines.push(`,User ${tag} ${i},${tag}.${i}@parity.example,${i % 2 ? 'report' : 'none'},website_access`);
    lines[701] = `,Same as row 2,${to},none,`;
    lines[801] = `,Old email,${moved.email},none,`;
    const csv = lines.join('\n');
    const dry = await follow(t, token, await start(t, token, csv, '?dryRun=true'));
    const applied = await follow(t, token, await start(t, token, csv, '?mode=valid'));
    expect(dry.job.status).toBe('done');
    expect(applied.job.status).toBe('done');
    const counts = (r: ImportJob['result']) => ({
      created: r!.created,
      updated: r!.updated,
      unchanged: r!.unchanged,
      invalid: r!.invalid,
    });
    expect(counts(dry.job.result)).toEqual(counts(applied.job.result));
    expect(dry.job.result!.errors).toEqual(applied.job.result!.errors);
    const errorAt = (row: number) => dry.job.result!.errors.filter((e) => e.row === row).map((e) => e.code);
    expect(errorAt(702)).toEqual(['conflict']);
    expect(errorAt(802)).toEqual([]);
    // 600 rows ask for a supervisor licence: 300 get one, the rest are refused (C6), in both.
    expect(dry.job.result!.errors.filter((e) => e.rule === 'C6')).toHaveLength(300);
  });

  it('P3: a job of only the valid rows whose node stopped reads as failed, import_interrupted, and still reports the parts it committed', async () => {
    const { id: t } = await a.tenant();
    const id = `imp_parts_${t}`;
    const saved = {
      created: 1000,
      updated: 0,
      unchanged: 0,
      invalid: 0,
      errors: [],
      errorsTruncated: false,
      rows: [{ row: 2, action: 'create', userId: 'usr_x', displayName: 'First', changes: ['displayName'] }],
      rowsTruncated: true,
    };
    // What a node leaves behind when it stops after committing two parts of 500 rows.
    await server()
      .deps.db.insertInto('user_import_jobs')
      .values({
        id,
        tenant_id: t,
        actor_type: 'provider',
        actor_id: null,
        dry_run: false,
        mode: 'valid',
        status: 'running',
        total_rows: 2600,
        processed_rows: 1000,
        finished_at: null,
        result: JSON.stringify(saved),
        node_id: 'node-gone',
        lease_until: new Date(Date.now() - 1000),
      })
      .execute();
    const job = (await a.asProvider<ImportJob>('GET', `/v1/tenants/${t}/users/import/${id}`)).body;
    expect(job).toMatchObject({
      status: 'failed',
      processedRows: 1000,
      result: { ...saved, failureCode: 'import_interrupted' },
    });
    expect(job.result!.failure).toContain('after 1000 of 2600 rows');
  });
});

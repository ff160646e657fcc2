import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { expect, it } from 'vitest';
import type { ImportJob, User, UserPage } from '../../src/contract/index.js';
import { serverSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * Journey: a tenant administrator moves users with a spreadsheet (P3). They export the users, open
 * the file in a spreadsheet that saves it back with `;` separators and a byte order mark, rename one
 * person, suspend another and add a new colleague, check the file (dry run), apply it, and export
 * again to see the result. Their delegate, who holds Manage Users only, re-imports a file that
 * touches the administrator and is refused for that row by the same rule as the API (C9).
 */
describeEachDatabase('journey: a tenant admin exports, edits and re-imports users (P3)', (kind) => {
  const { a, server } = serverSuite(kind);

  async function exportRows(t: string, token: string) {
    const res = await server().app.inject({
      method: 'GET',
      url: `/v1/tenants/${t}/users/export`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    return parse<Record<string, string>>(res.body, { columns: true, bom: true });
  }

  async function importFile(t: string, token: string, csv: string, query = ''): Promise<ImportJob> {
    const res = await server().app.inject({
      method: 'POST',
      url: `/v1/tenants/${t}/users/import${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json<ImportJob>();
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await a.call<ImportJob>('GET', `/v1/tenants/${t}/users/import/${job.id}`, { token })).body;
    }
    return job;
  }

  /** What a spreadsheet saves: `;` separators, every field quoted, a byte order mark, CRLF. */
  const spreadsheet = (rows: Array<Record<string, string>>) =>
    `\uFEFF${stringify(rows, { header: true, delimiter: ';', quoted: true, record_delimiter: 'windows' })}`;

  it('P3, C9: export, edit in a spreadsheet, dry run, apply, export again; the delegate is refused on the admin', async () => {
    const { id: t } = await a.tenant({ plan: 'record' });
    const admin = await a.user(t, {
      displayName: 'Alice Admin',
      email: uniqueEmail('alice'),
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
      profile: { kind: 'superuser' },
    });
    const token = await a.session(t, admin.id);
    await a.user(t, { displayName: 'Bob Builder', email: uniqueEmail('bob') });
    await a.user(t, { displayName: 'Carol Caller', email: uniqueEmail('carol') });
    const delegate = await a.user(t, {
      displayName: 'Dan Delegate',
      email: uniqueEmail('dan'),
      permissions: ['website_access', 'manage_users'],
    });

    const rows = await exportRows(t, token);
    expect(rows.map((r) => r.displayName)).toEqual(['Alice Admin', 'Bob Builder', 'Carol Caller', 'Dan Delegate']);
    const edited = rows.map((r) =>
      r.displayName === 'Bob Builder'
        ? { ...r, displayName: 'Robert Builder' }
        : r.displayName === 'Carol Caller'
          ? { ...r, status: 'suspended' }
          : r,
    );
    edited.push({ ...rows[1]!, id: '', version: '', displayName: 'Erin New', email: uniqueEmail('erin') });
    const file = spreadsheet(edited);

    const dry = await importFile(t, token, file, '?dryRun=true');
    expect(dry).toMatchObject({ status: 'done', dryRun: true, result: { created: 1, updated: 2, unchanged: 2 } });
    expect((await exportRows(t, token)).map((r) => r.displayName)).toContain('Bob Builder');

    const applied = await importFile(t, token, file);
    expect(applied).toMatchObject({ status: 'done', result: { created: 1, updated: 2, unchanged: 2, invalid: 0 } });
    const after = await exportRows(t, token);
    expect(after.map((r) => `${r.displayName}:${r.status}`)).toEqual([
      'Alice Admin:active',
      'Carol Caller:suspended',
      'Dan Delegate:active',
      'Erin New:active',
      'Robert Builder:active',
    ]);

    // The delegate re-imports the file with the administrator renamed: that row alone is refused (C9).
    const delegateToken = await a.session(t, delegate.id);
    const touchAdmin = spreadsheet(after.map((r) => (r.id === admin.id ? { ...r, displayName: 'Alice Renamed' } : r)));
    const refused = await importFile(t, delegateToken, touchAdmin, '?mode=valid');
    expect(refused).toMatchObject({ status: 'done', result: { updated: 0, invalid: 1 } });
    expect(refused.result!.errors).toEqual([expect.objectContaining({ row: 2, code: 'superior_user', rule: 'C9' })]);
    const names = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items.map(
      (u: User) => u.displayName,
    );
    expect(names).toContain('Alice Admin');
  });
});

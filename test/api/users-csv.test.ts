import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import type {
  AuditPage,
  CreatedApiToken,
  ImportJob,
  NamedPermission,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { serverSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN } from '../support/server.js';

const COLUMNS =
  'id,externalId,source,extension,displayName,email,status,licences,supervisorLevel,permissions,recordingScope,groups,primaryGroup,desktop,channels,recording,crmOverlay,version';

describeEachDatabase('users CSV (P3)', (kind) => {
  const { a, server } = serverSuite(kind);

  const auth = (token?: string) => ({ authorization: `Bearer ${token ?? PROVIDER_TOKEN}` });

  async function exportCsv(t: string, query = '', token?: string) {
    const res = await server().app.inject({
      method: 'GET',
      url: `/v1/tenants/${t}/users/export${query}`,
      headers: auth(token),
    });
    return res;
  }
  const rowsOf = (text: string, delimiter = ',') =>
    parse<Record<string, string>>(text, { bom: true, columns: true, delimiter });

  /** Posts a file and follows its job to the end. */
  async function importCsv(t: string, csv: string, query = '', token?: string) {
    const res = await server().app.inject({
      method: 'POST',
      url: `/v1/tenants/${t}/users/import${query}`,
      headers: { ...auth(token), 'content-type': 'text/csv' },
      payload: csv,
    });
    if (res.statusCode !== 202) return { status: res.statusCode, body: res.json<Record<string, unknown>>(), job: null };
    let job = res.json<ImportJob>();
    expect(res.headers.location).toBe(`/v1/tenants/${t}/users/import/${job.id}`);
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      const r = await a.call<ImportJob>('GET', `/v1/tenants/${t}/users/import/${job.id}`, {
        token: token ?? PROVIDER_TOKEN,
      });
      job = r.body;
    }
    return { status: 202, body: job as unknown as Record<string, unknown>, job };
  }

  async function admin(t: string, permissions: NamedPermission[]) {
    const u = await a.user(t, { email: uniqueEmail('admin'), permissions });
    return a.session(t, u.id);
  }

  async function users(t: string): Promise<User[]> {
    return (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?limit=500`)).body.items;
  }

  it('P3: the export has the documented columns, honours the list filters and reads back as the users are', async () => {
    const { id: t } = await a.tenant();
    const ada = await a.user(t, {
      displayName: 'Ada, "the first"',
      email: uniqueEmail('ada'),
      supervisorLevel: 'report',
    });
    await a.user(t, { displayName: 'Bob' });
    const all = await exportCsv(t);
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.body.split(/\r?\n/)[0]).toBe(COLUMNS);
    const rows = rowsOf(all.body);
    expect(rows.map((r) => r.displayName)).toEqual(['Ada, "the first"', 'Bob']);
    expect(rows[0]).toMatchObject({
      id: ada.id,
      source: 'manual',
      email: ada.email,
      supervisorLevel: 'report',
      permissions: 'website_access',
      status: 'active',
      desktop: 'false',
      version: String(ada.version),
    });
    const agents = await exportCsv(t, '?supervisorLevel=report&delimiter=;&bom=true');
    expect(agents.body.startsWith('\uFEFF')).toBe(true);
    expect(rowsOf(agents.body, ';').map((r) => r.displayName)).toEqual(['Ada, "the first"']);
  });

  it('P3: an export of more than one page streams every user once, in name order', async () => {
    const { id: t } = await a.tenant();
    const csv = ['displayName', ...Array.from({ length: 1001 }, (_, i) => `User ${String(i).padStart(5, '0')}`)].join(
      '\n',
    );
    const done = await importCsv(t, csv);
    expect(done.job).toMatchObject({ status: 'done', totalRows: 1001, processedRows: 1001, result: { created: 1001 } });
    const rows = rowsOf((await exportCsv(t)).body);
    expect(rows).toHaveLength(1001);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1001);
    expect(rows[1000]!.displayName).toBe('User 01000');
  }, 240_000);

  it('P3: a spreadsheet file (BOM, ";" separators, quoted fields) creates manual users; a dry run first writes nothing', async () => {
    const { id: t } = await a.tenant();
    const email = uniqueEmail('quoted');
    const csv =
      '\uFEFFdisplayName;email;permissions;crmOverlay\r\n' +
      `"Kowalski; Jan ""JK""";${email};website_access|manage_contact_directory;FALSE\r\n` +
      '"Multi\nline";;;true\r\n';
    const dry = await importCsv(t, csv, '?dryRun=true');
    expect(dry.job, JSON.stringify(dry.job?.result?.errors)).toMatchObject({
      status: 'done',
      dryRun: true,
      result: { created: 2, invalid: 0, errors: [] },
    });
    expect(dry.job!.result!.rows.map((r) => r.action)).toEqual(['create', 'create']);
    expect(await users(t)).toHaveLength(0);

    const applied = await importCsv(t, csv);
    expect(applied.job).toMatchObject({ status: 'done', dryRun: false, result: { created: 2 } });
    const list = await users(t);
    const jan = list.find((u) => u.displayName === 'Kowalski; Jan "JK"')!;
    expect(jan).toMatchObject({
      source: 'manual',
      email,
      permissions: ['website_access', 'manage_contact_directory'],
      features: { crmOverlay: false },
    });
    expect(list.map((u) => u.displayName)).toContain('Multi\nline');
  });

  it('P3: per-row errors name the row, column, code and rule; a dry run writes nothing', async () => {
    const { id: t } = await a.tenant();
    const csv = [
      'displayName,status,licences,permissions,supervisorLevel',
      'Good,active,,,none',
      'Bad status,sleeping,,,none',
      'Bad licence,active,essential|gold,,none',
      'No portal,active,,manage_users,none',
      ',active,,,none',
    ].join('\n');
    const dry = await importCsv(t, csv, '?dryRun=true');
    expect(dry.job!.status).toBe('done');
    expect(dry.job!.result).toMatchObject({ created: 1, invalid: 4 });
    expect(dry.job!.result!.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'status', code: 'validation_failed', rule: 'P3' }),
      expect.objectContaining({ row: 4, column: 'licences', code: 'validation_failed', rule: 'P3' }),
      expect.objectContaining({ row: 5, column: 'permissions', code: 'website_access_required', rule: 'G1' }),
      expect.objectContaining({ row: 6, column: 'displayName', code: 'validation_failed' }),
    ]);
    expect(await users(t)).toHaveLength(0);
  });

  it('P3: all or nothing writes nothing when one row is refused; mode=valid writes the valid rows and reports the others', async () => {
    const { id: t } = await a.tenant();
    const csv = ['displayName,permissions', 'One,', 'Two,manage_users', 'Three,'].join('\n');
    const all = await importCsv(t, csv);
    expect(all.job).toMatchObject({ status: 'rejected', result: { created: 2, invalid: 1 } });
    expect(all.job!.result!.errors).toEqual([expect.objectContaining({ row: 3, rule: 'G1', column: 'permissions' })]);
    expect(await users(t)).toHaveLength(0);

    const valid = await importCsv(t, csv, '?mode=valid');
    expect(valid.job).toMatchObject({ status: 'done', mode: 'valid', result: { created: 2, invalid: 1 } });
    expect((await users(t)).map((u) => u.displayName)).toEqual(['One', 'Three']);
    const audit = await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?limit=100`);
    const actions = audit.body.items.map((e) => e.action);
    expect(actions.filter((x) => x === 'user.create')).toHaveLength(2);
    expect(audit.body.items.find((e) => e.action === 'user.import')).toMatchObject({
      targetId: valid.job!.id,
      after: { mode: 'valid', rows: 3, created: 2, invalid: 1 },
    });
  });

  it('P3, P4, C5: rows match by email and by external id; portal-owned fields change, phone-system-owned ones are refused', async () => {
    const { id: t } = await a.tenant();
    const sync = await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [{ externalId: 'pbx-1', displayName: 'Pat Phone', extension: '101', devices: [], acdQueues: [] }],
      queues: [],
    });
    expect(sync.status).toBe(200);
    const manual = await a.user(t, { displayName: 'Mia Manual', email: uniqueEmail('mia') });
    const csv = [
      'externalId,email,extension,displayName,crmOverlay,channels',
      `pbx-1,,101,Pat Portal,false,both`,
      `,${manual.email!.toUpperCase()},,Mia Manual,true,calls`,
    ].join('\n');
    const done = await importCsv(t, csv);
    expect(done.job, JSON.stringify(done.job?.result?.errors)).toMatchObject({
      status: 'done',
      result: { updated: 2, created: 0 },
    });
    expect(done.job!.result!.rows[0]).toMatchObject({
      action: 'update',
      changes: ['displayName', 'crmOverlay'],
    });
    expect(done.job!.result!.rows[1]).toMatchObject({ action: 'update', userId: manual.id, changes: ['channels'] });
    const pat = (await users(t)).find((u) => u.externalId === 'pbx-1')!;
    expect(pat).toMatchObject({
      displayName: 'Pat Portal',
      features: { crmOverlay: false, channels: 'both' },
      phoneSystem: { displayName: 'Pat Phone', overrides: ['displayName'] },
    });

    const phoneOwned = await importCsv(
      t,
      ['externalId,extension', 'pbx-1,999', 'pbx-missing,'].join('\n'),
      '?dryRun=true',
    );
    expect(phoneOwned.job!.result!.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'extension', code: 'read_only_field', rule: 'C5' }),
      expect.objectContaining({ row: 3, column: 'externalId', code: 'not_found', rule: 'P3' }),
    ]);
    const stale = await importCsv(t, `id,version,displayName\n${manual.id},1,Renamed`, '?dryRun=true');
    expect(stale.job!.result!.errors).toEqual([
      expect.objectContaining({ row: 2, code: 'version_conflict', rule: 'E3' }),
    ]);
  });

  it('P3: an export re-imported changes nothing; an edited export changes only what was edited', async () => {
    const { id: t } = await a.tenant();
    await a.user(t, { displayName: 'Ann', email: uniqueEmail('ann'), supervisorLevel: 'report' });
    await a.user(t, { displayName: 'Ben', permissions: ['website_access'], email: uniqueEmail('ben') });
    const exported = (await exportCsv(t)).body;
    const same = await importCsv(t, exported);
    expect(same.job).toMatchObject({ status: 'done', result: { unchanged: 2, updated: 0, created: 0 } });
    const edited = exported.replace(/,Ann,/, ',Ann Edited,');
    const changed = await importCsv(t, edited);
    expect(changed.job).toMatchObject({ status: 'done', result: { unchanged: 1, updated: 1 } });
    expect((await users(t)).map((u) => u.displayName)).toEqual(['Ann Edited', 'Ben']);
  });

  it('C2, C6: every row meets the same rules as the API: Manage Users alone gives no billable licence; pools are never exceeded', async () => {
    const { id: t } = await a.tenant({ licencePools: { agent: 1 } });
    const phoneUser = (n: number) => ({
      externalId: `pbx-${n}`,
      displayName: `Agent ${n}`,
      extension: `10${n}`,
      devices: [],
      acdQueues: [],
    });
    expect(
      (
        await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
          users: [phoneUser(1), phoneUser(2)],
          queues: [],
        })
      ).status,
    ).toBe(200);
    const csv = 'externalId,licences\npbx-1,essential|agent\npbx-2,essential|agent';
    const token = await admin(t, ['website_access', 'manage_users']);
    const refused = await importCsv(t, csv, '?dryRun=true', token);
    expect(refused.job!.result!.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'licences', code: 'billable_permission_required', rule: 'C2' }),
      expect.objectContaining({ row: 3, column: 'licences', code: 'billable_permission_required', rule: 'C2' }),
    ]);
    const billing = await admin(t, ['website_access', 'manage_users', 'manage_billable_items']);
    const pool = await importCsv(t, csv, '?mode=valid', billing);
    expect(pool.job).toMatchObject({ status: 'done', result: { updated: 1, invalid: 1 } });
    expect(pool.job!.result!.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'licences', code: 'licence_pool_exhausted', rule: 'C6' }),
    ]);
    const agents = (await users(t)).filter((u) => u.licences.includes('agent'));
    expect(agents.map((u) => u.externalId)).toEqual(['pbx-1']);
  });

  it('P3, C6, G2: a file larger than one batch meets every rule row by row: the pool runs out mid-file, a repeated email conflicts, mode=valid writes the rest', async () => {
    const { id: t } = await a.tenant({ licencePools: { supervisor_report: 650 } });
    const domain = `bulk-${Math.random().toString(36).slice(2, 10)}`;
    const lines = ['displayName,email,supervisorLevel,permissions'];
    for (let i = 0; i < 1200; i++)
      lines.push(`Bulk ${i},bulk${i}@${domain}.example,${i % 2 === 0 ? 'report' : 'none'},website_access`);
    // Row 1002 (the 1,001st user) repeats the email of row 102 (the 101st): the same user twice.
    lines[1001] = `Bulk again,bulk100@${domain}.example,none,website_access`;
    const dry = await importCsv(t, lines.join('\n'), '?dryRun=true');
    expect(dry.job).toMatchObject({ status: 'done', totalRows: 1200, processedRows: 1200 });
    const errors = dry.job!.result!.errors;
    // 599 supervisors asked (the even rows but row 1002) of a pool of 650: the pool holds; the repeated email does not.
    expect(errors).toEqual([expect.objectContaining({ row: 1002, code: 'conflict', rule: 'P3' })]);
    expect((await users(t)).length).toBe(0);

    const { id: small } = await a.tenant({ licencePools: { supervisor_report: 550 } });
    const smallLines = lines.map((l) => l.replaceAll(`@${domain}.example`, `@${domain}-small.example`));
    const rejected = await importCsv(small, smallLines.join('\n'));
    expect(rejected.job).toMatchObject({ status: 'rejected', result: { invalid: 50 } });
    const poolErrors = rejected.job!.result!.errors.filter((e) => e.rule === 'C6');
    // Supervisors are the even rows but row 1002: the 551st (file row 1104) is the first refused, and the 48 after it.
    expect(poolErrors[0]).toMatchObject({ row: 1104, column: 'supervisorLevel', code: 'licence_pool_exhausted' });
    expect(poolErrors).toHaveLength(49);
    expect((await users(small)).length).toBe(0);

    const valid = await importCsv(small, smallLines.join('\n'), '?mode=valid');
    expect(valid.job).toMatchObject({ status: 'done', result: { created: 1150, invalid: 50 } });
    const supervisors = await exportCsv(small, '?supervisorLevel=report');
    expect(rowsOf(supervisors.body)).toHaveLength(550);
  });

  it('I3: a user an import creates with website access and an email, without a password, is invited as through the API; a dry run invites no one', async () => {
    const { id: t } = await a.tenant();
    const invitee = uniqueEmail('csv-invitee');
    const noPortal = uniqueEmail('csv-noportal');
    const csv = `displayName,email,permissions\nInvitee,${invitee},website_access\nNo portal,${noPortal},`;
    const dry = await importCsv(t, csv, '?dryRun=true');
    expect(dry.job!.result).toMatchObject({ created: 2, invalid: 0 });
    const mailbox = async (to: string) =>
      (await a.asProvider<{ items: Array<{ subject: string }> }>('GET', `/v1/dev/mailbox?to=${encodeURIComponent(to)}`))
        .body.items;
    const done = await importCsv(t, csv);
    expect(done.job).toMatchObject({ status: 'done', result: { created: 2 } });
    const byEmail = new Map((await users(t)).map((u) => [u.email, u.id]));
    const state = async (email: string) =>
      (await a.asProvider<{ status: string }>('GET', `/v1/tenants/${t}/users/${byEmail.get(email)}/invitation`)).body
        .status;
    expect(await state(invitee)).toBe('invited');
    expect(await state(noPortal)).toBe('none');
    let mails: Array<{ subject: string }> = [];
    // The outbox may still be sending the invitations of the tests before (1,150 in the batch test).
    for (let i = 0; i < 600 && mails.length === 0; i++) {
      mails = await mailbox(invitee);
      if (mails.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    // One mail: the dry run wrote nothing to the outbox.
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/invited/)]);
    expect(await mailbox(noPortal)).toEqual([]);
  });

  it('P3: a job whose node stopped (its lease ran out) reads as failed, import_interrupted; a live lease stays running', async () => {
    const { id: t } = await a.tenant();
    const db = server().database.db;
    const job = (id: string, leaseUntil: Date) =>
      db
        .insertInto('user_import_jobs')
        .values({
          id,
          tenant_id: t,
          actor_type: 'provider',
          actor_id: null,
          dry_run: false,
          mode: 'all',
          status: 'running',
          total_rows: 10,
          finished_at: null,
          result: null,
          node_id: 'node-gone',
          lease_until: leaseUntil,
        })
        .execute();
    const lapsed = `imp_lapsed_${t}`;
    const held = `imp_held_${t}`;
    await job(lapsed, new Date(Date.now() - 1000));
    await job(held, new Date(Date.now() + 60_000));
    const read = async (id: string) =>
      (await a.asProvider<ImportJob>('GET', `/v1/tenants/${t}/users/import/${id}`)).body;
    const failed = await read(lapsed);
    expect(failed).toMatchObject({ status: 'failed', result: { failureCode: 'import_interrupted', created: 0 } });
    expect(failed.finishedAt).not.toBeNull();
    expect((await read(lapsed)).status).toBe('failed');
    expect(await read(held)).toMatchObject({ status: 'running', result: null });
  });

  it("E4, I5: another tenant's users, imports and jobs answer 404; a token does only its scopes", async () => {
    const { id: t } = await a.tenant();
    const { id: other } = await a.tenant();
    await a.user(other, { displayName: 'Elsewhere', email: uniqueEmail('else') });
    const token = await admin(t, ['website_access', 'manage_users', 'rest_api_admin']);
    expect((await exportCsv(other, '', token)).statusCode).toBe(404);
    expect((await importCsv(other, 'displayName\nX', '', token)).status).toBe(404);
    const theirs = await importCsv(other, 'displayName\nY');
    expect((await a.call('GET', `/v1/tenants/${t}/users/import/${theirs.job!.id}`, { token })).status).toBe(404);
    expect((await a.call('GET', `/v1/tenants/${other}/users/import/${theirs.job!.id}`, { token })).status).toBe(404);
    // Rows naming another tenant's user by id are not found, never changed.
    const elsewhere = (await users(other))[0]!;
    const cross = await importCsv(t, `id,displayName\n${elsewhere.id},Mine now`, '?dryRun=true', token);
    expect(cross.job!.result!.errors).toEqual([expect.objectContaining({ column: 'id', code: 'not_found' })]);

    const viewOnly = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token,
      body: { name: 'reader', scopes: ['users:view'] },
    });
    expect(viewOnly.status).toBe(201);
    expect((await exportCsv(t, '', viewOnly.body.token)).statusCode).toBe(200);
    const cannot = await importCsv(t, 'displayName\nZ', '', viewOnly.body.token);
    expect(cannot.status).toBe(403);
    expect(cannot.body).toMatchObject({ code: 'forbidden', rule: 'C1' });
  });

  it('P3: a file that is not CSV, has unknown columns or too many rows is refused at once as problem+json', async () => {
    const { id: t } = await a.tenant();
    const unknown = await importCsv(t, 'displayName,shoeSize\nA,44');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'validation_failed', rule: 'P3' });
    expect(String(unknown.body.detail)).toContain('shoeSize');
    const broken = await importCsv(t, 'displayName\n"unterminated');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'validation_failed', rule: 'P3' });
    const empty = await importCsv(t, '');
    expect(empty.status).toBe(400);
    const tooMany = await importCsv(t, `displayName\n${'x\n'.repeat(100_001)}`);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ code: 'payload_too_large', rule: 'P3', limit: 100_000 });
    const json = await a.asProvider('POST', `/v1/tenants/${t}/users/import`, { displayName: 'x' });
    expect(json.status).toBe(400);
  });
});

import { expect, it } from 'vitest';
import type {
  AccessAnswer,
  AuditEntry,
  AuditPage,
  AuditVerification,
  CheckAnswer,
  Named,
  NamedPermission,
  Tenant,
  TenantUsage,
  Usage,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { serverSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN } from '../support/server.js';
import { verifyChain } from '../../src/infra/audit-chain.js';

describeEachDatabase('users API', (kind) => {
  const { a, server } = serverSuite(kind);

  /** An admin with manage_users (and optionally more) acting through a session. */
  async function admin(t: string, permissions: NamedPermission[] = ['website_access', 'manage_users']) {
    const u = await a.user(t, { email: uniqueEmail('admin'), permissions });
    return { user: u, token: await a.session(t, u.id) };
  }

  it("C8: tenants are created by the provider; plan, pools, seats and policies are the provider's alone", async () => {
    const { id: t } = await a.tenant({ plan: 'reach', homeRegion: 'PL', seats: 5, licencePools: { agent: 2 } });
    const got = await a.asProvider<Tenant>('GET', `/v1/tenants/${t}`);
    expect(got.body).toMatchObject({
      plan: 'reach',
      homeRegion: 'PL',
      seats: 5,
      licencePools: { agent: 2 },
      policies: { agentAddOn: 'manual' },
    });
    const { token } = await admin(t, ['website_access', 'manage_users', 'customer_settings']);
    const refused = await a.call('PATCH', `/v1/tenants/${t}`, { token, body: { seats: 50 } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'provider_only', rule: 'C8' });
    const renamed = await a.call<Tenant>('PATCH', `/v1/tenants/${t}`, { token, body: { name: 'Renamed' } });
    expect(renamed.status).toBe(200);
    expect((await a.call('POST', '/v1/tenants', { token, body: { name: 'x' } })).status).toBe(403);
  });

  it('A2 and G1: a supervisor level brings website access; permissions before website access are refused', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t, { email: uniqueEmail() });
    const r = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: 'analytics' });
    expect(r.status).toBe(200);
    expect(r.body.permissions).toContain('website_access');
    const access = await a.asProvider<AccessAnswer>('GET', `/v1/tenants/${t}/users/${u.id}/access`);
    expect(access.body.capabilities['dashboards:view']).toMatchObject({
      allowed: true,
      grantedBy: ['supervisor_level:analytics'],
    });

    const v = await a.user(t, { email: uniqueEmail() });
    const g1 = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${v.id}`, { permissions: ['manage_users'] });
    expect(g1.status).toBe(422);
    expect(g1.body).toMatchObject({ code: 'website_access_required', rule: 'G1', field: '/permissions' });
  });

  it('G1: taking website access away keeps the settings but blocks them', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t, { email: uniqueEmail(), permissions: ['website_access', 'manage_contact_directory'] });
    const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, {
      permissions: ['manage_contact_directory'],
    });
    expect(r.status).toBe(200);
    const access = await a.asProvider<AccessAnswer>('GET', `/v1/tenants/${t}/users/${u.id}/access`);
    const edit = access.body.capabilities['directory:edit'];
    expect(edit?.allowed).toBe(false);
    expect(edit?.grantedBy).toEqual(['permission:manage_contact_directory']);
    expect(edit?.blockedBy[0]).toMatchObject({ rule: 'G1' });
  });

  it('G2: website access needs an email no other website user of the tenant has, case-insensitively; other tenants may use it', async () => {
    const { id: t1 } = await a.tenant(),
      { id: t2 } = await a.tenant();
    const email = uniqueEmail('shared');
    const first = await a.user(t1, { email, permissions: ['website_access'] });
    const dup = await a.asProvider('POST', `/v1/tenants/${t1}/users`, {
      displayName: 'Dup',
      email: email.toUpperCase(),
      permissions: ['website_access'],
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'email_not_unique', rule: 'G2' });
    // Another organisation may give the same address website access: no answer tells it about tenant 1.
    const elsewhere = await a.asProvider<User>('POST', `/v1/tenants/${t2}/users`, {
      displayName: 'Same person, other organisation',
      email: email.toUpperCase(),
      permissions: ['website_access'],
    });
    expect(elsewhere.status).toBe(201);
    // Within the tenant, a user without website access may hold the address, but cannot be given website access.
    const appOnly = await a.asProvider<User>('POST', `/v1/tenants/${t1}/users`, { displayName: 'App', email });
    expect(appOnly.status).toBe(201);
    const grant = await a.asProvider('PATCH', `/v1/tenants/${t1}/users/${appOnly.body.id}`, {
      permissions: ['website_access'],
    });
    expect(grant.body).toMatchObject({ code: 'email_not_unique', rule: 'G2' });
    expect(first.email).toBe(email);
    const noEmail = await a.asProvider('POST', `/v1/tenants/${t2}/users`, {
      displayName: 'No mail',
      supervisorLevel: 'report',
    });
    expect(noEmail.body).toMatchObject({ code: 'email_required', rule: 'G2' });
  });

  it('C1, C2: editing users needs users:edit; a billable increase also needs Manage Billable Items', async () => {
    const { id: t } = await a.tenant();
    const plain = await a.user(t, { email: uniqueEmail(), permissions: ['website_access'] });
    const plainToken = await a.session(t, plain.id);
    const target = await a.user(t, { email: uniqueEmail() });
    const c1 = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token: plainToken,
      body: { displayName: 'x' },
    });
    expect(c1.body).toMatchObject({ code: 'forbidden', rule: 'C1' });
    const { token } = await admin(t);
    const c2 = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token,
      body: { supervisorLevel: 'report' },
    });
    expect(c2.status).toBe(403);
    expect(c2.body).toMatchObject({ code: 'billable_permission_required', rule: 'C2' });
    const billing = await admin(t, ['website_access', 'manage_users', 'manage_billable_items']);
    const ok = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token: billing.token,
      body: { supervisorLevel: 'report' },
    });
    expect(ok.status).toBe(200);
    // Decreases need no billing permission.
    const down = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token,
      body: { supervisorLevel: 'none' },
    });
    expect(down.status).toBe(200);
  });

  it('C3: an actor grants only named permissions whose capabilities it holds', async () => {
    const { id: t } = await a.tenant();
    const { token } = await admin(t);
    const target = await a.user(t, { email: uniqueEmail(), permissions: ['website_access'] });
    const r = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token,
      body: { permissions: ['website_access', 'webhook_admin'] },
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'escalation_refused', rule: 'C3' });
    expect(r.body.detail).toContain('webhooks:create');
    const held = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token,
      body: { permissions: ['website_access', 'manage_users'] },
    });
    expect(held.status).toBe(200);
    const su = await a.call('PATCH', `/v1/tenants/${t}/users/${target.id}`, {
      token,
      body: { profile: { kind: 'superuser' } },
    });
    expect(su.body).toMatchObject({ code: 'escalation_refused', rule: 'C3' });
  });

  it('C4: the last admin cannot lose website access or users:edit', async () => {
    const { id: t } = await a.tenant();
    const { user, token } = await admin(t);
    const r = await a.call('PATCH', `/v1/tenants/${t}/users/${user.id}`, {
      token,
      body: { permissions: ['website_access'] },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'last_admin', rule: 'C4' });
    const suspend = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${user.id}`, { status: 'suspended' });
    expect(suspend.body).toMatchObject({ code: 'last_admin', rule: 'C4' });
    await admin(t);
    const ok = await a.call('PATCH', `/v1/tenants/${t}/users/${user.id}`, {
      token,
      body: { permissions: ['website_access'] },
    });
    expect(ok.status).toBe(200);
  });

  it('C6: assigning a licence whose pool is used up is refused', async () => {
    const { id: t } = await a.tenant({ licencePools: { supervisor_report: 1 } });
    const one = await a.user(t, { email: uniqueEmail(), supervisorLevel: 'report' });
    expect(one.supervisorLevel).toBe('report');
    const two = await a.asProvider('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Two',
      email: uniqueEmail(),
      supervisorLevel: 'report',
    });
    expect(two.status).toBe(409);
    expect(two.body).toMatchObject({ code: 'licence_pool_exhausted', rule: 'C6' });
    const usage = await a.asProvider<Usage>('GET', `/v1/tenants/${t}/usage`);
    expect(usage.body.licences.supervisor_report).toEqual({ assigned: 1, cap: 1 });
  });

  it('G4: manual users are portal-only (no Essential or Agent)', async () => {
    const { id: t } = await a.tenant();
    const r = await a.asProvider('POST', `/v1/tenants/${t}/users`, { displayName: 'M', licences: ['essential'] });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'platform_user_required', rule: 'G4' });
  });

  it('E2: unknown fields, wrong types and bad JSON are 400s naming the field; nothing is written', async () => {
    const { id: t } = await a.tenant();
    const unknown = await a.asProvider('POST', `/v1/tenants/${t}/users`, { displayName: 'X', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'validation_failed', field: '/colour' });
    const wrong = await a.asProvider('POST', `/v1/tenants/${t}/users`, { displayName: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('/displayName');
    const bad = await a.call('POST', `/v1/tenants/${t}/users`, {
      token: 'test-provider-token-0123456789abcdef',
      headers: { 'content-type': 'application/json' },
      body: '{"displayName":',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const list = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`);
    expect(list.body.items).toHaveLength(0);
  });

  it('E3: a stale If-Match answers 412 version_conflict', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t);
    const first = await a.asProvider<User>(
      'PATCH',
      `/v1/tenants/${t}/users/${u.id}`,
      { displayName: 'One' },
      { 'if-match': `"${u.version}"` },
    );
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe(`"${first.body.version}"`);
    const stale = await a.asProvider(
      'PATCH',
      `/v1/tenants/${t}/users/${u.id}`,
      { displayName: 'Two' },
      { 'if-match': `"${u.version}"` },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'version_conflict', rule: 'E3' });
  });

  it("E4: another tenant's resources answer 404", async () => {
    const { id: t1 } = await a.tenant(),
      { id: t2 } = await a.tenant();
    const { token } = await admin(t1);
    const other = await a.user(t2);
    expect((await a.call('GET', `/v1/tenants/${t2}/users/${other.id}`, { token })).status).toBe(404);
    expect((await a.call('GET', `/v1/tenants/${t1}/users/${other.id}`, { token })).status).toBe(404);
    expect((await a.call('GET', `/v1/tenants/${t2}`, { token })).status).toBe(404);
  });

  it('lists users with search, filters and cursor paging', async () => {
    const { id: t } = await a.tenant();
    for (let i = 0; i < 7; i++) await a.user(t, { displayName: `Agent ${i}`, email: uniqueEmail() });
    await a.user(t, { displayName: 'Zed Supervisor', email: uniqueEmail(), supervisorLevel: 'report' });
    const page1 = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?limit=3`);
    expect(page1.body.items.map((u) => u.displayName)).toEqual(['Agent 0', 'Agent 1', 'Agent 2']);
    const page2 = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?limit=3&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((u) => u.displayName)).toEqual(['Agent 3', 'Agent 4', 'Agent 5']);
    const q = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?q=zed`);
    expect(q.body.items).toHaveLength(1);
    const lvl = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?supervisorLevel=report`);
    expect(lvl.body.items[0]?.displayName).toBe('Zed Supervisor');
  });

  it('A4: the primary group is one of the groups; deleting the group clears it', async () => {
    const { id: t } = await a.tenant();
    const g = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Sales' })).body;
    const h = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Support' })).body;
    const u = await a.user(t);
    const bad = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { groups: [h.id], primaryGroup: g.id });
    expect(bad.body).toMatchObject({ code: 'primary_group_not_member', rule: 'A4' });
    const ok = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${u.id}`, {
      groups: [g.id, h.id],
      primaryGroup: g.id,
    });
    expect(ok.body.primaryGroup).toBe(g.id);
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}/groups/${g.id}`)).status).toBe(204);
    const after = await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${u.id}`);
    expect(after.body).toMatchObject({ groups: [h.id], primaryGroup: null });
  });

  it('X2: POST /check answers batches with reasons', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t, { email: uniqueEmail(), permissions: ['website_access', 'manage_users'] });
    const r = await a.asProvider<CheckAnswer>('POST', `/v1/tenants/${t}/check`, {
      checks: [
        { userId: u.id, capability: 'users:edit' },
        { userId: u.id, capability: 'billing:edit' },
        { userId: 'usr_missing', capability: 'users:edit' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ allowed: true, grantedBy: ['permission:manage_users'] });
    expect(r.body.results[1]).toMatchObject({ allowed: false, grantedBy: [] });
    expect(r.body.results[2]?.allowed).toBe(false);
  });

  it('AU1: every change is audited with actor and before/after, hash-chained', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t, { email: uniqueEmail() });
    const patched = await a.asProvider(
      'PATCH',
      `/v1/tenants/${t}/users/${u.id}`,
      { displayName: 'Changed' },
      { 'x-request-id': 'req-audit-1' },
    );
    const log = await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${u.id}`);
    const [update, create] = log.body.items;
    // The server's own request id, and the client's well-formed X-Request-Id beside it.
    expect(update).toMatchObject({
      action: 'user.update',
      actorType: 'provider',
      requestId: patched.headers['x-request-id'],
      clientRequestId: 'req-audit-1',
    });
    expect(update?.requestId).not.toBe('req-audit-1');
    for (const bad of ['', 'a b', 'x'.repeat(200), 'req-1, req-2', '<script>']) {
      await a.asProvider(
        'PATCH',
        `/v1/tenants/${t}/users/${u.id}`,
        { displayName: `Changed ${bad.length}` },
        {
          'x-request-id': bad,
        },
      );
      const [latest] = (await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${u.id}&limit=1`)).body
        .items;
      expect(latest?.clientRequestId, JSON.stringify(bad)).toBeUndefined();
    }
    expect(update?.before).toHaveProperty('displayName');
    expect(update?.before).not.toHaveProperty('displayName', 'Changed');
    expect(update?.after).toHaveProperty('displayName', 'Changed');
    expect(update?.prevHash).toBe(create?.hash);
    const verify = await a.asProvider<AuditVerification>('GET', `/v1/tenants/${t}/audit/verify`);
    expect(verify.body).toMatchObject({ intact: true });
    // The export is the chain itself, oldest first, verifiable offline.
    const exported = await server().app.inject({
      method: 'GET',
      url: `/v1/tenants/${t}/audit/export`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    expect(exported.headers['content-type']).toContain('application/x-ndjson');
    const lines = exported.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(verifyChain(lines)).toEqual({ brokenAt: null, lastHash: lines.at(-1)?.hash });
    expect(verify.body.entries).toBe(lines.length);
    await server()
      .deps.db.updateTable('audit_log')
      .set({ action: 'tampered' })
      .where('target_id', '=', u.id)
      .where('action', '=', 'user.update')
      .execute();
    expect((await a.asProvider<AuditVerification>('GET', `/v1/tenants/${t}/audit/verify`)).body.intact).toBe(false);
  });

  it('DELETE removes manual users only', async () => {
    const { id: t } = await a.tenant();
    const u = await a.user(t);
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}/users/${u.id}`)).status).toBe(204);
    expect((await a.asProvider('GET', `/v1/tenants/${t}/users/${u.id}`)).status).toBe(404);
  });
});

describeEachDatabase('usage', (kind) => {
  const { a, server } = serverSuite(kind);

  it('B1: usage counts each licence against its cap, and seats in use with their history', async () => {
    const { id: t } = await a.tenant({ seats: 10, licencePools: { supervisor_report: 5 } });
    const u = await a.user(t, { email: uniqueEmail(), supervisorLevel: 'report' });
    await a.session(t, u.id);
    const usage = (await a.asProvider<Usage>('GET', `/v1/tenants/${t}/usage`)).body;
    expect(usage.licences.supervisor_report).toEqual({ assigned: 1, cap: 5 });
    expect(usage.licences.essential).toEqual({ assigned: 0, cap: null, withData: 0 });
    expect(usage.seats).toMatchObject({ inUse: 1, limit: 10 });
    expect(usage.seats.history.length).toBeGreaterThan(90);
    expect(usage.seats.history.at(-1)?.inUse).toBe(1);
    expect(usage.seats.history[0]?.inUse).toBe(0);
  });

  it("B1: the provider sees every tenant's usage, also as CSV; tenant users do not", async () => {
    const { id: t } = await a.tenant({ name: 'Usage, "quoted" Co', seats: 3, licencePools: { supervisor_report: 2 } });
    const u = await a.user(t, {
      email: uniqueEmail(),
      permissions: ['website_access', 'manage_billable_items'],
      supervisorLevel: 'report',
    });
    await a.session(t, u.id);
    const all = await a.asProvider<{ items: TenantUsage[] }>('GET', '/v1/usage');
    const mine = all.body.items.find((i) => i.tenantId === t);
    expect(mine).toMatchObject({
      licences: { supervisor_report: { assigned: 1, cap: 2 } },
      seats: { inUse: 1, limit: 3 },
    });
    const csv = await server().app.inject({
      method: 'GET',
      url: '/v1/usage?format=csv',
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = csv.body.trim().split('\r\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['tenant_id', 'name', 'essential_assigned', 'essential_cap']);
    const row = rows.find((r) => r.startsWith(t))!;
    expect(row).toContain('"Usage, ""quoted"" Co"');
    expect(row.endsWith(',1,3,1')).toBe(true);
    const token = await a.session(t, u.id);
    expect((await a.call('GET', '/v1/usage', { token })).body).toMatchObject({ code: 'provider_only' });
  });
});

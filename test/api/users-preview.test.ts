import { expect, it } from 'vitest';
import type { ChangePreview, LoginResult, User, UserPage } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('users API: preview of a change', (kind) => {
  const a = apiSuite(kind);

  /** A tenant with one platform user (Essential only, no website access) and an admin who may edit users but not billing. */
  async function setup() {
    const { id: t } = await a.tenant({ licencePools: { crm: 5 } });
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [
        {
          externalId: 'ext-1',
          displayName: 'Pat',
          email: uniqueEmail('pat'),
          extension: '201',
          devices: [],
          acdQueues: [],
        },
      ],
      queues: [],
    });
    const pat = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items[0]!;
    const email = uniqueEmail('admin');
    await a.user(t, { email, password: PASSWORD, permissions: ['website_access', 'manage_users'] });
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, audience: 'portal' },
    });
    return { t, pat, admin: login.body.token };
  }

  const preview = (t: string, userId: string | null, body: unknown, token?: string) =>
    a.call<ChangePreview>('POST', `/v1/tenants/${t}/users/${userId ? `${userId}/` : ''}preview`, {
      token: token ?? 'test-provider-token-0123456789abcdef',
      body,
    });

  it('A2: a CRM licence brings website access: the preview names it, the billable impact, and writes nothing', async () => {
    const { t, pat } = await setup();
    const r = await preview(t, pat.id, { licences: ['essential', 'crm'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      allowed: true,
      violations: [],
      automatic: [{ rule: 'A2', field: '/permissions', value: 'website_access', because: ['licences.crm'] }],
      billable: { added: ['crm'], removed: [] },
    });
    expect(r.body.user!.permissions).toEqual(['website_access']);
    expect(r.body.user!.licences).toEqual(['essential', 'crm']);
    const after = await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${pat.id}`);
    expect(after.body).toEqual(pat);
    // The save does what the preview said.
    const saved = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${pat.id}`, {
      licences: ['essential', 'crm'],
    });
    expect(saved.body.permissions).toEqual(r.body.user!.permissions);
    expect(saved.body.licences).toEqual(r.body.user!.licences);
  });

  it('C2, G1: every rule the change breaks, as the PATCH would refuse it', async () => {
    const { t, pat, admin } = await setup();
    const body = { licences: ['essential', 'crm'], permissions: ['manage_users'] };
    const r = await preview(t, pat.id, body, admin);
    expect(r.status).toBe(200);
    expect(r.body.allowed).toBe(false);
    const save = await a.call('PATCH', `/v1/tenants/${t}/users/${pat.id}`, { token: admin, body });
    expect(save.status).toBe(403);
    const refused = (save.body.violations as ChangePreview['violations'] | undefined) ?? [
      { code: save.body.code, rule: save.body.rule, field: save.body.field!, detail: save.body.detail },
    ];
    expect(r.body.violations).toEqual(refused);
    expect(r.body.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['C2']));
    expect(r.body.violations[0]).toMatchObject({ code: save.body.code, rule: save.body.rule });
  });

  it('C5: a field only sync changes is refused before the rules: reported without a user', async () => {
    const { t, pat } = await setup();
    const r = await preview(t, pat.id, { extension: '999' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ allowed: false, user: null, violations: [{ rule: 'C5', field: '/extension' }] });
  });

  it('a new user: G4 and G1 before creating, nothing created', async () => {
    const { t } = await setup();
    const r = await preview(t, null, { displayName: 'Neo', licences: ['essential'], permissions: ['manage_users'] });
    expect(r.status).toBe(200);
    expect(r.body.violations.map((v) => v.rule)).toEqual(['G4', 'G1']);
    const ok = await preview(t, null, { displayName: 'Neo', email: uniqueEmail('neo'), supervisorLevel: 'report' });
    expect(ok.body).toMatchObject({
      allowed: true,
      automatic: [{ rule: 'A2', value: 'website_access', because: ['supervisorLevel'] }],
      billable: { added: ['supervisor_report'] },
    });
    const users = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`);
    expect(users.body.items.map((u) => u.displayName)).not.toContain('Neo');
  });

  it('E4, C1: another tenant’s user is 404; a caller who may not change users learns it from C1', async () => {
    const { t, pat } = await setup();
    const { id: t2 } = await a.tenant();
    const email = uniqueEmail('other');
    await a.user(t2, { email, password: PASSWORD, permissions: ['website_access', 'manage_users'] });
    const other = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, audience: 'portal' },
    });
    expect((await preview(t, pat.id, {}, other.body.token)).status).toBe(404);
    expect((await preview(t, 'usr_missing', {})).status).toBe(404);
    const viewerEmail = uniqueEmail('viewer');
    await a.user(t, { email: viewerEmail, password: PASSWORD, permissions: ['website_access'] });
    const viewer = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email: viewerEmail, password: PASSWORD, audience: 'portal' },
    });
    const r = await preview(t, pat.id, { recordingScope: 'all' }, viewer.body.token);
    expect(r.status).toBe(200);
    expect(r.body.violations[0]).toMatchObject({ rule: 'C1', code: 'forbidden' });
  });
  it('X1, G1, A1, C3, C2: every option of the editor is weighed by the change rules, with the rule that refuses it', async () => {
    const { t, pat, admin } = await setup();
    const r = await preview(t, pat.id, {}, admin);
    expect(r.status).toBe(200);
    const o = r.body.options;
    // G1: a named permission before website access.
    expect(o['permission:manage_users']).toMatchObject({ disabled: true, locked: false });
    expect(o['permission:manage_users']!.reasons.map((b) => b.rule)).toContain('G1');
    // A1: a platform user's Essential licence is on and stays on.
    expect(o['licence:essential']).toMatchObject({ disabled: true, locked: true, reasons: [{ rule: 'A1' }] });
    // C3: only a superuser grants superuser.
    expect(o['profile.superuser']).toMatchObject({ disabled: true, reasons: [{ rule: 'C3' }] });
    // C2: the admin may not add billable items; website access itself is free and allowed.
    expect(o['licence:crm']!.reasons.map((b) => b.rule)).toContain('C2');
    expect(o['permission:website_access']).toEqual({ disabled: false, locked: false, reasons: [] });
    // The same draft with website access: the permission the admin holds opens (G1 gone).
    const web = await preview(t, pat.id, { permissions: ['website_access'] }, admin);
    expect(web.body.options['permission:manage_users']).toEqual({ disabled: false, locked: false, reasons: [] });
    // The provider may do everything the rules allow anyone: the CRM licence opens, A1 stays.
    const provider = await preview(t, pat.id, {});
    expect(provider.body.options['licence:crm']).toMatchObject({ disabled: false });
    expect(provider.body.options['licence:essential']).toMatchObject({ locked: true });
  });

  it('X1, G5: an option on in the draft carries the violation turning it off would clear', async () => {
    const { t, pat } = await setup();
    const r = await preview(t, pat.id, { ucClient: { softphone: { enabled: true, clients: ['desktop'] } } });
    expect(r.body.allowed).toBe(false);
    const softphone = r.body.options['ucClient.softphone']!;
    expect(softphone.disabled).toBe(false);
    expect(softphone.reasons.map((b) => `${b.rule}:${b.code}`)).toEqual(
      expect.arrayContaining(['G5:softphone_licence_required', 'G5:device_required']),
    );
  });

  it('G4: telephony options of a manual user are greyed with the reason explain gives', async () => {
    const { t } = await setup();
    const manual = await a.user(t, { email: uniqueEmail('m'), permissions: ['website_access'] });
    const r = await preview(t, manual.id, { features: { recording: false } });
    expect(r.status).toBe(200);
    expect(r.body.options['features.recording']!.disabled).toBe(true);
    expect(r.body.options['features.recording']!.reasons.map((b) => b.rule)).toContain('G4');
  });

  it('G15: the billable content a profile bundles names the supervisor level it needs', async () => {
    const { t, pat } = await setup();
    const r = await preview(t, pat.id, {
      permissions: ['website_access'],
      profile: { kind: 'custom', grants: ['reports:view', 'users:view'] },
    });
    expect(r.body.contentLevels).toEqual([
      expect.objectContaining({ capability: 'reports:view', level: 'report', rule: 'G15' }),
    ]);
    const sold = await preview(t, pat.id, {
      permissions: ['website_access'],
      supervisorLevel: 'report',
      profile: { kind: 'custom', grants: ['reports:view'] },
    });
    expect(sold.body.contentLevels).toEqual([]);
  });

  it('PATCH ?dryRun=true answers the preview and writes nothing; If-Match still holds (E3)', async () => {
    const { t, pat, admin } = await setup();
    const body = { licences: ['essential', 'crm'], permissions: ['manage_users'] };
    const dry = await a.call<ChangePreview>('PATCH', `/v1/tenants/${t}/users/${pat.id}?dryRun=true`, {
      token: admin,
      body,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual((await preview(t, pat.id, body, admin)).body);
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${pat.id}`)).body).toEqual(pat);
    const stale = await a.call('PATCH', `/v1/tenants/${t}/users/${pat.id}?dryRun=true`, {
      token: admin,
      body,
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(412);
    const ok = await a.asProvider<ChangePreview>('PATCH', `/v1/tenants/${t}/users/${pat.id}?dryRun=true`, {
      licences: ['essential', 'crm'],
    });
    expect(ok.body).toMatchObject({ allowed: true, automatic: [{ rule: 'A2' }] });
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${pat.id}`)).body.licences).toEqual(['essential']);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChangePreview, LoginResult, User, UserPage } from '../../src/contract/index.js';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('users API: preview of a change', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

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
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  AccessAnswer,
  AuditPage,
  LoginResult,
  Named,
  Profile,
  Queue,
  RolePermissions,
  Usage,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { api, uniqueEmail, type ApiClient, type HttpMethod } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { TestStream } from '../stream/support.js';

const PASSWORD = 'correct horse battery staple';
type RolePermissionsAnswer = RolePermissions & { version: number };

/**
 * Journey: the tenant admin. The provider creates the tenant and its first administrator (as the
 * README says); the administrator signs in with email and password and sets the tenant up as a person
 * does in the portal: a queue, groups, a profile, the role permissions, then a colleague the phone
 * system brought, given licences, groups, the profile and a queue role; looks at usage and the audit
 * log (by name); and a change reaches the colleague's app over the stream. Deleting a group takes its
 * members out of it and clears it as their primary group, and their apps hear it.
 */
describeEachDatabase('journey: the tenant admin sets up the tenant', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The tenant, its first administrator (README set-up) signed in to the portal, and a user the phone system brought. */
  async function setUp() {
    const tenant = await a.tenant({ plan: 'record', homeRegion: 'PL', seats: 20 });
    const t = tenant.id;
    const adaEmail = uniqueEmail('ada');
    const ada = await a.user(t, {
      displayName: 'Ada Admin',
      email: adaEmail,
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'manage_billable_items', 'customer_settings'],
      profile: { kind: 'superuser' },
      contactCenter: { admin: true },
    });
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email: adaEmail, password: PASSWORD, audience: 'portal' },
    });
    expect(login.status).toBe(200);
    const umaEmail = uniqueEmail('uma');
    const sync = await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [
        {
          externalId: 'ext-uma',
          displayName: 'Uma User',
          email: umaEmail,
          extension: '301',
          devices: [],
          acdQueues: [],
        },
      ],
      queues: [],
    });
    expect(sync.status).toBe(200);
    const uma = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items.find(
      (u) => u.externalId === 'ext-uma',
    )!;
    const as = <T>(method: HttpMethod, url: string, body?: unknown) =>
      a.call<T>(method, url, { token: login.body.token, ...(body !== undefined ? { body } : {}) });
    return { t, ada, uma, umaEmail, as };
  }

  /** The administrator's set-up: a queue, two groups, a profile, role permissions; the colleague configured. */
  async function setUpTenant(s: Awaited<ReturnType<typeof setUp>>) {
    const { t, uma, as } = s;
    const queue = await as<Queue>('POST', `/v1/tenants/${t}/queues`, { name: 'Front desk' });
    expect(queue.status).toBe(201);
    const sales = await as<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Sales' });
    const support = await as<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Support' });
    expect([sales.status, support.status]).toEqual([201, 201]);
    const viewer = await as<Profile>('POST', `/v1/tenants/${t}/profiles`, {
      name: 'Directory viewer',
      grants: ['users:view', 'groups:view'],
    });
    expect(viewer.status).toBe(201);
    const rp = await as<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`);
    expect(rp.status).toBe(200);
    const { version: _v, ...rolePermissions } = rp.body;
    const put = await as<RolePermissionsAnswer>('PUT', `/v1/tenants/${t}/role-permissions`, {
      ...rolePermissions,
      supervisor: { ...rolePermissions.supervisor, configPortal: true },
    });
    expect(put.status).toBe(200);
    const edited = await as<User>('PATCH', `/v1/tenants/${t}/users/${uma.id}`, {
      password: PASSWORD,
      permissions: ['website_access'],
      licences: ['essential', 'agent'],
      groups: [sales.body.id, support.body.id],
      primaryGroup: sales.body.id,
      profile: { kind: 'profile', profileId: viewer.body.id },
      contactCenter: { queues: { [queue.body.id]: ['agent'] } },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    return { queue: queue.body, sales: sales.body, support: support.body, viewer: viewer.body, uma: edited.body };
  }

  it('C1, C7, G14, B1, AU1: the admin sets up queues, groups, a profile, role permissions and a user; sees usage and audit by name', async () => {
    const s = await setUp();
    const { t, ada, as } = s;
    const made = await setUpTenant(s);

    // What the colleague may now do follows from the profile, the licences and the queue role.
    const access = await as<AccessAnswer>('GET', `/v1/tenants/${t}/users/${s.uma.id}/access`);
    expect(access.status).toBe(200);
    expect(access.body.capabilities['users:view']).toMatchObject({ allowed: true });
    expect(access.body.capabilities['users:edit']).toMatchObject({ allowed: false });

    // Usage counts the licences given (B1).
    const usage = await as<Usage>('GET', `/v1/tenants/${t}/usage`);
    expect(usage.status).toBe(200);
    expect(usage.body.licences.agent?.assigned).toBe(1);
    expect(usage.body.licences.essential?.assigned).toBeGreaterThanOrEqual(1);

    // The audit log, filtered by the admin, names the admin and the colleague (AU1).
    const audit = await as<AuditPage>('GET', `/v1/tenants/${t}/audit?actor=${ada.id}&limit=100`);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e) => e.action);
    for (const action of ['queue.create', 'group.create', 'profile.create', 'role_permissions.update', 'user.update'])
      expect(actions, action).toContain(action);
    expect(audit.body.items.every((e) => e.actorName === 'Ada Admin')).toBe(true);
    const umaEdit = audit.body.items.find((e) => e.action === 'user.update' && e.targetId === made.uma.id);
    expect(umaEdit?.targetName).toBe('Uma User');
  });

  it("D2: the admin's change reaches the colleague's app over the stream", async () => {
    const s = await setUp();
    const { t, as } = s;
    await setUpTenant(s);
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email: s.umaEmail, password: PASSWORD, audience: 'app' },
    });
    expect(login.status).toBe(200);
    const stream = await TestStream.open(base, { token: login.body.token });
    try {
      const first = await stream.next();
      expect(first).toMatchObject({ type: 'config', config: { queues: [{ name: 'Front desk', roles: ['agent'] }] } });
      expect((await as('PATCH', `/v1/tenants/${t}/users/${s.uma.id}`, { features: { recording: true } })).status).toBe(
        200,
      );
      const pushed = await stream.until((m) => m.type === 'config' && m.config.features.recording);
      expect(pushed).toMatchObject({ config: { userId: s.uma.id, features: { recording: true } } });
    } finally {
      stream.close();
    }
  });

  it('deleting a group takes its members out and clears it as their primary group; their apps hear it', async () => {
    const s = await setUp();
    const { t, as } = s;
    const { sales, support } = await setUpTenant(s);
    const members = await as<UserPage>('GET', `/v1/tenants/${t}/users?group=${sales.id}`);
    expect(members.body.items.map((u) => u.id)).toEqual([s.uma.id]);
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email: s.umaEmail, password: PASSWORD, audience: 'app' },
    });
    const stream = await TestStream.open(base, { token: login.body.token });
    try {
      const first = await stream.next();
      expect((await as('DELETE', `/v1/tenants/${t}/groups/${sales.id}`)).status).toBe(204);
      const pushed = await stream.until((m) => m.type === 'config');
      if (first.type === 'config' && pushed.type === 'config') expect(pushed.version).toBeGreaterThan(first.version);
    } finally {
      stream.close();
    }
    const after = await as<User>('GET', `/v1/tenants/${t}/users/${s.uma.id}`);
    expect(after.body.groups).toEqual([support.id]);
    expect(after.body.primaryGroup).toBeNull();
  });
});

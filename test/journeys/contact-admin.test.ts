import { expect, it } from 'vitest';
import type { AccessAnswer, Queue, RolePermissions, User, UserPage } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/** GET and PUT /role-permissions answer the role permissions with the tenant version. */
type RolePermissionsAnswer = RolePermissions & { version: number };

/**
 * Journey: the tenant runs its own contact center. The provider creates the tenant and its first
 * administrator exactly as the README's set-up says; that administrator opens the role permissions,
 * makes a portal-only (manual) colleague Contact Admin, and the colleague configures the contact
 * center: role permissions, a queue, a supervisor from the phone system. Contact Admin is for any user
 * with website access; only queue roles need a platform user (G14). A superuser holds cc:admin (G15 text).
 */
describeEachDatabase('journey: the tenant runs its own contact center (Contact Admin)', (kind) => {
  const a = apiSuite(kind);

  /** README "Set-up": the tenant and its first administrator, with the bodies the README sends. */
  async function readmeSetUp() {
    const tenant = await a.asProvider<{ id: string }>('POST', '/v1/tenants', {
      name: 'Acme',
      plan: 'record',
      homeRegion: 'PL',
      seats: 50,
    });
    expect(tenant.status).toBe(201);
    const t = tenant.body.id;
    const ada = await a.asProvider<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Ada Admin',
      email: uniqueEmail('ada'),
      password: 'correct horse battery staple',
      permissions: ['website_access', 'manage_users', 'manage_billable_items', 'customer_settings'],
      profile: { kind: 'superuser' },
      contactCenter: { admin: true },
    });
    expect(ada.status).toBe(201);
    return { t, ada: ada.body, token: await a.session(t, ada.body.id) };
  }

  it("the README's first administrator can set up the tenant: role permissions, queues, profiles, users", async () => {
    const { t, ada, token } = await readmeSetUp();
    const rp = await a.call<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`, { token });
    expect(rp.status).toBe(200);
    const { version: _v, ...body } = rp.body;
    const put = await a.call<RolePermissionsAnswer>('PUT', `/v1/tenants/${t}/role-permissions`, {
      token,
      body: { ...body, supervisor: { ...body.supervisor, configPortal: true } },
    });
    expect(put.status).toBe(200);
    expect((await a.call('POST', `/v1/tenants/${t}/queues`, { token, body: { name: 'Front desk' } })).status).toBe(201);
    expect(
      (await a.call('POST', `/v1/tenants/${t}/profiles`, { token, body: { name: 'Viewer', grants: ['users:view'] } }))
        .status,
    ).toBe(201);
    const access = (await a.call<AccessAnswer>('GET', `/v1/tenants/${t}/users/${ada.id}/access`, { token })).body;
    for (const cap of ['cc:admin', 'queues:edit', 'profiles:edit', 'users:edit', 'billing:edit', 'settings:edit'])
      expect(access.capabilities[cap], cap).toMatchObject({ allowed: true });
  });

  it('C7, G14: a manual user with website access made Contact Admin opens role permissions and configures a queue', async () => {
    const { t, token } = await readmeSetUp();
    // The phone system brings a queue and a user.
    const synced = await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [
        {
          externalId: 'ext-pat',
          displayName: 'Pat Platform',
          email: uniqueEmail('pat'),
          extension: '201',
          devices: [],
          acdQueues: [],
        },
      ],
      queues: [{ externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 }],
    });
    expect(synced.status).toBe(200);
    const pat = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items.find(
      (u) => u.externalId === 'ext-pat',
    )!;
    const sales = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items.find(
      (q) => q.name === 'Sales',
    )!;

    // Ada makes a portal-only colleague Contact Admin.
    const made = await a.call<User>('POST', `/v1/tenants/${t}/users`, {
      token,
      body: { displayName: 'Carla Contact', email: uniqueEmail('carla'), permissions: ['website_access'] },
    });
    expect(made.status).toBe(201);
    const carla = made.body;
    expect(carla.source).toBe('manual');
    const promoted = await a.call<User>('PATCH', `/v1/tenants/${t}/users/${carla.id}`, {
      token,
      body: { contactCenter: { admin: true } },
    });
    expect(promoted.status).toBe(200);
    const access = (await a.call<AccessAnswer>('GET', `/v1/tenants/${t}/users/${carla.id}/access`, { token })).body;
    expect(access.capabilities['cc:admin']).toMatchObject({ allowed: true, grantedBy: ['role:contact_admin'] });
    expect(access.capabilities['queues:edit']).toMatchObject({ allowed: true });

    // Carla runs the contact center.
    const carlaToken = await a.session(t, carla.id);
    const as = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) =>
      a.call<T>(method, url, { token: carlaToken, ...(body !== undefined ? { body } : {}) });
    const rp = await as<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`);
    expect(rp.status).toBe(200);
    const { version: _v, ...body } = rp.body;
    const put = await as<RolePermissionsAnswer>('PUT', `/v1/tenants/${t}/role-permissions`, {
      ...body,
      supervisor: { ...body.supervisor, manageQueueSettings: true },
    });
    expect(put.status).toBe(200);
    const queue = await as<Queue>('POST', `/v1/tenants/${t}/queues`, { name: 'Support', wrapUpSeconds: 0 });
    expect(queue.status).toBe(201);
    const configured = await as<Queue>('PATCH', `/v1/tenants/${t}/queues/${queue.body.id}`, { wrapUpSeconds: 30 });
    expect(configured.status).toBe(200);
    expect(configured.body.wrapUpSeconds).toBe(30);
    // The settings of every queue are hers (seed 001), the phone system's queues included.
    const [edit] = (
      await as<{ results: Array<{ allowed: boolean }> }>('POST', `/v1/tenants/${t}/check`, {
        checks: [{ userId: carla.id, capability: 'queue:edit_settings', resource: `queue:${sales.id}` }],
      })
    ).body.results;
    expect(edit).toMatchObject({ allowed: true });
    // Ada (Manage Users and cc:admin) maps the phone-system user to the queue as supervisor (C7, G14).
    const byAda = await a.call<User>('PATCH', `/v1/tenants/${t}/users/${pat.id}`, {
      token,
      body: { contactCenter: { queues: { [sales.id]: ['supervisor'] } } },
    });
    expect(byAda.status).toBe(200);

    // Queue roles, though, are for platform users only (G14): Carla cannot be a queue supervisor.
    const role = await a.call('PATCH', `/v1/tenants/${t}/users/${carla.id}`, {
      token,
      body: { contactCenter: { queues: { [sales.id]: ['supervisor'] } } },
    });
    expect(role.status).toBe(422);
    expect(role.body).toMatchObject({ code: 'platform_user_required', rule: 'G14' });
  });

  it('G15 text: a superuser has cc:admin and opens the role permissions', async () => {
    const { id: t } = await a.tenant();
    const su = await a.user(t, {
      email: uniqueEmail('su'),
      permissions: ['website_access'],
      profile: { kind: 'superuser' },
    });
    const token = await a.session(t, su.id);
    const access = (await a.call<AccessAnswer>('GET', `/v1/tenants/${t}/users/${su.id}/access`, { token })).body;
    expect(access.capabilities['cc:admin']).toMatchObject({ allowed: true, grantedBy: ['profile:superuser'] });
    expect((await a.call('GET', `/v1/tenants/${t}/role-permissions`, { token })).status).toBe(200);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CreatedApiToken, User } from '../../src/contract/index.js';
import { api, type ApiClient, type HttpMethod } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

/**
 * I5: an API token does exactly its scopes, on its creator's own routes too. What a signed-in user
 * may do about themself without a capability (their record, access, configuration, preferences, the
 * tenant summary, checks and dial checks about themself) is the session's, not the token's.
 */
describeEachDatabase('API token scopes on the creator’s own routes (I5)', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let me: User;
  let session: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    t = (await a.tenant()).id;
    me = await a.user(t, {
      displayName: 'Token Maker',
      email: `maker.${t.toLowerCase()}@example.test`,
      permissions: ['website_access', 'manage_users', 'customer_settings', 'rest_api_admin'],
    });
    session = await a.session(t, me.id, 'portal');
  });
  afterAll(() => server?.stop());

  const token = async (scopes: string[]) => {
    const r = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token: session,
      body: { name: scopes.join(' '), scopes },
    });
    expect(r.status).toBe(201);
    return r.body.token;
  };

  /** Every route a user may use about themself, with the scope a token needs for it. */
  const ownRoutes = (): Array<{ method: HttpMethod; url: string; body?: unknown; needs: 'view' | 'edit' }> => [
    { method: 'GET', url: '/v1/me', needs: 'view' },
    { method: 'GET', url: '/v1/me/config', needs: 'view' },
    { method: 'PATCH', url: '/v1/me/preferences', body: { crmOverlay: false }, needs: 'edit' },
    { method: 'GET', url: `/v1/tenants/${t}/users/${me.id}`, needs: 'view' },
    { method: 'GET', url: `/v1/tenants/${t}/users/${me.id}/access`, needs: 'view' },
    { method: 'GET', url: `/v1/tenants/${t}/users/${me.id}/config`, needs: 'view' },
    {
      method: 'POST',
      url: `/v1/tenants/${t}/check`,
      body: { checks: [{ userId: me.id, capability: 'users:view' }] },
      needs: 'view',
    },
    {
      method: 'POST',
      url: `/v1/tenants/${t}/dial-check`,
      body: { userId: me.id, number: '+48221234567', channel: 'call' },
      needs: 'view',
    },
  ];

  it('I5: a token scoped to groups:view reads and writes nothing of its creator, nor the tenant record', async () => {
    const groupsOnly = await token(['groups:view']);
    const before = (await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${me.id}`)).body.version;
    for (const r of [...ownRoutes(), { method: 'GET' as const, url: `/v1/tenants/${t}` }]) {
      const res = await a.call(r.method, r.url, { token: groupsOnly, body: 'body' in r ? r.body : undefined });
      expect(res.status, `${r.method} ${r.url}`).toBe(403);
      expect(res.body, `${r.method} ${r.url}`).toMatchObject({ code: 'forbidden' });
    }
    // Nothing was written: the preferences PATCH was refused before any change.
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${me.id}`)).body.version).toBe(before);
    // Its own scope still works.
    expect((await a.call('GET', `/v1/tenants/${t}/groups`, { token: groupsOnly })).status).toBe(200);
  });

  it('I5: users:view reads its creator but does not write; users:edit writes the preferences', async () => {
    const viewer = await token(['users:view']);
    for (const r of ownRoutes()) {
      const res = await a.call(r.method, r.url, { token: viewer, body: r.body });
      expect(res.status, `${r.method} ${r.url}`).toBe(r.needs === 'view' ? 200 : 403);
    }
    const editor = await token(['users:edit']);
    const res = await a.call('PATCH', '/v1/me/preferences', { token: editor, body: { crmOverlay: false } });
    expect(res.status).toBe(200);
  });

  it('I5: a signed-in session keeps every self-service route without any capability', async () => {
    const plain = await a.user(t, { displayName: 'Plain' });
    const plainSession = await a.session(t, plain.id, 'app');
    for (const r of [
      { method: 'GET' as const, url: '/v1/me' },
      { method: 'GET' as const, url: '/v1/me/config' },
      { method: 'PATCH' as const, url: '/v1/me/preferences', body: { crmOverlay: false } },
      { method: 'GET' as const, url: `/v1/tenants/${t}/users/${plain.id}/access` },
      { method: 'GET' as const, url: `/v1/tenants/${t}` },
    ]) {
      const res = await a.call(r.method, r.url, { token: plainSession, body: r.body });
      expect(res.status, `${r.method} ${r.url}`).toBe(200);
    }
  });
});

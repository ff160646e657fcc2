import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  ApiToken,
  CreatedApiToken,
  LoginResult,
  NamedPermission,
  PlatformToken,
  Tenant,
} from '../../src/contract/index.js';
import type { Page } from '../support/api.js';
import { anyString } from '../support/matchers.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { client, PASSWORD } from './support.js';

/** POST /platform-tokens answers the new token's id and, this once, its secret. */
type CreatedPlatformToken = { id: string; token: string };

describeEachDatabase('identity: API tokens and platform tokens', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind);
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A tenant with an admin who may create tokens (rest_api_admin) and view and edit users (manage_users). */
  async function setup(permissions: NamedPermission[] = ['website_access', 'manage_users', 'rest_api_admin']) {
    const { id: t } = await c.tenant();
    const admin = await c.portalUser(t, { permissions });
    const s = await c.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email: admin.email, password: PASSWORD, audience: 'portal' },
    });
    return { t, admin, token: s.body.token };
  }

  describe('I5: API tokens', () => {
    it('I5: a token is shown once, stored hashed, listed without its secret, and acts within its scopes only', async () => {
      const { t, admin, token } = await setup();
      const created = await c.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
        token,
        body: { name: 'CRM sync', scopes: ['users:view'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: anyString,
        name: 'CRM sync',
        scopes: ['users:view'],
        userId: admin.id,
        expiresAt: null,
      });
      expect(created.body.token).toMatch(/^sbt_/);
      const stored = await server.deps.db
        .selectFrom('api_tokens')
        .select('token_hash')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(created.body.token.slice(4));
      const list = await c.call<Page<ApiToken>>('GET', `/v1/tenants/${t}/api-tokens`, { token });
      expect(list.body.items[0]).not.toHaveProperty('token');

      const api = created.body.token;
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: api })).status).toBe(200);
      const edit = await c.call('PATCH', `/v1/tenants/${t}/users/${admin.id}`, {
        token: api,
        body: { displayName: 'Renamed by a read-only token' },
      });
      expect(edit.status).toBe(403);
      expect((await c.call('DELETE', `/v1/tenants/${t}/users/${admin.id}/sessions`, { token: api })).status).toBe(403);
    });

    it("C3: scopes beyond the creator's capabilities are refused (escalation_refused)", async () => {
      const { t, token } = await setup();
      const r = await c.call('POST', `/v1/tenants/${t}/api-tokens`, {
        token,
        body: { name: 'too much', scopes: ['users:view', 'billing:edit'] },
      });
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 'escalation_refused', rule: 'C3', missing: ['billing:edit'] });
    });

    it('C3: a token that may create tokens cannot create one wider than itself', async () => {
      const { t, token } = await setup();
      const narrow = await c.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
        token,
        body: { name: 'minter', scopes: ['api_tokens:create', 'users:view'] },
      });
      expect(narrow.status).toBe(201);
      const wider = await c.call('POST', `/v1/tenants/${t}/api-tokens`, {
        token: narrow.body.token,
        body: { name: 'wider', scopes: ['users:edit'] },
      });
      expect(wider.status).toBe(403);
      expect(wider.body.code).toBe('escalation_refused');
      expect(
        (
          await c.call('POST', `/v1/tenants/${t}/api-tokens`, {
            token: narrow.body.token,
            body: { name: 'same', scopes: ['users:view'] },
          })
        ).status,
      ).toBe(201);
    });

    it('I5: only api_tokens:create holders create tokens; unknown capabilities are named', async () => {
      const { t, token } = await setup(['website_access', 'manage_users']);
      expect(
        (await c.call('POST', `/v1/tenants/${t}/api-tokens`, { token, body: { name: 'x', scopes: ['users:view'] } }))
          .status,
      ).toBe(403);
      const other = await setup();
      const bad = await c.call('POST', `/v1/tenants/${other.t}/api-tokens`, {
        token: other.token,
        body: { name: 'x', scopes: ['nope:never'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('/scopes/0');
    });

    it('I5: expired and revoked tokens stop working; last use is recorded with the address and audited', async () => {
      const { t, token } = await setup();
      // A token expiring in a moment: used now, the node remembers it as verified, but not past its expiry.
      const expiresAt = Date.now() + 1_500;
      const expiring = await c.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
        token,
        body: { name: 'soon', scopes: ['users:view'], expiresAt: new Date(expiresAt).toISOString() },
      });
      expect(expiring.status).toBe(201);
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: expiring.body.token })).status).toBe(200);
      await sleep(expiresAt - Date.now() + 100);
      const expired = await c.call('GET', `/v1/tenants/${t}/users`, { token: expiring.body.token });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('invalid_token');
      expect(
        (
          await c.call('POST', `/v1/tenants/${t}/api-tokens`, {
            token,
            body: { name: 'past', scopes: ['users:view'], expiresAt: '2001-01-01T00:00:00Z' },
          })
        ).status,
      ).toBe(400);

      const keep = await c.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
        token,
        body: { name: 'keep', scopes: ['users:view'] },
      });
      await c.call('GET', `/v1/tenants/${t}/users`, { token: keep.body.token, ip: '192.0.2.7' });
      // The use is recorded in the background, after the request that used the token.
      await vi.waitFor(async () => {
        const listed = (await c.call<Page<ApiToken>>('GET', `/v1/tenants/${t}/api-tokens`, { token })).body.items.find(
          (x) => x.id === keep.body.id,
        );
        expect(listed).toMatchObject({ lastUsedAt: anyString, lastUsedAddr: '192.0.2.7' });
        const audit = await server.deps.db
          .selectFrom('audit_log')
          .select(['action', 'client_addr'])
          .where('target_id', '=', keep.body.id)
          .execute();
        expect(audit).toEqual(expect.arrayContaining([{ action: 'api_token.use', client_addr: '192.0.2.7' }]));
      });

      expect((await c.call('DELETE', `/v1/tenants/${t}/api-tokens/${keep.body.id}`, { token })).status).toBe(204);
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: keep.body.token })).status).toBe(401);
      expect((await c.call('DELETE', `/v1/tenants/${t}/api-tokens/${keep.body.id}`, { token })).status).toBe(404);
    });

    it("G13: a suspended user's tokens stop working", async () => {
      const { t, token } = await setup();
      const other = await c.portalUser(t, { permissions: ['website_access', 'manage_users', 'rest_api_admin'] });
      const s = await c.call<LoginResult>('POST', '/v1/auth/login', {
        body: { email: other.email, password: PASSWORD, audience: 'portal' },
      });
      const made = await c.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
        token: s.body.token,
        body: { name: 'theirs', scopes: ['users:view'] },
      });
      // Used once, so the node holds it as verified: the suspension must reach that memory too.
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: made.body.token })).status).toBe(200);
      expect(
        (await c.call('PATCH', `/v1/tenants/${t}/users/${other.id}`, { token, body: { status: 'suspended' } })).status,
      ).toBe(200);
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: made.body.token })).status).toBe(401);
    });
  });

  it("a plain user's app reads who its tenant is and its plan, not pools, seats or policies; an admin reads it all", async () => {
    const { t, token: adminToken } = await setup(['website_access', 'manage_users']);
    const plain = await setup(['website_access']);
    const full = await c.call<Tenant>('GET', `/v1/tenants/${t}`, { token: adminToken });
    expect(full.body).toHaveProperty('licencePools');
    expect(full.body).toHaveProperty('policies');
    for (const url of [`/v1/tenants/${plain.t}`, '/v1/tenants']) {
      const read = await c.call<Tenant | Page<Tenant>>('GET', url, { token: plain.token });
      expect(read.status).toBe(200);
      const tenant = 'items' in read.body ? read.body.items[0] : read.body;
      expect(tenant).toMatchObject({ id: plain.t, name: anyString, plan: anyString });
      for (const hidden of ['licencePools', 'seats', 'policies', 'settings']) expect(tenant).not.toHaveProperty(hidden);
    }
  });

  describe('I6: platform tokens', () => {
    it('I6: the provider issues a platform token (shown once); it works for platform sync only', async () => {
      const { id: t } = await c.tenant();
      const r = await c.provider<CreatedPlatformToken>('POST', `/v1/tenants/${t}/platform-tokens`, { name: 'PBX' });
      expect(r.status).toBe(201);
      expect(r.body.token).toMatch(/^sbk_/);
      const pt = r.body.token;
      const sync = await c.call('PUT', `/v1/tenants/${t}/platform/snapshot?dryRun=true`, {
        token: pt,
        body: { users: [], queues: [] },
      });
      expect(sync.status).toBe(200);
      expect((await c.call('GET', `/v1/tenants/${t}/users`, { token: pt })).status).toBe(403);
      expect((await c.call('GET', `/v1/tenants/${t}/sessions`, { token: pt })).status).toBe(403);
      expect(
        (
          await c.call('POST', `/v1/tenants/${t}/api-tokens`, {
            token: pt,
            body: { name: 'x', scopes: ['users:view'] },
          })
        ).status,
      ).toBe(403);
      expect((await c.call('POST', `/v1/tenants/${t}/platform-tokens`, { token: pt })).status).toBe(403);
      // I6: sync and dial checks only; the tenant record (plan, pools, seats, policies) is not its to read.
      for (const url of ['/v1/tenants', `/v1/tenants/${t}`]) {
        const read = await c.call('GET', url, { token: pt });
        expect(read.status, url).toBe(403);
        expect(read.body).toMatchObject({ code: 'forbidden', rule: 'I6' });
      }
      const { id: other } = await c.tenant();
      expect(
        (
          await c.call('PUT', `/v1/tenants/${other}/platform/snapshot?dryRun=true`, {
            token: pt,
            body: { users: [], queues: [] },
          })
        ).status,
      ).toBe(404);
      await vi.waitFor(async () => {
        const listed = await c.provider<Page<PlatformToken>>('GET', `/v1/tenants/${t}/platform-tokens`);
        expect(listed.body.items[0]).toMatchObject({ id: r.body.id, name: 'PBX', lastUsedAt: anyString });
      });
      expect((await c.provider('DELETE', `/v1/tenants/${t}/platform-tokens/${r.body.id}`)).status).toBe(204);
      expect(
        (
          await c.call('PUT', `/v1/tenants/${t}/platform/snapshot?dryRun=true`, {
            token: pt,
            body: { users: [], queues: [] },
          })
        ).status,
      ).toBe(401);
    });

    it('C8: only the provider issues platform tokens', async () => {
      const { id: t } = await c.tenant();
      const admin = await c.portalUser(t, { permissions: ['website_access', 'manage_users'] });
      const s = await c.call<LoginResult>('POST', '/v1/auth/login', {
        body: { email: admin.email, password: PASSWORD, audience: 'portal' },
      });
      const r = await c.call('POST', `/v1/tenants/${t}/platform-tokens`, { token: s.body.token });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('provider_only');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { api, type ApiClient } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Limits: the expensive operations have a budget per credential and one per tenant a minute (429 `rate_limited`,
 * problem+json, `Retry-After`); request bodies are limited per route (1 MiB, more only where a
 * sync or an import needs it).
 */
describe('rate limits per credential and per tenant, body limits per route', () => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  beforeAll(async () => {
    server = await startTestServer('pglite', {
      RATE_LIMIT_BULK_PER_MINUTE: '2',
      RATE_LIMIT_CHECKS_PER_MINUTE: '3',
      RATE_LIMIT_TENANT_CHECKS_PER_MINUTE: '5',
    });
    a = api(server);
    t = (await a.tenant()).id;
  });
  afterAll(() => server?.stop());

  const expect429 = (res: { status: number; body: unknown; headers: Record<string, unknown> }) => {
    expect(res.status).toBe(429);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('a sync has a budget per credential: the provider spends its own, a platform token keeps its own', async () => {
    const pbx = await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, { name: 'PBX' });
    const sync = (token?: string) =>
      token
        ? a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, { token, body: { users: [], queues: [] } })
        : a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, { users: [], queues: [] });
    expect((await sync()).status).toBe(200);
    expect((await sync()).status).toBe(200);
    expect429(await sync());
    expect((await sync(pbx.body.token)).status).toBe(200);
  });

  it('batch checks have their own budget; ordinary reads have none', async () => {
    const u = await a.user(t, { displayName: 'Checked' });
    const session = await a.session(t, u.id, 'app');
    const check = () =>
      a.call('POST', `/v1/tenants/${t}/check`, {
        token: session,
        body: { checks: [{ userId: u.id, capability: 'telephony:call' }] },
      });
    for (let i = 0; i < 3; i++) expect((await check()).status).toBe(200);
    expect429(await check());
    for (let i = 0; i < 10; i++) expect((await a.call('GET', '/v1/me', { token: session })).status).toBe(200);
  });

  it("many credentials of one tenant share the tenant's budget; another tenant keeps its own", async () => {
    const { id: t3 } = await a.tenant();
    const { id: t4 } = await a.tenant();
    const checker = async (tenant: string, name: string) => {
      const u = await a.user(tenant, { displayName: name });
      const token = await a.session(tenant, u.id, 'app');
      return () =>
        a.call('POST', `/v1/tenants/${tenant}/check`, {
          token,
          body: { checks: [{ userId: u.id, capability: 'telephony:call' }] },
        });
    };
    const first = await checker(t3, 'First integration');
    const second = await checker(t3, 'Second integration');
    for (let i = 0; i < 3; i++) expect((await first()).status).toBe(200);
    // The first credential's own budget (3) is spent; its refused call does not spend the tenant's.
    expect429(await first());
    for (let i = 0; i < 2; i++) expect((await second()).status).toBe(200);
    // The tenant's budget (5) is spent although the second credential used only 2 of its 3.
    const refused = await second();
    expect429(refused);
    expect((refused.body as { detail: string }).detail).toContain("tenant's");
    const elsewhere = await checker(t4, 'Other tenant');
    expect((await elsewhere()).status).toBe(200);
  });

  it('the defaults leave room for an integration checking for many users with one token', () => {
    const c = loadConfig({});
    expect(c.RATE_LIMIT_CHECKS_PER_MINUTE).toBeGreaterThanOrEqual(6000);
    expect(c.RATE_LIMIT_TENANT_CHECKS_PER_MINUTE).toBeUndefined();
  });

  it('a body over 1 MiB is 413 on an ordinary route, and fits where a sync needs it', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const r = await a.asProvider('POST', `/v1/tenants/${t}/groups`, { name: big });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'payload_too_large' });
    const { id: t2 } = await a.tenant();
    const users = Array.from({ length: 9000 }, (_, i) => ({
      externalId: `ext-${i}`,
      displayName: `Platform user number ${i} with a long enough name`,
      extension: String(10000 + i),
      devices: [],
      acdQueues: [],
    }));
    expect(JSON.stringify({ users, queues: [] }).length).toBeGreaterThan(1024 * 1024);
    // A platform token of its own: the provider spent its sync budget above.
    const pbx = await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t2}/platform-tokens`, { name: 'PBX' });
    const sync = await a.call('PUT', `/v1/tenants/${t2}/platform/snapshot?dryRun=true`, {
      token: pbx.body.token,
      body: { users, queues: [] },
    });
    expect(sync.status).toBe(200);
  });
});

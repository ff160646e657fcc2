import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiClient } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Limits: the expensive operations have a budget per credential and minute (429 `rate_limited`,
 * problem+json, `Retry-After`); request bodies are limited per route (1 MiB, more only where a
 * sync or an import needs it).
 */
describe('rate limits per credential and body limits per route', () => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  beforeAll(async () => {
    server = await startTestServer('pglite', { RATE_LIMIT_BULK_PER_MINUTE: '2', RATE_LIMIT_CHECKS_PER_MINUTE: '3' });
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

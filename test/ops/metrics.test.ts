import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertSession } from '../support/fixtures.js';
import { PROVIDER_TOKEN, describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

/** Observability: GET /metrics in Prometheus format, for the operator (provider token) only. */
describeEachDatabase('metrics', (kind) => {
  let server: TestServer;
  const get = (url: string, token?: string) =>
    server.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it('counts requests by route template and status, times them, and reports streams and the pool', async () => {
    await get('/v1/tenants', PROVIDER_TOKEN);
    await get('/v1/tenants/tnt_nope', PROVIDER_TOKEN);
    const res = await get('/metrics', PROVIDER_TOKEN);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('switchboard_http_requests_total{method="GET",route="/v1/tenants",status="200"} 1');
    // Route templates, never raw ids: the label set stays bounded.
    expect(res.body).toContain('route="/v1/tenants/:t",status="404"');
    expect(res.body).not.toContain('tnt_nope');
    expect(res.body).toMatch(
      /switchboard_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/tenants"\}/,
    );
    expect(res.body).toContain('switchboard_stream_connections 0');
    if (kind === 'postgres') expect(res.body).toMatch(/switchboard_db_pool_connections\{state="total"\} \d+/);
    expect(res.body).toContain('switchboard_process_resident_memory_bytes');
  });

  it("is the operator's: no token is 401, a tenant user's session 403", async () => {
    expect((await get('/metrics')).statusCode).toBe(401);
    const tenant = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/tenants',
        headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
        payload: { name: 'Metered' },
      })
    ).json<{ id: string }>();
    const user = (
      await server.app.inject({
        method: 'POST',
        url: `/v1/tenants/${tenant.id}/users`,
        headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
        payload: {
          displayName: 'Ops Olga',
          email: 'olga@metered.example',
          permissions: ['website_access', 'manage_users'],
        },
      })
    ).json<{ id: string }>();
    const { token } = await insertSession(server.deps.db, tenant.id, user.id, 'portal');
    const res = await get('/metrics', token);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'provider_only' });
  });
});

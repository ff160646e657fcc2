import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client } from '../identity/support.js';
import { TestStream } from '../stream/support.js';
import { insertSession } from '../support/fixtures.js';
import { PROVIDER_TOKEN, describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';

/** A local port nothing listens on: a webhook sent there fails at once. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** The value of one sample (`name{labels} value`), or null when the series is absent. */
function sample(body: string, series: string): number | null {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

/** Observability: GET /metrics in Prometheus format, for the operator (provider token) only. */
describeEachDatabase('metrics', (kind) => {
  let server: TestServer;
  const get = (url: string, token?: string) =>
    server.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    server = await startTestServer(kind, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '50' });
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

  it('decisions, seats in use and refusals per tenant, stream pushes, sync durations, outbox lag and failures', async () => {
    const c = client(server);
    const { id: t } = await c.tenant({ seats: 1 });
    const [first, second] = await c.appUsers(t, 2);
    const login = (email: string) =>
      c.call<{ token: string }>('POST', '/v1/auth/login', {
        body: { email, password: 'correct horse battery staple', audience: 'app' },
      });
    const signedIn = await login(first!.email);
    expect(signedIn.status).toBe(200);
    expect((await login(second!.email)).status).toBe(409);

    const checked = await c.call('POST', `/v1/tenants/${t}/check`, {
      token: PROVIDER_TOKEN,
      body: {
        checks: [
          { userId: first!.id, capability: 'telephony:call' },
          { userId: 'usr_nobody', capability: 'telephony:call' },
        ],
      },
    });
    expect(checked.status).toBe(200);
    const synced = await c.call('PUT', `/v1/tenants/${t}/platform/snapshot?dryRun=true`, {
      token: PROVIDER_TOKEN,
      body: { users: [], queues: [] },
    });
    expect(synced.status).toBe(200);

    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await TestStream.open(base, { token: signedIn.body.token });
    await stream.next();
    stream.close();

    const port = await closedPort();
    const hook = await c.call('POST', `/v1/tenants/${t}/webhooks`, {
      token: PROVIDER_TOKEN,
      body: { url: `http://127.0.0.1:${port}/hook`, events: ['user.created'] },
    });
    expect(hook.status).toBe(201);
    expect(
      (await c.call('POST', `/v1/tenants/${t}/users`, { token: PROVIDER_TOKEN, body: { displayName: 'Hooked' } }))
        .status,
    ).toBe(201);

    // The webhook attempt fails (nothing listens) and is scheduled for a retry: an outbox failure.
    const retried = 'switchboard_webhook_attempts_total{outcome="retry"}';
    const deadline = Date.now() + EVENTUALLY_MS;
    let body = (await get('/metrics', PROVIDER_TOKEN)).body;
    while (sample(body, retried) === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      body = (await get('/metrics', PROVIDER_TOKEN)).body;
    }
    expect(sample(body, retried)).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'switchboard_decisions_total{allowed="true"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'switchboard_decisions_total{allowed="false"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, `switchboard_seats_in_use{tenant="${t}"}`)).toBe(1);
    expect(sample(body, `switchboard_seat_refusals_total{tenant="${t}"}`)).toBe(1);
    expect(sample(body, 'switchboard_stream_pushes_total{type="config"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'switchboard_sync_duration_seconds_count{dry_run="true",outcome="applied"}')).toBe(1);
    expect(sample(body, 'switchboard_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'switchboard_outbox_lag_seconds')).not.toBeNull();
  });

  it('per-tenant labels are bounded: past the first 100 tenants a node counts the rest as "other"', () => {
    const m = server.deps.metrics;
    const labels = Array.from({ length: 150 }, (_, i) => m.tenantLabel(`tnt_bounded_${i}`));
    expect(new Set(labels).size).toBeLessThanOrEqual(101);
    expect(labels.at(-1)).toBe('other');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckAnswer, DialCheckAnswer, EffectiveConfig, User } from '../../src/contract/index.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../support/server.js';
import { http, seedTenant, startCluster, type Cluster } from '../identity/cluster.js';

/**
 * D7 across nodes: every node answers from its live snapshot, and a caller that passes the version a
 * write returned (`minVersion`) reads that write on any node, right after it, with no sleep.
 */
const pgUp = await postgresReachable();

describe.skipIf(!pgUp)('multi-node read-your-writes (3 processes, one PostgreSQL)', () => {
  let cluster: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  let tenantId: string;
  let userId: string;
  const node = (i: number) => cluster.nodes[i]!.url;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster(db.url, 3);
    let users: Array<{ id: string }>;
    ({ tenantId, users } = await seedTenant(node(0), db.url, {
      seats: null,
      users: 1,
      password: 'read your writes everywhere',
      plan: 'reach', // the rounds switch dial restrictions (F3) on and off
    }));
    userId = users[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  const check = (on: number, minVersion?: number) =>
    http<CheckAnswer>(
      `${node(on)}/v1/tenants/${tenantId}/check`,
      'POST',
      { checks: [{ userId, capability: 'crm:overlay' }], ...(minVersion !== undefined && { minVersion }) },
      PROVIDER_TOKEN,
    );

  it('D7: a change written through node A is read on nodes B and C with minVersion, at once, 20 times in a row', async () => {
    // Every node holds the tenant warm first: the answers below come from snapshots kept by the bus.
    for (const i of [0, 1, 2]) expect((await check(i)).status).toBe(200);
    for (let round = 0; round < 20; round++) {
      const on = round % 2 === 0;
      const w = await http<User>(
        `${node(0)}/v1/tenants/${tenantId}/users/${userId}`,
        'PATCH',
        { features: { crmOverlay: on, dialRestriction: { enabled: !on, allowedRegions: [] } } },
        PROVIDER_TOKEN,
      );
      expect(w.status, JSON.stringify(w.body)).toBe(200);
      const [b, c] = await Promise.all([check(1, w.body.version), check(2, w.body.version)]);
      for (const r of [b, c]) {
        expect(r.status).toBe(200);
        expect(r.body.version).toBeGreaterThanOrEqual(w.body.version);
        expect(r.body.results[0]!.allowed, `round ${round}`).toBe(on);
      }
      const cfg = await http<EffectiveConfig>(
        `${node(2)}/v1/tenants/${tenantId}/users/${userId}/config?minVersion=${w.body.version}`,
        'GET',
        undefined,
        PROVIDER_TOKEN,
      );
      expect(cfg.body.features.crmOverlay).toBe(on);
      const dial = await http<DialCheckAnswer>(
        `${node(1)}/v1/tenants/${tenantId}/dial-check`,
        'POST',
        { userId, number: '+1 212 555 0123', channel: 'call', minVersion: w.body.version },
        PROVIDER_TOKEN,
      );
      expect(dial.body.version).toBeGreaterThanOrEqual(w.body.version);
    }
  }, 120_000);

  it('I5, G13, I6: tokens a node holds as verified stop working there as soon as another node revokes them or suspends their user', async () => {
    const email = `pep.${Date.now().toString(36)}@nodes.example`;
    const password = 'tokens revoked everywhere';
    const owner = await http<User>(
      `${node(0)}/v1/tenants/${tenantId}/users`,
      'POST',
      { displayName: 'PEP owner', email, password, permissions: ['website_access', 'manage_users', 'rest_api_admin'] },
      PROVIDER_TOKEN,
    );
    expect(owner.status).toBe(201);
    const login = await http<{ token: string }>(`${node(0)}/v1/auth/login`, 'POST', {
      email,
      password,
      audience: 'portal',
    });
    const apiToken = async () => {
      const r = await http<{ id: string; token: string }>(
        `${node(0)}/v1/tenants/${tenantId}/api-tokens`,
        'POST',
        { name: 'PEP', scopes: ['users:view'] },
        login.body.token,
      );
      expect(r.status).toBe(201);
      return r.body;
    };
    const usersOn = (i: number, token: string) =>
      http(`${node(i)}/v1/tenants/${tenantId}/users?limit=1`, 'GET', undefined, token);
    /** Node B (1) refuses `token` within the bus's delivery, without a minute's wait for its cache to lapse. */
    const refusedOnB = async (token: string, ask = usersOn) => {
      const until = Date.now() + 3_000;
      let status = 0;
      while (Date.now() < until && (status = (await ask(1, token)).status) !== 401)
        await new Promise((r) => setTimeout(r, 50));
      expect(status).toBe(401);
    };

    // An API token revoked on A.
    const revoked = await apiToken();
    expect((await usersOn(1, revoked.token)).status).toBe(200);
    expect(
      (await http(`${node(0)}/v1/tenants/${tenantId}/api-tokens/${revoked.id}`, 'DELETE', undefined, login.body.token))
        .status,
    ).toBe(204);
    await refusedOnB(revoked.token);

    // A platform token revoked on A.
    const pbx = await http<{ id: string; token: string }>(
      `${node(0)}/v1/tenants/${tenantId}/platform-tokens`,
      'POST',
      { name: 'pbx 2' },
      PROVIDER_TOKEN,
    );
    const dial = (i: number, token: string) =>
      http(
        `${node(i)}/v1/tenants/${tenantId}/dial-check`,
        'POST',
        { userId, number: '+1 212 555 0123', channel: 'call' },
        token,
      );
    expect((await dial(1, pbx.body.token)).status).toBe(200);
    expect(
      (
        await http(
          `${node(0)}/v1/tenants/${tenantId}/platform-tokens/${pbx.body.id}`,
          'DELETE',
          undefined,
          PROVIDER_TOKEN,
        )
      ).status,
    ).toBe(204);
    await refusedOnB(pbx.body.token, dial);

    // The API token of a user suspended on A (another administrator stays: C4).
    const second = await http(
      `${node(0)}/v1/tenants/${tenantId}/users`,
      'POST',
      { displayName: 'Second admin', email: `2.${email}`, permissions: ['website_access', 'manage_users'] },
      PROVIDER_TOKEN,
    );
    expect(second.status).toBe(201);
    const kept = await apiToken();
    expect((await usersOn(1, kept.token)).status).toBe(200);
    const suspend = await http(
      `${node(0)}/v1/tenants/${tenantId}/users/${owner.body.id}`,
      'PATCH',
      { status: 'suspended' },
      PROVIDER_TOKEN,
    );
    expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);
    await refusedOnB(kept.token);
  }, 60_000);

  it('D7: a minVersion no write has reached yet is refused, not answered from older state', async () => {
    const r = await check(1, 10 ** 12);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'validation_failed', rule: 'D7' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectiveConfig, LoginResult, Tenant, User } from '../../src/contract/index.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../support/server.js';
import { http, seedTenant, startCluster, type Cluster } from '../identity/cluster.js';
import { TestStream } from '../stream/support.js';

/**
 * D2-D5 across nodes: three real server processes on one PostgreSQL. Changes made through node A
 * reach clients connected to nodes B and C through LISTEN/NOTIFY, in version order; a client that
 * reconnects with an old version gets the current one; a logout on A revokes a stream on B.
 */
const pgUp = await postgresReachable();
const PASSWORD = 'changes travel between nodes in order';
const REGIONS = ['DE', 'FR', 'GB', 'US', 'CA', 'ES', 'IT'];

describe.skipIf(!pgUp)('multi-node stream (3 processes, one PostgreSQL)', () => {
  let cluster: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  let tenantId: string;
  let users: Array<{ id: string; email: string }>;
  const node = (i: number) => cluster.nodes[i]!.url;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster(db.url, 3);
    ({ tenantId, users } = await seedTenant(node(0), db.url, { seats: null, users: 3, password: PASSWORD }));
    expect(
      (await http<Tenant>(`${node(0)}/v1/tenants/${tenantId}`, 'PATCH', { plan: 'reach' }, PROVIDER_TOKEN)).status,
    ).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  async function login(i: number, on: number): Promise<string> {
    const r = await http<LoginResult>(`${node(on)}/v1/auth/login`, 'POST', {
      email: users[i]!.email,
      password: PASSWORD,
      audience: 'app',
    });
    expect(r.status).toBe(200);
    return r.body.token;
  }

  it('D2, D3: clients on nodes B and C receive, in order and without gaps, the configurations of 100 rapid changes made through node A', async () => {
    const token = await login(0, 1);
    const [onB, onC] = await Promise.all([TestStream.open(node(1), { token }), TestStream.open(node(2), { token })]);
    const first = await onB.next(10_000);
    await onC.next(10_000);
    expect(first.type).toBe('config');

    // What each version must look like: the change that produced it.
    const expected = new Map<number, string[]>();
    for (let i = 0; i < 100; i++) {
      const allowedRegions = [REGIONS[i % REGIONS.length]!, `${REGIONS[(i + 1) % REGIONS.length]}`];
      const r = await http<User>(
        `${node(0)}/v1/tenants/${tenantId}/users/${users[0]!.id}`,
        'PATCH',
        { features: { dialRestriction: { enabled: true, allowedRegions } } },
        PROVIDER_TOKEN,
      );
      expect(r.status).toBe(200);
      expected.set(r.body.version, allowedRegions);
    }
    const last = Math.max(...expected.keys());
    for (const s of [onB, onC]) {
      await s.until((m) => m.type === 'config' && m.version >= last, 15_000);
      const configs = s.messages.slice(1).filter((m) => m.type === 'config') as Array<{
        version: number;
        config: EffectiveConfig;
      }>;
      const versions = configs.map((c) => c.version);
      // D3: strictly increasing, never an older one after a newer one.
      expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
      // No invented or mixed states: every configuration received is exactly the one its change produced.
      for (const c of configs)
        expect(c.config.features.dialRestriction.allowedRegions).toEqual(expected.get(c.version));
      expect(versions.at(-1)).toBe(last);
      // Without gaps: each of the 100 changes arrives as its own configuration.
      expect(versions).toEqual([...expected.keys()].sort((a, b) => a - b));
    }
    onB.close();
    onC.close();
  }, 120_000);

  it('D4: a client that reconnects (to another node) with an old version gets the current one; with the current, uptodate', async () => {
    const token = await login(1, 0);
    const s1 = await TestStream.open(node(0), { token });
    const first = (await s1.next(10_000)) as { version: number };
    s1.close();
    const r = await http<User>(
      `${node(0)}/v1/tenants/${tenantId}/users/${users[1]!.id}`,
      'PATCH',
      { features: { crmOverlay: false } },
      PROVIDER_TOKEN,
    );
    const s2 = await TestStream.open(node(2), { token, since: first.version });
    const m = await s2.next(10_000);
    expect(m).toMatchObject({ type: 'config', version: r.body.version });
    s2.close();
    const s3 = await TestStream.open(node(1), { token, since: r.body.version });
    expect(await s3.next(10_000)).toEqual({ type: 'uptodate', version: r.body.version });
    s3.close();
  });

  it('D2, G8: a tenant-wide change on node A reaches every connected user on every node', async () => {
    const tokens = await Promise.all([login(0, 1), login(1, 2), login(2, 0)]);
    const streams = await Promise.all(tokens.map((token, i) => TestStream.open(node((i + 1) % 3), { token })));
    for (const s of streams) await s.next(10_000);
    const r = await http<Tenant>(`${node(0)}/v1/tenants/${tenantId}`, 'PATCH', { plan: 'basic' }, PROVIDER_TOKEN);
    expect(r.status).toBe(200);
    for (const s of streams) {
      const m = await s.until((x) => x.type === 'config' && x.version >= r.body.version, 10_000);
      // G8: the dial restriction stored on user 0 is off on a plan without it.
      if (m.type === 'config') expect(m.config.features.dialRestriction.enabled).toBe(false);
      s.close();
    }
  });

  it('D5: a logout through node A sends revoked to the stream of that session on node B and closes it', async () => {
    const token = await login(2, 1);
    const s = await TestStream.open(node(1), { token });
    await s.next(10_000);
    expect((await http(`${node(0)}/v1/auth/logout`, 'POST', undefined, token)).status).toBe(204);
    expect(await s.until((m) => m.type === 'revoked', 10_000)).toEqual({ type: 'revoked', reason: 'logout' });
    expect(await s.closed).toBe(4001);
  });
});

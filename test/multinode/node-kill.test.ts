import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResult, User } from '../../src/contract/index.js';
import { http, seedTenant, startCluster, type Cluster } from '../identity/cluster.js';
import { TestStream } from '../stream/support.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';

/**
 * A node killed with SIGKILL (no drain) while its clients stream and hold seats: the clients
 * reconnect to the other node and resume from their last version without missing a change; their
 * seats stay held, counted once; a client that never comes back loses its seat by lapse (S3), ended
 * by the surviving node's sweeper. Time moves by ageing `last_seen_at`, not by sleeping.
 */
const pgUp = await postgresReachable();
const PASSWORD = 'a node may die at any moment';

describe.skipIf(!pgUp)('multi-node: one node killed while its clients stream and hold seats', () => {
  let cluster: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster(db.url, 2, { SWEEP_INTERVAL_MS: '200' });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    await cluster?.stop();
    await db?.drop();
  });

  it('S1, S3, D3, D4: clients resume on the survivor without a lost change; seats are held once and freed by lapse', async () => {
    const [doomed, survivor] = cluster.nodes.map((n) => n.url) as [string, string];
    const { tenantId, users } = await seedTenant(survivor, db.url, { seats: 3, users: 4, password: PASSWORD });
    const [stays, leaves, elsewhere, newcomer] = users as [
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
    ];
    const login = (email: string, node: string) =>
      http<LoginResult>(`${node}/v1/auth/login`, 'POST', { email, password: PASSWORD, audience: 'app' });
    const change = async (userId: string, crmOverlay: boolean, node: string) => {
      const r = await http<User>(
        `${node}/v1/tenants/${tenantId}/users/${userId}`,
        'PATCH',
        { features: { crmOverlay } },
        PROVIDER_TOKEN,
      );
      expect(r.status).toBe(200);
      return r.body.version;
    };

    // Two clients stream from the node about to die, one from the survivor; all three seats are held.
    const a = (await login(stays.email, doomed)).body;
    const b = (await login(leaves.email, doomed)).body;
    const c = await login(elsewhere.email, survivor);
    expect([a.token, b.token, c.status]).toEqual([expect.any(String), expect.any(String), 200]);
    const streamA = await TestStream.open(doomed, { token: a.token });
    const streamB = await TestStream.open(doomed, { token: b.token });
    expect((await streamA.next(EVENTUALLY_MS)).type).toBe('config');
    await streamB.next(EVENTUALLY_MS);
    const before = await change(stays.id, true, survivor);
    await streamA.until((m) => m.type === 'config' && m.version >= before, EVENTUALLY_MS);
    expect((await login(newcomer.email, survivor)).status).toBe(409);

    // SIGKILL: no drain, no close frame; the sockets just end.
    cluster.nodes[0]!.child.kill('SIGKILL');
    await Promise.all([streamA.closed, streamB.closed]);
    const lastSeen = Math.max(...streamA.messages.map((m) => ('version' in m ? m.version : 0)));
    expect(lastSeen).toBe(before);

    // A change lands while the client is away; it reconnects to the survivor from its last version.
    const duringGap = await change(stays.id, false, survivor);
    const resumed = await TestStream.open(survivor, { token: a.token, since: lastSeen });
    const caughtUp = await resumed.next(EVENTUALLY_MS);
    expect(caughtUp).toMatchObject({ type: 'config', version: duringGap });
    if (caughtUp.type === 'config') expect(caughtUp.config.features.crmOverlay).toBe(false);
    // And every later change arrives, in order.
    const later = [await change(stays.id, true, survivor), await change(stays.id, false, survivor)];
    for (const v of later) await resumed.until((m) => m.type === 'config' && m.version >= v, EVENTUALLY_MS);
    const seen = [...streamA.messages, ...resumed.messages].flatMap((m) => (m.type === 'config' ? [m.version] : []));
    expect(seen).toEqual([...new Set(seen)].sort((x, y) => x - y));
    for (const v of [before, duringGap, ...later]) expect(seen).toContain(v);

    // Seats: the dead node's sessions are still held (the survivor knows them), counted once.
    expect((await http(`${survivor}/v1/me`, 'GET', undefined, a.token)).status).toBe(200);
    expect((await login(newcomer.email, survivor)).status).toBe(409);
    // A second sign-in of a user who holds a seat takes no other seat (S1).
    expect((await login(stays.email, survivor)).status).toBe(200);
    expect((await login(newcomer.email, survivor)).status).toBe(409);

    // The client that never came back: its app stops heartbeating; once its session has been quiet
    // past the lapse, the survivor's sweeper ends it and the seat is free.
    await sql.query(`update sessions set last_seen_at = now() - interval '91 seconds' where id = $1`, [b.sessionId]);
    const deadline = Date.now() + EVENTUALLY_MS;
    let ended: string | null = null;
    while (ended === null && Date.now() < deadline) {
      const r = await sql.query<{ ended_reason: string | null }>('select ended_reason from sessions where id = $1', [
        b.sessionId,
      ]);
      ended = r.rows[0]!.ended_reason;
      if (ended === null) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ended).toBe('lapsed');
    expect((await login(newcomer.email, survivor)).status).toBe(200);
    // The streaming client kept its session alive through the survivor all along.
    expect((await http(`${survivor}/v1/me`, 'GET', undefined, a.token)).status).toBe(200);
    resumed.close();
  }, 180_000);
});

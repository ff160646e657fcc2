import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResult } from '../../src/contract/index.js';
import type { ProblemBody } from '../support/api.js';
import { createTestDatabase, postgresReachable } from '../support/server.js';
import { http, seedTenant, startCluster, type Cluster } from '../identity/cluster.js';

/**
 * S1-S3 across nodes: three real server processes on one PostgreSQL; 300 distinct users race for
 * 50 seats with concurrent app logins, round-robin over the nodes, several rounds. Exactly 50 win
 * every time; seats freed by logout and by lapse (the sweeper) are taken again.
 */
const pgUp = await postgresReachable();
const NODES = 3,
  USERS = 300,
  SEATS = 50;
const PASSWORD = 'three nodes one database many agents';

describe.skipIf(!pgUp)('multi-node seats (3 processes, one PostgreSQL)', () => {
  let cluster: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  let sql: pg.Client;
  let tenantId: string;
  let users: Array<{ id: string; email: string }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster(db.url, NODES, { SWEEP_INTERVAL_MS: '500' });
    ({ tenantId, users } = await seedTenant(cluster.nodes[0]!.url, db.url, {
      seats: SEATS,
      users: USERS,
      password: PASSWORD,
    }));
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    await cluster?.stop();
    await db?.drop();
  });

  /** 300 concurrent app logins, user i on node i mod 3. */
  async function race(): Promise<{
    won: Array<{ token: string; sessionId: string }>;
    refused: number;
    other: Array<{ status: number; body: unknown }>;
  }> {
    const results = await Promise.all(
      users.map((u, i) =>
        http<LoginResult | ProblemBody>(`${cluster.nodes[i % NODES]!.url}/v1/auth/login`, 'POST', {
          email: u.email,
          password: PASSWORD,
          audience: 'app',
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200).map((r) => r.body as LoginResult);
    const refused = results.filter(
      (r) => r.status === 409 && (r.body as ProblemBody).code === 'seats_exhausted',
    ).length;
    return { won, refused, other: results.filter((r) => r.status !== 200 && r.status !== 409) };
  }

  async function seatHolders(): Promise<number> {
    const r = await sql.query<{ n: number }>(
      `select count(distinct user_id)::int as n from sessions where tenant_id = $1 and ended_at is null
      and last_seen_at > now() - (case audience when 'app' then 90 else 1800 end) * interval '1 second'`,
      [tenantId],
    );
    return r.rows[0]!.n;
  }

  it('S1/S2: 300 concurrent logins for 50 seats across 3 nodes: exactly 50 succeed, every round; logouts free the seats', async () => {
    for (let round = 0; round < 3; round++) {
      const { won, refused, other } = await race();
      expect(other).toEqual([]);
      expect(won).toHaveLength(SEATS);
      expect(refused).toBe(USERS - SEATS);
      expect(await seatHolders()).toBe(SEATS);
      // Everyone logs out (on a different node than they logged in on), freeing every seat (S3).
      const outs = await Promise.all(
        won.map((w, i) => http(`${cluster.nodes[(i + 1) % NODES]!.url}/v1/auth/logout`, 'POST', undefined, w.token)),
      );
      expect(outs.every((o) => o.status === 204)).toBe(true);
      expect(await seatHolders()).toBe(0);
    }
  }, 180_000);

  it('S3: lapsed app sessions are ended by the sweeper within 5 s of lapse, and their seats are taken again by a new race', async () => {
    const first = await race();
    expect(first.won).toHaveLength(SEATS);
    // Make every session of the tenant 90 s quiet: they lapse now (S3), without the test waiting for
    // time to pass; what is measured is how soon the sweepers (every 500 ms here) end them.
    await sql.query(
      `update sessions set last_seen_at = now() - interval '90 seconds' where tenant_id = $1 and ended_at is null`,
      [tenantId],
    );
    const lapseAt = Date.now();
    let ended = 0;
    // Polled: the sweepers run in other processes and announce nothing to this one.
    while (Date.now() < lapseAt + 10_000) {
      const r = await sql.query<{ n: number }>(
        `select count(*)::int as n from sessions where tenant_id = $1 and ended_reason = 'lapsed' and id = any($2)`,
        [tenantId, first.won.map((w) => w.sessionId)],
      );
      ended = r.rows[0]!.n;
      if (ended === SEATS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const delay = Date.now() - lapseAt;
    expect(ended).toBe(SEATS);
    expect(delay).toBeLessThan(5000);
    console.log(`lapse-to-free (sweeper ended all ${SEATS} lapsed sessions): ${Math.max(0, delay)} ms after lapse`);
    const second = await race();
    expect(second.other).toEqual([]);
    expect(second.won).toHaveLength(SEATS);
    expect(second.refused).toBe(USERS - SEATS);
    // A lapsed session stays dead: its heartbeat is refused.
    const hb = await http(`${cluster.nodes[0]!.url}/v1/auth/heartbeat`, 'POST', undefined, first.won[0]!.token);
    expect(hb.status).toBe(401);
  }, 180_000);
});

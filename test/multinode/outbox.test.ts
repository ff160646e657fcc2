import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, User } from '../../src/contract/index.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../support/server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { http, startCluster, type Cluster } from '../identity/cluster.js';

/**
 * W1 across nodes: two real server processes on one PostgreSQL share the outbox (FOR UPDATE SKIP
 * LOCKED claims under a lease). Deliveries are shared, every message arrives (at least once), and a
 * node killed while a delivery is in flight loses nothing: the other node takes the row when the
 * lease ends and delivers it, with the same webhook-id.
 */
const pgUp = await postgresReachable();
const USERS = 30;

describe.skipIf(!pgUp)('multi-node outbox (2 processes, one PostgreSQL)', () => {
  let a: Cluster;
  let b: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  const receiver = new WebhookReceiver();
  let hookUrl: string;
  const common = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '2000' };

  beforeAll(async () => {
    db = await createTestDatabase();
    hookUrl = await receiver.start();
    // Node A works its own commits at once; node B also polls often, so it takes A's rows when A is gone.
    a = await startCluster(db.url, 1, { ...common, OUTBOX_POLL_MS: '5000' }, 240_000);
    b = await startCluster(db.url, 1, { ...common, OUTBOX_POLL_MS: '200' }, 240_000);
  }, 600_000);

  afterAll(async () => {
    await receiver.stop();
    // A node killed by the test has exited already (its exit code stays null after a signal).
    if (a?.nodes[0]?.child.signalCode === null) await a.stop();
    await b?.stop();
    await db?.drop();
  }, 60_000);

  async function tenantWithHook(nodeUrl: string): Promise<{ t: string; secret: string }> {
    const t = await http<Tenant>(`${nodeUrl}/v1/tenants`, 'POST', { name: `Outbox ${Date.now()}` }, PROVIDER_TOKEN);
    const w = await http<{ secret: string }>(
      `${nodeUrl}/v1/tenants/${t.body.id}/webhooks`,
      'POST',
      { url: hookUrl, events: ['user.created'] },
      PROVIDER_TOKEN,
    );
    expect(w.status).toBe(201);
    return { t: t.body.id, secret: w.body.secret };
  }

  const doneOn = async (nodeUrl: string): Promise<number> => {
    const r = await fetch(`${nodeUrl}/metrics`, { headers: { authorization: `Bearer ${PROVIDER_TOKEN}` } });
    const m = /switchboard_webhook_attempts_total\{outcome="delivered"\} (\d+)/.exec(await r.text());
    return m ? Number(m[1]) : 0;
  };

  it('W1: both nodes deliver from the one outbox; every message arrives, signed, at least once', async () => {
    const { t, secret } = await tenantWithHook(a.nodes[0]!.url);
    const nodes = [a.nodes[0]!.url, b.nodes[0]!.url];
    // Both nodes write (one request at a time each), so both are woken by their own commits.
    const created = (
      await Promise.all(
        nodes.map(async (node, n) => {
          const out: Array<{ status: number; body: User }> = [];
          for (let i = n; i < USERS; i += 2)
            out.push(
              await http<User>(`${node}/v1/tenants/${t}/users`, 'POST', { displayName: `U${i}` }, PROVIDER_TOKEN),
            );
          return out;
        }),
      )
    ).flat();
    expect(created.map((r) => (r.status === 201 ? 201 : `${r.status} ${JSON.stringify(r.body)}`))).toEqual(
      created.map(() => 201),
    );
    const ids = new Set(created.map((r) => r.body.id));
    await receiver.inbox.waitFor(
      (items) => new Set(items.filter((r) => r.json.tenantId === t).map((r) => r.json.data.userId)).size === USERS,
      `${USERS} user.created`,
      60_000,
    );
    const got = receiver.inbox.items.filter((r) => r.json.tenantId === t);
    expect(new Set(got.map((r) => r.json.data.userId as string))).toEqual(ids);
    for (const r of got) WebhookReceiver.verify(r, secret);
    expect(await doneOn(nodes[0]!)).toBeGreaterThan(0);
    expect(await doneOn(nodes[1]!)).toBeGreaterThan(0);
  }, 120_000);

  it('W1: a node killed mid-delivery loses nothing: the other node delivers the message after the lease', async () => {
    const { t, secret } = await tenantWithHook(a.nodes[0]!.url);
    let hung = false;
    const previous = receiver.respond;
    receiver.respond = (r) => {
      if (r.json.tenantId !== t || hung) return previous(r);
      hung = true;
      return { status: 200, hang: true };
    };
    try {
      const u = await http<User>(
        `${a.nodes[0]!.url}/v1/tenants/${t}/users`,
        'POST',
        { displayName: 'Ada' },
        PROVIDER_TOKEN,
      );
      expect(u.status).toBe(201);
      // The first attempt is in flight (the receiver holds it): node A dies without finishing it.
      await receiver.inbox.waitFor((items) => items.some((r) => r.json.tenantId === t), 'the first attempt', 30_000);
      a.nodes[0]!.child.kill('SIGKILL');
      const [first, again] = await receiver.inbox
        .waitFor(
          (items) => items.filter((r) => r.json.tenantId === t).length >= 2,
          'the attempt after the crash',
          60_000,
        )
        .then((items) => items.filter((r) => r.json.tenantId === t));
      expect(again!.id).toBe(first!.id);
      expect(again!.json.data.userId).toBe(u.body.id);
      WebhookReceiver.verify(again!, secret);
    } finally {
      receiver.respond = previous;
    }
    // The surviving node's log shows the message delivered.
    const hooks = await http<{ items: Array<{ id: string }> }>(
      `${b.nodes[0]!.url}/v1/tenants/${t}/webhooks`,
      'GET',
      undefined,
      PROVIDER_TOKEN,
    );
    await expect
      .poll(
        async () =>
          (
            await http<{ items: Array<{ status: string }> }>(
              `${b.nodes[0]!.url}/v1/tenants/${t}/webhooks/${hooks.body.items[0]!.id}/deliveries`,
              'GET',
              undefined,
              PROVIDER_TOKEN,
            )
          ).body.items[0]?.status,
        { timeout: 20_000 },
      )
      .toBe('delivered');
  }, 120_000);
});

import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResult, Tenant } from '../../src/contract/index.js';
import { http, seedTenant, startCluster, type Cluster } from '../identity/cluster.js';
import { TestStream } from '../stream/support.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';

/**
 * The drain on SIGTERM, against a real server process: streams are closed with 1001 (the SDK's
 * reconnect hint), the node stops taking connections, a request in flight still finishes, and the
 * webhook attempt the outbox dispatcher holds is finished and recorded before the process exits 0.
 */
const pgUp = await postgresReachable();
const PASSWORD = 'drained without losing a thing';

/** A webhook receiver that holds each request until the test releases it. */
class HoldingReceiver {
  private readonly held: ServerResponse[] = [];
  private readonly arrived: Array<() => void> = [];
  private readonly server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.held.push(res);
      for (const wake of this.arrived.splice(0)) wake();
    });
  });
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  async waitForOne(): Promise<void> {
    if (this.held.length > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no webhook arrived')), EVENTUALLY_MS);
      this.arrived.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(200).end('ok');
  }
  close(): void {
    this.release();
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** Resolves with `what` unless `p` settles first; for asserting that something is still pending. */
const stillPending = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), ms))]);

describe.skipIf(!pgUp)('SIGTERM drain (a real server process on PostgreSQL)', () => {
  let cluster: Cluster;
  let db: { url: string; drop: () => Promise<void> };
  let locker: pg.Client;
  const receiver = new HoldingReceiver();

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startCluster(db.url, 1, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '100' });
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
  }, 180_000);

  afterAll(async () => {
    receiver.close();
    await locker?.end();
    await cluster?.stop();
    await db?.drop();
  });

  it('closes streams with 1001, stops accepting, finishes the request in flight and the held webhook attempt, exits 0', async () => {
    const node = cluster.nodes[0]!;
    const { tenantId, users } = await seedTenant(node.url, db.url, { seats: null, users: 1, password: PASSWORD });
    const hook = await http(
      `${node.url}/v1/tenants/${tenantId}/webhooks`,
      'POST',
      { url: await receiver.start(), events: ['user.created'] },
      PROVIDER_TOKEN,
    );
    expect(hook.status).toBe(201);
    const login = await http<LoginResult>(`${node.url}/v1/auth/login`, 'POST', {
      email: users[0]!.email,
      password: PASSWORD,
      audience: 'app',
    });
    expect(login.status).toBe(200);
    const stream = await TestStream.open(node.url, { token: login.body.token });
    expect((await stream.next(EVENTUALLY_MS)).type).toBe('config');

    // The outbox dispatcher holds a webhook attempt: the receiver has it and has not answered.
    expect(
      (await http(`${node.url}/v1/tenants/${tenantId}/users`, 'POST', { displayName: 'Hooked' }, PROVIDER_TOKEN))
        .status,
    ).toBe(201);
    await receiver.waitForOne();

    // A request in flight: a tenant change waiting on the tenant row, which the test holds locked.
    await locker.query('begin');
    await locker.query('select 1 from tenants where id = $1 for update', [tenantId]);
    const inFlight = http<Tenant>(`${node.url}/v1/tenants/${tenantId}`, 'PATCH', { name: 'Renamed' }, PROVIDER_TOKEN);
    const deadline = Date.now() + EVENTUALLY_MS;
    for (;;) {
      const waiting = await locker.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if ((waiting.rows[0] as { n: number }).n > 0) break;
      if (Date.now() > deadline) throw new Error('the request never reached the lock');
      await new Promise((r) => setTimeout(r, 50));
    }

    const exited = new Promise<number | null>((resolve) => node.child.once('exit', (code) => resolve(code)));
    node.child.kill('SIGTERM');

    // Streams first: 1001 "going away", the SDK's cue to reconnect to another node.
    const code = await Promise.race([
      stream.closed,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error('stream not closed')), EVENTUALLY_MS)),
    ]);
    expect(code).toBe(1001);

    // The node takes no new connection while the request in flight still runs.
    let refused = false;
    while (!refused && Date.now() < deadline + EVENTUALLY_MS) {
      try {
        await fetch(`${node.url}/healthz`, { headers: { connection: 'close' } });
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        refused = true;
      }
    }
    expect(refused).toBe(true);
    expect(await stillPending(inFlight, 200)).toBe('pending');

    // The lock goes: the request in flight finishes with its answer.
    await locker.query('commit');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.name).toBe('Renamed');

    // The process waits for the held webhook attempt, records it, and exits cleanly.
    expect(await stillPending(exited, 300)).toBe('pending');
    receiver.release();
    // Promptly: a kept-alive connection must not hold the listener open until its keep-alive timeout.
    const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(gone).toBe(0);
    const rows = await locker.query<{ outcome: string | null; lease_until: Date | null; attempts: number }>(
      "select outcome, lease_until, attempts from outbox where tenant_id = $1 and type = 'webhook'",
      [tenantId],
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) expect(r.outcome).toBe('delivered');
    const attempts = await locker.query<{ status_code: number }>(
      'select status_code from webhook_attempts where tenant_id = $1',
      [tenantId],
    );
    expect(attempts.rows.map((a) => a.status_code)).toEqual([200]);
  }, 120_000);
});

import { createServer, connect, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/app.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { loadConfig } from '../../src/infra/config.js';
import { scimTenant as makeScimTenant } from '../scim/support.js';
import {
  ADMIN_URL,
  createTestDatabase,
  PROVIDER_TOKEN,
  postgresReachable,
  type TestServer,
} from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';

/**
 * A loopback TCP proxy in front of the test PostgreSQL: `cut()` drops every connection and refuses
 * new ones (PostgreSQL down, as the node sees it) without touching the shared server; `restore()`
 * listens again on the same port.
 */
class CuttableProxy {
  private server: NetServer | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }
}

const pg = await postgresReachable();

describe.skipIf(!pg)('PostgreSQL outage: 503 database_unavailable with Retry-After, recovery without restart', () => {
  let server: Server;
  let proxy: CuttableProxy;
  let drop: () => Promise<void>;
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      ...(payload && { payload }),
    });

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const target = new URL(ADMIN_URL);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    await proxy.listen();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    server = await buildServer(
      loadConfig({
        DATABASE_URL: url.toString(),
        SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN,
        LOG_LEVEL: 'silent',
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
      }),
    );
  });
  afterAll(async () => {
    await proxy?.restore();
    await server?.close();
    await drop?.();
  });

  it('E1: answers 503 database_unavailable with Retry-After (SCIM and AuthZEN too) while PostgreSQL is unreachable, and serves again once it is back', async () => {
    expect((await call('GET', '/v1/tenants')).statusCode).toBe(200);
    const scimTenant = await makeScimTenant(server as TestServer);
    const tenant = (await call('POST', '/v1/tenants', { name: 'Before the outage' })).json<{ id: string }>();
    await proxy.cut();

    for (const res of [
      await call('GET', '/v1/tenants'),
      await call('POST', '/v1/tenants', { name: 'During the outage' }),
      await call('POST', `/v1/tenants/${tenant.id}/groups`, { name: 'During the outage' }),
    ]) {
      expect(res.statusCode).toBe(503);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

    // SCIM and AuthZEN answer in their own protocols' error forms, through the same outage mapping.
    const scimRes = await server.app.inject({
      method: 'GET',
      url: `${scimTenant.base}/Users`,
      headers: { authorization: `Bearer ${scimTenant.token}` },
    });
    expect(scimRes.statusCode).toBe(503);
    expect(scimRes.json()).toMatchObject({ status: '503', code: 'database_unavailable' });
    expect(Number(scimRes.headers['retry-after'])).toBeGreaterThan(0);
    const authzenRes = await server.app.inject({
      method: 'POST',
      url: '/access/v1/evaluation',
      headers: { authorization: `Bearer ${scimTenant.token}` },
      payload: {
        subject: { type: 'user', id: scimTenant.adminId },
        action: { name: 'users:view' },
        resource: { type: 'tenant', id: scimTenant.t },
      },
    });
    expect(authzenRes.statusCode, authzenRes.body).toBe(503);
    expect(Number(authzenRes.headers['retry-after'])).toBeGreaterThan(0);

    await proxy.restore();
    // The pool drops the dead connections and opens new ones on demand: no restart.
    const deadline = Date.now() + EVENTUALLY_MS;
    let status = 0;
    while (Date.now() < deadline && (status = (await call('GET', '/v1/tenants')).statusCode) !== 200)
      await new Promise((r) => setTimeout(r, 100));
    expect(status).toBe(200);
    const created = await call('POST', '/v1/tenants', { name: 'After the outage' });
    expect(created.statusCode).toBe(201);
  });
});

describe('what counts as the database being unavailable', () => {
  it('connection refusals, resets, pool timeouts, SQLSTATE class 08, shutdowns and statement timeouts; not bad SQL or input', () => {
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'every address refused'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ])
      expect(isDatabaseUnavailable(err), err.message).toBe(true);
    for (const err of [
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('invalid input syntax'), { code: '22P02' }),
      new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }),
      new Error('something else'),
    ])
      expect(isDatabaseUnavailable(err), err.message).toBe(false);
  });
});

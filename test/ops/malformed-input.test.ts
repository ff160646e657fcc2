import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { PROVIDER_TOKEN, startTestServer, type TestServer } from '../support/server.js';

/**
 * E1 at the edges: malformed input never reaches the database and never answers 500; every error the
 * server sends, its framework's own included, is problem+json with a `code`.
 */
describe('malformed input (E1)', () => {
  let server: TestServer;
  let base: string;
  let tenantId: string;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      payload: { name: 'Edges' },
    });
    tenantId = res.json<{ id: string }>().id;
  });
  afterAll(() => server.stop());

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status, code: expect.any(String) as string });
  };

  it('E1: a NUL character in a path, a query or a body is refused with 400, before any credential check', async () => {
    for (const req of [
      { method: 'POST' as const, url: '/v1/auth/password-reset', payload: { email: 'a\u0000@b.example' } },
      { method: 'GET' as const, url: '/v1/auth/oidc/issuers?tenant=%00' },
      { method: 'GET' as const, url: '/v1/auth/oidc/%00/start' },
      { method: 'GET' as const, url: '/v1/auth/oidc/callback?state=a%00b' },
    ]) {
      const res = await server.app.inject(req);
      expectProblem(res, 400);
      expect(res.json()).toMatchObject({ code: 'validation_failed' });
    }
    const res = await server.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenantId}/groups`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      payload: { name: 'Night\u0000shift' },
    });
    expectProblem(res, 400);
  });

  it('E1: a lone surrogate in a JSON body is refused with 400', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenantId}/groups`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'application/json' },
      payload: '{"name":"Night \\ud800 shift"}',
    });
    expectProblem(res, 400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field: '/name' });
  });

  it("E1: the framework's own refusals are problem+json: bad percent-encoding, a path segment over 100 characters (414 uri_too_long)", async () => {
    expectProblem(await server.app.inject({ method: 'GET', url: '/v1/tenants/%E0%A4%A' }), 400);
    const long = 'x'.repeat(300);
    const res = await server.app.inject({
      method: 'GET',
      url: `/v1/tenants/${long}`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    expect(res.statusCode).toBe(414);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 414, code: 'uri_too_long' });
    // Exactly 100 characters is still a path segment the router takes (a missing tenant: 404).
    const edge = await server.app.inject({
      method: 'GET',
      url: `/v1/tenants/${'x'.repeat(100)}`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    expect(edge.statusCode).not.toBe(414);
  });

  it('E1: headers over the limit (431) and malformed HTTP (400) answer problem+json', async () => {
    const { port } = new URL(base);
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        let out = '';
        socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
    const big = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431/);
    expect(big).toContain('application/problem+json');
    expect(big).toContain('"code":"headers_too_large"');
    const garbage = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    expect(garbage).toContain('application/problem+json');
  });
});

describe('configuration', () => {
  it('TRUST_PROXY=true, as the README documents it, trusts every proxy; numbers are hop counts; lists are addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('TRUST_PROXY=true starts a server that takes client addresses from X-Forwarded-For', async () => {
    const server = await startTestServer('pglite', { TRUST_PROXY: 'true' });
    try {
      const res = await server.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('refusals that used to be server errors (E1, E4)', () => {
  let server: TestServer;
  let tenantId: string;
  const asProvider = (method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      ...(payload && { payload }),
    });

  beforeAll(async () => {
    server = await startTestServer('pglite');
    tenantId = (await asProvider('POST', '/v1/tenants', { name: 'Refusals' })).json<{ id: string }>().id;
  });
  afterAll(() => server.stop());

  it('E4: the provider creating a group, workspace, queue or profile in a tenant that does not exist gets 404', async () => {
    for (const [collection, body] of [
      ['groups', { name: 'G' }],
      ['workspaces', { name: 'W' }],
      ['queues', { name: 'Q', kind: 'queue', wrapUpSeconds: 0 }],
      ['profiles', { name: 'P', grants: [] }],
    ] as const) {
      const res = await asProvider('POST', `/v1/tenants/tnt_missing/${collection}`, body);
      expect(res.statusCode, collection).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it('E1: audit date filters outside what can be stored, or a leap second, answer 400', async () => {
    for (const q of ['from=0000-01-01T00:00:00Z', 'to=2026-12-31T23:59:60Z', 'from=99999-01-01T00:00:00Z']) {
      const res = await asProvider('GET', `/v1/tenants/${tenantId}/audit?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed' });
    }
    expect((await asProvider('GET', `/v1/tenants/${tenantId}/audit?from=2026-01-01T00:00:00Z`)).statusCode).toBe(200);
  });

  it('E1: the audit export names its file safely whatever the tenant id looks like', async () => {
    const res = await asProvider('GET', `/v1/tenants/${encodeURIComponent('a"b\u00e9c')}/audit/export`);
    expect(res.statusCode).toBeLessThan(500);
    const ok = await asProvider('GET', `/v1/tenants/${tenantId}/audit/export`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-disposition']).toBe(`attachment; filename="audit-${tenantId}.ndjson"`);
  });
});

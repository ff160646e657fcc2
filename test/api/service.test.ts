import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { serverSuite } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/** Every path of the HTTP contract (API.md), as OpenAPI spells it. */
const CONTRACT: Array<[string, string]> = [
  ['post', '/v1/tenants'],
  ['get', '/v1/tenants'],
  ['get', '/v1/tenants/{t}'],
  ['patch', '/v1/tenants/{t}'],
  ['post', '/v1/tenants/{t}/platform-tokens'],
  ['get', '/v1/tenants/{t}/usage'],
  ['get', '/v1/tenants/{t}/users'],
  ['post', '/v1/tenants/{t}/users'],
  ['get', '/v1/tenants/{t}/users/{id}'],
  ['patch', '/v1/tenants/{t}/users/{id}'],
  ['delete', '/v1/tenants/{t}/users/{id}'],
  ['get', '/v1/tenants/{t}/users/{id}/access'],
  ['get', '/v1/tenants/{t}/users/{id}/config'],
  ['post', '/v1/tenants/{t}/check'],
  ['get', '/v1/tenants/{t}/groups'],
  ['post', '/v1/tenants/{t}/groups'],
  ['patch', '/v1/tenants/{t}/groups/{id}'],
  ['delete', '/v1/tenants/{t}/groups/{id}'],
  ['get', '/v1/tenants/{t}/workspaces'],
  ['get', '/v1/tenants/{t}/queues'],
  ['post', '/v1/tenants/{t}/queues'],
  ['get', '/v1/tenants/{t}/profiles'],
  ['get', '/v1/tenants/{t}/role-permissions'],
  ['put', '/v1/tenants/{t}/role-permissions'],
  ['put', '/v1/tenants/{t}/platform/snapshot'],
  ['get', '/v1/tenants/{t}/audit'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/logout'],
  ['get', '/v1/me'],
];

/** The part of the OpenAPI document this suite reads. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown> | undefined>;
}

describeEachDatabase('service basics', (kind) => {
  const { a, server } = serverSuite(kind);

  it('answers /healthz and /readyz (with the outbox lag, W1)', async () => {
    expect((await a.call<{ status: string }>('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await a.call<{ status: string; database: string; outbox: { lagSeconds: number; pending: number } }>(
      'GET',
      '/readyz',
    );
    expect(ready.body).toMatchObject({ status: 'ready', database: kind });
    expect(Object.keys(ready.body).sort()).toEqual(['database', 'outbox', 'status']);
    expect(ready.body.outbox.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(ready.body.outbox.pending).toBeGreaterThanOrEqual(0);
  });

  it('serves an OpenAPI 3.1 document covering the contract, and browsable docs', async () => {
    const doc = (await a.call<OpenApiDocument>('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const missing = CONTRACT.filter(([m, p]) => !doc.paths[p]?.[m]);
    expect(missing).toEqual([]);
    const docs = await server().app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('E1: errors are problem+json; unknown routes, missing and bad tokens too', async () => {
    const none = await a.call('GET', '/v1/tenants');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect((await a.call('GET', '/v1/tenants', { token: 'sbs_not-a-session' })).body.code).toBe('invalid_token');
    expect((await a.asProvider('GET', '/v1/nothing-here')).body.code).toBe('not_found');
    expect((await a.asProvider('GET', '/v1/tenants/tnt_unknown')).status).toBe(404);
  });

  it('E2: an oversize body is a 413, not a 500', async () => {
    const { id: t } = await a.tenant();
    const big = { displayName: 'x'.repeat(1024 * 1024 + 10) };
    const r = await a.asProvider('POST', `/v1/tenants/${t}/users`, big);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });
});

describe('configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({}).PORT).toBe(3000);
  });
});

describe('CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serve on a fresh embedded database prints the URL and a provider token once', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
        env: {
          ...process.env,
          SWITCHBOARD_DATA_DIR: dir,
          PORT: '0',
          LOG_LEVEL: 'silent',
          SWITCHBOARD_PROVIDER_TOKEN: '',
          DATABASE_URL: '',
        },
      });
      let text = '';
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`no start-up banner: ${text}`));
      }, 60_000);
      child.stdout.on('data', (d) => {
        text += String(d);
        if (text.includes('Provider token')) {
          clearTimeout(timer);
          child.kill('SIGTERM');
          resolve(text);
        }
      });
      child.on('error', reject);
    });
    expect(out).toMatch(/serving at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Provider token \(shown once; keep it safe\): sbp_\S{20,}/);
  });
});

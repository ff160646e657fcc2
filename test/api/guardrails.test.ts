import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

describeEachDatabase('provider and admin guardrails', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('E2: names made of whitespace alone are refused (users, groups, workspaces, tenants), naming the field', async () => {
    const { id: t } = await a.tenant();
    const blank = ' \t\u00a0 ';
    const refusals = [
      await a.asProvider('POST', `/v1/tenants/${t}/users`, { displayName: blank, email: uniqueEmail() }),
      await a.asProvider('POST', `/v1/tenants/${t}/groups`, { name: blank }),
      await a.asProvider('POST', `/v1/tenants/${t}/workspaces`, { name: '   ' }),
      await a.asProvider('POST', '/v1/tenants', { name: blank, plan: 'basic', homeRegion: 'PL' }),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation_failed' });
      expect((r.body).field).toMatch(/\/(displayName|name)$/);
    }
    const u = await a.user(t, { displayName: 'Ada' });
    const rename = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { displayName: '  ' });
    expect(rename.body).toMatchObject({ code: 'validation_failed', field: '/displayName' });
    // A name with spaces around words is a name.
    expect((await a.asProvider('POST', `/v1/tenants/${t}/groups`, { name: '  Night shift ' })).status).toBe(201);
  });

  it('F3: region codes without a numbering plan (AQ, UM) are refused like unknown ones', async () => {
    for (const homeRegion of ['AQ', 'UM', 'XX']) {
      const r = await a.asProvider('POST', '/v1/tenants', { name: `T ${homeRegion}`, plan: 'basic', homeRegion });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation_failed', field: '/homeRegion' });
    }
  });
});

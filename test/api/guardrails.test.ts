import { expect, it } from 'vitest';
import type { Tenant } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

describeEachDatabase('provider and admin guardrails', (kind) => {
  const a = apiSuite(kind);

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
      expect(r.body.field).toMatch(/\/(displayName|name)$/);
    }
    const u = await a.user(t, { displayName: 'Ada' });
    const rename = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { displayName: '  ' });
    expect(rename.body).toMatchObject({ code: 'validation_failed', field: '/displayName' });
    // A name with spaces around words is a name.
    expect((await a.asProvider('POST', `/v1/tenants/${t}/groups`, { name: '  Night shift ' })).status).toBe(201);
  });

  it('S5: lowering seats below the sessions in use is saved with a warning; a dry run says so and writes nothing', async () => {
    const { id: t, version } = await a.tenant({ seats: 5 });
    for (const n of [1, 2, 3]) {
      const u = await a.user(t, { email: uniqueEmail(`seat${n}`), permissions: ['website_access'] });
      await a.session(t, u.id, 'app');
    }
    const dry = await a.asProvider<Tenant & { warnings: unknown[] }>('PATCH', `/v1/tenants/${t}?dryRun=true`, {
      seats: 0,
    });
    expect(dry.status).toBe(200);
    const warning = { code: 'seats_below_use', rule: 'S5', field: '/seats', limit: 0, inUse: 3 };
    expect(dry.body).toMatchObject({ seats: 0, warnings: [warning] });
    expect(dry.body.warnings[0]).toMatchObject({ detail: expect.stringContaining('3 in use, 0 seats') as string });
    const unchanged = await a.asProvider<Tenant>('GET', `/v1/tenants/${t}`);
    expect(unchanged.body).toMatchObject({ seats: 5, version });

    const saved = await a.asProvider<Tenant & { warnings: unknown[] }>('PATCH', `/v1/tenants/${t}`, { seats: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ seats: 0, warnings: [warning] });
    // Raising it again, or a limit above use, has nothing to say.
    expect((await a.asProvider('PATCH', `/v1/tenants/${t}`, { seats: 3 })).body).toMatchObject({ warnings: [] });
  });

  it('S5: lowering a licence cap below the users holding it is saved with a warning naming the licence', async () => {
    const { id: t } = await a.tenant({ licencePools: { supervisor_report: 5 } });
    for (const n of [1, 2]) await a.user(t, { email: uniqueEmail(`sup${n}`), supervisorLevel: 'report' });
    const r = await a.asProvider<Tenant & { warnings: unknown[] }>('PATCH', `/v1/tenants/${t}`, {
      licencePools: { supervisor_report: 1, supervisor_analytics: 0 },
    });
    expect(r.status).toBe(200);
    expect(r.body.warnings).toEqual([
      expect.objectContaining({
        code: 'licence_pool_below_use',
        rule: 'S5',
        field: '/licencePools/supervisor_report',
        limit: 1,
        inUse: 2,
      }),
    ]);
    expect(r.body.licencePools).toMatchObject({ supervisor_report: 1 });
  });

  it('F3: region codes without a numbering plan (AQ, UM) are refused like unknown ones', async () => {
    for (const homeRegion of ['AQ', 'UM', 'XX']) {
      const r = await a.asProvider('POST', '/v1/tenants', { name: `T ${homeRegion}`, plan: 'basic', homeRegion });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation_failed', field: '/homeRegion' });
    }
  });
});

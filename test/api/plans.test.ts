/**
 * Plans (SPEC 7, issue 10 item 9): the built-in plans stay and are read-only; the provider defines
 * its own (calls-only, SMS-only, ...); a tenant reads its own plan only; a plan edit reaches every
 * tenant on it at once (the node's snapshot reloads, D2).
 */
import { expect, it } from 'vitest';
import type { DialCheckAnswer, Tenant, User } from '../../src/contract/index.js';
import { newId } from '../../src/infra/ids.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

interface Plan {
  key: string;
  name: string;
  features: string[];
  builtin: boolean;
  tenants?: number;
  version: number;
}

describeEachDatabase('plans', (kind) => {
  const a = apiSuite(kind);

  const planKey = (tag: string) => `${tag}-${newId('p').slice(-8).toLowerCase()}`;
  const createPlan = async (features: string[], tag = 'own') => {
    const r = await a.asProvider<Plan>('POST', '/v1/plans', { key: planKey(tag), name: `Plan ${tag}`, features });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  it('SPEC 7: the built-in plans are listed, read-only (plan_builtin), with how many tenants use them', async () => {
    await a.tenant({ plan: 'record' });
    const list = await a.asProvider<{ items: Plan[] }>('GET', '/v1/plans');
    expect(list.status).toBe(200);
    const builtins = list.body.items.filter((p) => p.builtin).map((p) => [p.key, p.features]);
    expect(builtins).toEqual([
      ['basic', ['calls', 'sms', 'crm_overlay']],
      ['reach', ['calls', 'sms', 'crm_overlay', 'dial_restriction']],
      ['record', ['calls', 'sms', 'crm_overlay', 'dial_restriction', 'recording']],
    ]);
    expect(list.body.items.find((p) => p.key === 'record')!.tenants).toBeGreaterThan(0);
    const edit = await a.asProvider('PATCH', '/v1/plans/basic', { features: ['calls'] });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'plan_builtin' });
  });

  it('SPEC 7, C8, E2: the provider defines a plan; duplicates, unknown features and other actors are refused', async () => {
    const sms = await createPlan(['sms'], 'sms-only');
    expect(sms).toMatchObject({ builtin: false, features: ['sms'], tenants: 0 });
    const dup = await a.asProvider('POST', '/v1/plans', { key: sms.key, name: 'Again', features: ['calls'] });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'conflict', field: '/key' });
    const bad = await a.asProvider('POST', '/v1/plans', { key: planKey('x'), name: 'X', features: ['fax'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
    const blankName = await a.asProvider('POST', '/v1/plans', { key: planKey('y'), name: '  ', features: [] });
    expect(blankName.body).toMatchObject({ code: 'validation_failed', field: '/name' });
    const badKey = await a.asProvider('POST', '/v1/plans', { key: 'Not A Key', name: 'Z', features: [] });
    expect(badKey.status).toBe(400);

    const { id: t } = await a.tenant();
    const admin = await a.user(t, { email: uniqueEmail('adm'), permissions: ['website_access', 'manage_users'] });
    const session = await a.session(t, admin.id);
    const byAdmin = await a.call('POST', '/v1/plans', {
      token: session,
      body: { key: planKey('z'), name: 'Z', features: [] },
    });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body).toMatchObject({ code: 'provider_only', rule: 'C8' });
    const patchByAdmin = await a.call('PATCH', `/v1/plans/${sms.key}`, { token: session, body: { name: 'Mine' } });
    expect(patchByAdmin.body).toMatchObject({ code: 'provider_only' });
    expect((await a.asProvider('PATCH', '/v1/plans/no-such-plan', { name: 'N' })).status).toBe(404);
    expect((await a.asProvider('POST', '/v1/tenants', { name: 'T', plan: 'no-such-plan' })).body).toMatchObject({
      code: 'validation_failed',
      field: '/plan',
    });
  });

  it('F1, E4: an SMS-only tenant cannot turn calls on; its users read their own plan and no other', async () => {
    const sms = await createPlan(['sms'], 'sms-only');
    const tenant = await a.tenant({ plan: sms.key });
    expect(tenant).toMatchObject({ plan: sms.key, planFeatures: ['sms'] });
    const u = await a.user(tenant.id, { email: uniqueEmail('u'), permissions: ['website_access'] });
    const calls = await a.asProvider('PATCH', `/v1/tenants/${tenant.id}/users/${u.id}`, {
      features: { channels: 'calls' },
    });
    expect(calls.body).toMatchObject({ code: 'plan_feature_missing', rule: 'F1' });
    const smsOnly = await a.asProvider<User>('PATCH', `/v1/tenants/${tenant.id}/users/${u.id}`, {
      features: { channels: 'sms' },
    });
    expect(smsOnly.status).toBe(200);

    const session = await a.session(tenant.id, u.id);
    const own = await a.call<{ items: Plan[] }>('GET', '/v1/plans', { token: session });
    expect(own.body.items.map((p) => p.key)).toEqual([sms.key]);
    expect(own.body.items[0]).not.toHaveProperty('tenants');
    expect((await a.call<Plan>('GET', `/v1/plans/${sms.key}`, { token: session })).body.features).toEqual(['sms']);
    expect((await a.call('GET', '/v1/plans/record', { token: session })).status).toBe(404);
  });

  it('D2, F3: a plan edit reaches every tenant on it at once: dial restrictions stop applying when the plan loses them', async () => {
    const plan = await createPlan(['calls', 'sms', 'dial_restriction'], 'dial');
    const tenants: Tenant[] = [
      await a.tenant({ plan: plan.key, homeRegion: 'PL' }),
      await a.tenant({ plan: plan.key, homeRegion: 'PL' }),
    ];
    const setups: Array<{ t: string; pbx: string; anna: string }> = [];
    for (const t of tenants) {
      const pbx = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t.id}/platform-tokens`, {})).body.token;
      const synced = await a.call('PUT', `/v1/tenants/${t.id}/platform/snapshot`, {
        token: pbx,
        body: {
          users: [
            {
              externalId: 'anna',
              displayName: 'Anna',
              email: 'anna@pbx.example',
              extension: '201',
              devices: [],
              acdQueues: [],
            },
          ],
          queues: [],
        },
      });
      expect(synced.status).toBe(200);
      const users = (await a.asProvider<{ items: User[] }>('GET', `/v1/tenants/${t.id}/users?source=platform`)).body
        .items;
      const anna = users[0]!.id;
      const r = await a.asProvider('PATCH', `/v1/tenants/${t.id}/users/${anna}`, {
        features: { dialRestriction: { enabled: true, allowedRegions: [] } },
      });
      expect(r.status).toBe(200);
      setups.push({ t: t.id, pbx, anna });
    }
    const dial = (s: (typeof setups)[number], minVersion?: number) =>
      a.call<DialCheckAnswer>('POST', `/v1/tenants/${s.t}/dial-check`, {
        token: s.pbx,
        body: { userId: s.anna, number: '+49 30 1234567', channel: 'call', ...(minVersion ? { minVersion } : {}) },
      });
    for (const s of setups) expect((await dial(s)).body).toMatchObject({ allowed: false, code: 'restricted' });

    const stale = await a.asProvider('PATCH', `/v1/plans/${plan.key}`, { features: ['calls'] }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const edited = await a.asProvider<Plan>('PATCH', `/v1/plans/${plan.key}`, {
      name: 'Calls and SMS',
      features: ['calls', 'sms'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Calls and SMS', features: ['calls', 'sms'], tenants: 2 });
    expect(edited.headers.etag).toBe(`"${edited.body.version}"`);
    for (const s of setups) {
      // Without the plan's dial_restriction the setting is kept but not applied (F3, G8).
      const after = await dial(s);
      expect(after.body).toMatchObject({ allowed: true, region: 'DE' });
      expect(after.body.version).toBeGreaterThan(0);
      const tenant = await a.asProvider<Tenant>('GET', `/v1/tenants/${s.t}`);
      expect(tenant.body.planFeatures).toEqual(['calls', 'sms']);
      expect(tenant.body.version).toBeLessThan(edited.body.version);
    }
    // And back: the restriction applies again, on every tenant of the plan.
    await a.asProvider('PATCH', `/v1/plans/${plan.key}`, { features: ['calls', 'sms', 'dial_restriction'] });
    for (const s of setups) expect((await dial(s)).body).toMatchObject({ allowed: false, code: 'restricted' });
  });
});

import { expect, it } from 'vitest';
import type { AccessAnswer, CheckAnswer, EffectiveConfig, Profile, Usage, User } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * Journey: a supervisor's reporting, sold by the supervisor level (G15). An owner builds a "Reporting"
 * profile with reports and dashboards and gives it to a supervisor at level none: the profile's other
 * module actions work, the billable content does not, and /access, /check, /config and usage all say so.
 * Raising the level to Report Supervisor, then Analytics Supervisor, unlocks the content step by step.
 */
/** `expect.stringContaining`, typed `unknown` for object patterns (vitest types it `any`). */
const containing = (text: string): unknown => expect.stringContaining(text);

describeEachDatabase('journey: supervisor content needs its level (G15)', (kind) => {
  const a = apiSuite(kind);

  /** A tenant with an owner: website access, Manage Users, Manage Billable Items and superuser. */
  async function tenantWithOwner() {
    const { id: t } = await a.tenant({ plan: 'record' });
    const owner = await a.user(t, {
      email: uniqueEmail('owner'),
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
      profile: { kind: 'superuser' },
    });
    return { t, owner, token: await a.session(t, owner.id) };
  }

  it('G15: a profile with reports and dashboards gives nothing billable without the level; report, then analytics, unlock them', async () => {
    const { t, token } = await tenantWithOwner();
    const as = <T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
      a.call<T>(method, url, { token, ...(body !== undefined ? { body } : {}) });

    // The owner (a superuser at level none) bundles billable content it cannot see itself (C3 leaves it to G15).
    const created = await as<Profile>('POST', `/v1/tenants/${t}/profiles`, {
      name: 'Reporting',
      grants: ['reports:view', 'dashboards:view', 'wallboards:view', 'users:view'],
    });
    expect(created.status).toBe(201);
    const reporting = created.body;

    const made = await as<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Sam Supervisor',
      email: uniqueEmail('sam'),
      profile: { kind: 'profile', profileId: reporting.id },
    });
    expect(made.status).toBe(201);
    const sam = made.body;
    expect(sam.supervisorLevel).toBe('none');
    expect(sam.permissions).toContain('website_access'); // A2: the profile brought website access

    const access = async () => (await as<AccessAnswer>('GET', `/v1/tenants/${t}/users/${sam.id}/access`)).body;
    const usage = async () => (await as<Usage>('GET', `/v1/tenants/${t}/usage`)).body.licences;
    const config = async () => (await as<EffectiveConfig>('GET', `/v1/tenants/${t}/users/${sam.id}/config`)).body;

    // Level none: the profile's module action works, its billable content is explained away by G15.
    let x = await access();
    expect(x.capabilities['users:view']).toMatchObject({ allowed: true, grantedBy: [`profile:${reporting.id}`] });
    expect(x.capabilities['reports:view']).toEqual({
      allowed: false,
      grantedBy: [`profile:${reporting.id}`],
      blockedBy: [{ rule: 'G15', code: 'supervisor_level_required', detail: containing('needs Report Supervisor') }],
    });
    expect(x.capabilities['dashboards:view']!.blockedBy[0]).toMatchObject({
      rule: 'G15',
      detail: containing('needs Analytics Supervisor'),
    });
    const checked = await as<CheckAnswer>('POST', `/v1/tenants/${t}/check`, {
      checks: [
        { userId: sam.id, capability: 'reports:view' },
        { userId: sam.id, capability: 'wallboards:view' },
      ],
    });
    expect(checked.body.results.map((r) => [r.allowed, r.blockedBy[0]?.rule])).toEqual([
      [false, 'G15'],
      [false, 'G15'],
    ]);
    let cfg = await config();
    expect(cfg.capabilities).not.toContain('reports:view');
    expect(cfg.supervisor).toMatchObject({ level: 'none', reports: false, dashboards: false, wallboards: false });
    let licences = await usage();
    expect(licences.supervisor_report?.assigned ?? 0).toBe(0);
    expect(licences.supervisor_analytics?.assigned ?? 0).toBe(0);

    // Report Supervisor: reports open (the level and the profile both grant them); dashboards still wait.
    expect((await as<User>('PATCH', `/v1/tenants/${t}/users/${sam.id}`, { supervisorLevel: 'report' })).status).toBe(
      200,
    );
    x = await access();
    expect(x.capabilities['reports:view']).toMatchObject({
      allowed: true,
      grantedBy: ['supervisor_level:report', `profile:${reporting.id}`],
      blockedBy: [],
    });
    expect(x.capabilities['dashboards:view']).toMatchObject({
      allowed: false,
      blockedBy: [{ rule: 'G15', code: 'supervisor_level_required' }],
    });
    licences = await usage();
    expect(licences.supervisor_report?.assigned).toBe(1);

    // Analytics Supervisor: dashboards and wallboards too; usage moves to the analytics licence.
    expect((await as<User>('PATCH', `/v1/tenants/${t}/users/${sam.id}`, { supervisorLevel: 'analytics' })).status).toBe(
      200,
    );
    x = await access();
    for (const cap of ['reports:view', 'dashboards:view', 'wallboards:view'])
      expect(x.capabilities[cap], cap).toMatchObject({ allowed: true, blockedBy: [] });
    expect(x.capabilities['dashboards:live_calls']!.blockedBy[0]).toMatchObject({
      rule: 'G15',
      detail: containing('needs Live Analytics Supervisor'),
    });
    cfg = await config();
    expect(cfg.supervisor).toMatchObject({ level: 'analytics', reports: true, dashboards: true, wallboards: true });
    licences = await usage();
    expect(licences.supervisor_report?.assigned ?? 0).toBe(0);
    expect(licences.supervisor_analytics?.assigned).toBe(1);
  });

  it('A2, G1: website access taken from a supervisor stays away; the level is kept, blocked by G1, until it returns', async () => {
    const { t, token } = await tenantWithOwner();
    const as = <T>(method: 'GET' | 'PATCH' | 'POST', url: string, body?: unknown) =>
      a.call<T>(method, url, { token, ...(body !== undefined ? { body } : {}) });
    // A2 gives website access with the level (the trigger is given in this change).
    const made = await as<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Rita Reports',
      email: uniqueEmail('rita'),
      supervisorLevel: 'analytics',
    });
    expect(made.status).toBe(201);
    expect(made.body.permissions).toEqual(['website_access']);
    const url = `/v1/tenants/${t}/users/${made.body.id}`;

    // Taking it away is not silently undone, neither by this save nor by a later one.
    const taken = await as<User>('PATCH', url, { permissions: [] });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ permissions: [], supervisorLevel: 'analytics' });
    const later = await as<User>('PATCH', url, { displayName: 'Rita R.' });
    expect(later.body).toMatchObject({ permissions: [], supervisorLevel: 'analytics' });

    // The level is kept (and still counted), its content blocked by G1 with the reason in /access.
    const x = (await as<AccessAnswer>('GET', `${url}/access`)).body;
    expect(x.capabilities['dashboards:view']).toEqual({
      allowed: false,
      grantedBy: ['supervisor_level:analytics'],
      blockedBy: [{ rule: 'G1', code: 'website_access_required', detail: containing('website access') }],
    });
    expect((await as<Usage>('GET', `/v1/tenants/${t}/usage`)).body.licences.supervisor_analytics?.assigned).toBe(1);

    // Raising the level further is no A2 trigger (it was not raised from none); website access returns when given.
    expect((await as<User>('PATCH', url, { supervisorLevel: 'live' })).body.permissions).toEqual([]);
    const back = await as<User>('PATCH', url, { permissions: ['website_access'] });
    expect(back.body.permissions).toEqual(['website_access']);
    const y = (await as<AccessAnswer>('GET', `${url}/access`)).body;
    expect(y.capabilities['dashboards:live_calls']).toMatchObject({ allowed: true, blockedBy: [] });
  });

  it('G15: a superuser at level none has every module action but no billable content', async () => {
    const { t, owner, token } = await tenantWithOwner();
    const x = (await a.call<AccessAnswer>('GET', `/v1/tenants/${t}/users/${owner.id}/access`, { token })).body;
    expect(x.capabilities['users:edit']).toMatchObject({ allowed: true });
    expect(x.capabilities['webhooks:delete']).toMatchObject({ allowed: true, grantedBy: ['profile:superuser'] });
    for (const cap of ['reports:view', 'dashboards:view', 'wallboards:view', 'dashboards:live_calls', 'cc_data:view']) {
      expect(x.capabilities[cap], cap).toMatchObject({
        allowed: false,
        grantedBy: ['profile:superuser'],
        blockedBy: [{ rule: 'G15', code: 'supervisor_level_required' }],
      });
    }
  });
});

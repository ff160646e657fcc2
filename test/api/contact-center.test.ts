import { expect, it } from 'vitest';
import type {
  CheckAnswer,
  CheckBody,
  EffectiveConfig,
  Profile,
  Queue,
  RolePermissions,
  Tenant,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { apiSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const snapUser = (n: number, acdQueues: string[] = []) => ({
  externalId: `ext-${n}`,
  displayName: `Agent ${n}`,
  email: `a${n}.${Math.random().toString(36).slice(2)}@pbx.example`,
  extension: `${200 + n}`,
  devices: [],
  acdQueues,
});
const queues = [
  { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
  { externalId: 'q-help', name: 'Help', kind: 'queue', wrapUpSeconds: 0 },
];

type Decision = CheckAnswer['results'][number];
/** GET and PUT /role-permissions answer the role permissions with the tenant version (the ETag). */
type RolePermissionsAnswer = RolePermissions & { version: number };

describeEachDatabase('contact center API', (kind) => {
  const a = apiSuite(kind);

  /** A tenant with two platform queues and three platform users (agents with the Agent licence). */
  async function setup() {
    const { id: t } = await a.tenant({ policies: { agentAddOn: 'auto' } });
    await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [snapUser(1, ['q-sales']), snapUser(2, ['q-help']), snapUser(3)],
      queues,
    });
    const qs = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items;
    const byExt = (e: string) => users.find((u) => u.externalId === e)!;
    return {
      t,
      sales: qs.find((q) => q.name === 'Sales')!.id,
      help: qs.find((q) => q.name === 'Help')!.id,
      u1: byExt('ext-1'),
      u2: byExt('ext-2'),
      u3: byExt('ext-3'),
    };
  }
  /** POST /check; one decision per check, in order. */
  async function check<C extends CheckBody['checks']>(
    t: string,
    checks: [...C],
  ): Promise<{ [K in keyof C]: Decision }> {
    const r = await a.asProvider<CheckAnswer>('POST', `/v1/tenants/${t}/check`, { checks });
    expect(r.body.results).toHaveLength(checks.length);
    return r.body.results as { [K in keyof C]: Decision };
  }

  it('G7, G12: agents join their assigned queues; dispositions only where wrap-up is configured', async () => {
    const { t, sales, help, u1, u2 } = await setup();
    await a.asProvider('PUT', `/v1/tenants/${t}/role-permissions`, {
      organisation: { agentsMayJoinUnassignedQueues: false },
      supervisor: {
        configPortal: false,
        restrictToAssignedQueues: true,
        viewQueueSettings: true,
        manageQueueSettings: false,
        viewPauseReasons: false,
        managePauseReasons: false,
        viewSkills: false,
        manageSkills: false,
      },
      agent: {
        managePrerecordedMessages: false,
        manageCannedMessages: false,
        createCustomTags: false,
        callDispositions: true,
      },
    });
    const [join, joinOther, dispo, dispoNoWrap] = await check(t, [
      { userId: u1.id, capability: 'queue:join', resource: `queue:${sales}` },
      { userId: u1.id, capability: 'queue:join', resource: `queue:${help}` },
      { userId: u1.id, capability: 'queue:disposition', resource: `queue:${sales}` },
      { userId: u2.id, capability: 'queue:disposition', resource: `queue:${help}` },
    ]);
    expect(join).toMatchObject({ allowed: true, grantedBy: [`role:agent@${sales}`] });
    expect(joinOther).toMatchObject({ allowed: false });
    expect(joinOther.blockedBy[0]).toMatchObject({ rule: 'G12' });
    expect(dispo.allowed).toBe(true);
    expect(dispoNoWrap.allowed).toBe(false);
    expect(dispoNoWrap.blockedBy.map((b) => b.rule)).toContain('G7');
  });

  it('G12: with agentsMayJoinUnassignedQueues on, Agent holders join any queue; the change reaches /config', async () => {
    const { t, help, u1 } = await setup();
    const rp = (await a.asProvider<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`)).body;
    const { version: _v, ...body } = rp;
    body.organisation.agentsMayJoinUnassignedQueues = true;
    expect((await a.asProvider('PUT', `/v1/tenants/${t}/role-permissions`, body)).status).toBe(200);
    const [r] = await check(t, [{ userId: u1.id, capability: 'queue:join', resource: `queue:${help}` }]);
    expect(r).toMatchObject({ allowed: true, grantedBy: ['setting:organisation.agentsMayJoinUnassignedQueues'] });
    const cfg = (await a.asProvider<EffectiveConfig>('GET', `/v1/tenants/${t}/users/${u1.id}/config`)).body;
    expect(cfg.queues.map((q) => q.name).sort()).toEqual(['Help', 'Sales']);
  });

  it('G11: supervisors act on their queues only, unless restrictToAssignedQueues is off', async () => {
    const { t, sales, help, u3 } = await setup();
    const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u3.id}`, {
      contactCenter: { queues: { [sales]: ['supervisor'] } },
    });
    expect(r.status).toBe(200);
    const [own, other] = await check(t, [
      { userId: u3.id, capability: 'queue:monitor', resource: `queue:${sales}` },
      { userId: u3.id, capability: 'queue:monitor', resource: `queue:${help}` },
    ]);
    expect(own.allowed).toBe(true);
    expect(other).toMatchObject({ allowed: false });
    expect(other.blockedBy[0]?.rule).toBe('G11');
    const { version: _v, ...rp } = (
      await a.asProvider<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`)
    ).body;
    rp.supervisor.restrictToAssignedQueues = false;
    await a.asProvider('PUT', `/v1/tenants/${t}/role-permissions`, rp);
    const [otherNow] = await check(t, [{ userId: u3.id, capability: 'queue:monitor', resource: `queue:${help}` }]);
    expect(otherNow).toMatchObject({
      allowed: true,
      grantedBy: ['role_permission:supervisor.restrictToAssignedQueues=off'],
    });
  });

  it('G14: queue roles are for platform users; the agent role needs the Agent licence', async () => {
    const { t, sales, u3 } = await setup();
    const manual = await a.user(t, { email: uniqueEmail() });
    const r1 = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${manual.id}`, {
      contactCenter: { queues: { [sales]: ['supervisor'] } },
    });
    expect(r1.body).toMatchObject({ code: 'platform_user_required', rule: 'G14' });
    const r2 = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u3.id}`, {
      contactCenter: { queues: { [sales]: ['agent'] } },
    });
    expect(r2.body).toMatchObject({ code: 'agent_licence_required', rule: 'G14' });
  });

  it('C7: role permissions and queues need cc:admin; viewQueueSettings cannot be turned off', async () => {
    const { t } = await setup();
    const admin = await a.user(t, { email: uniqueEmail(), permissions: ['website_access', 'manage_users'] });
    const token = await a.session(t, admin.id);
    expect((await a.call('GET', `/v1/tenants/${t}/role-permissions`, { token })).body).toMatchObject({
      code: 'forbidden',
      rule: 'C7',
    });
    expect((await a.call('POST', `/v1/tenants/${t}/queues`, { token, body: { name: 'New' } })).body).toMatchObject({
      code: 'forbidden',
      rule: 'C7',
    });
    const { version: _v, ...rp } = (
      await a.asProvider<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`)
    ).body;
    rp.supervisor.viewQueueSettings = false;
    const locked = await a.asProvider('PUT', `/v1/tenants/${t}/role-permissions`, rp);
    expect(locked.status).toBe(422);
    expect(locked.body).toMatchObject({ code: 'locked_setting', field: '/supervisor/viewQueueSettings' });
    // A Contact Admin (cc:admin) manages queues.
    const cc = await a.user(t, { email: uniqueEmail(), contactCenter: { admin: true } });
    expect(cc.permissions).toContain('website_access');
    const ccToken = await a.session(t, cc.id);
    const q = await a.call<Queue>('POST', `/v1/tenants/${t}/queues`, {
      token: ccToken,
      body: { name: 'Escalations', wrapUpSeconds: 10 },
    });
    expect(q.status).toBe(201);
    expect(
      (
        await a.call<Queue>('PATCH', `/v1/tenants/${t}/queues/${q.body.id}`, {
          token: ccToken,
          body: { wrapUpSeconds: 0 },
        })
      ).body.wrapUpSeconds,
    ).toBe(0);
    expect((await a.call('DELETE', `/v1/tenants/${t}/queues/${q.body.id}`, { token: ccToken })).status).toBe(204);
  });

  it('profiles: a profile grants its module actions; editing it changes every holder at once', async () => {
    const { id: t } = await a.tenant();
    const p = await a.asProvider<Profile>('POST', `/v1/tenants/${t}/profiles`, {
      name: 'Campaign manager',
      grants: ['campaigns:view', 'campaigns:edit'],
    });
    expect(p.status).toBe(201);
    const u = await a.user(t, { email: uniqueEmail(), profile: { kind: 'profile', profileId: p.body.id } });
    expect(u.permissions).toContain('website_access');
    const [edit, del] = await check(t, [
      { userId: u.id, capability: 'campaigns:edit' },
      { userId: u.id, capability: 'campaigns:delete' },
    ]);
    expect(edit).toMatchObject({ allowed: true, grantedBy: [`profile:${p.body.id}`] });
    expect(del.allowed).toBe(false);
    await a.asProvider('PATCH', `/v1/tenants/${t}/profiles/${p.body.id}`, {
      grants: ['campaigns:view', 'campaigns:edit', 'campaigns:delete'],
    });
    const [delNow] = await check(t, [{ userId: u.id, capability: 'campaigns:delete' }]);
    expect(delNow.allowed).toBe(true);
    expect((await a.asProvider<Profile>('GET', `/v1/tenants/${t}/profiles/${p.body.id}`)).body.holders).toBe(1);
  });

  it('profiles: deleting one in use is refused with the holder count, unless holders move', async () => {
    const { id: t } = await a.tenant();
    const p = (
      await a.asProvider<Profile>('POST', `/v1/tenants/${t}/profiles`, { name: 'A', grants: ['reports:view'] })
    ).body;
    const q = (await a.asProvider<Profile>('POST', `/v1/tenants/${t}/profiles`, { name: 'B', grants: ['groups:view'] }))
      .body;
    const u = await a.user(t, { email: uniqueEmail(), profile: { kind: 'profile', profileId: p.id } });
    const refused = await a.asProvider('DELETE', `/v1/tenants/${t}/profiles/${p.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'profile_in_use', holders: 1 });
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}/profiles/${p.id}?moveTo=${q.id}`)).status).toBe(204);
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${u.id}`)).body.profile).toEqual({
      kind: 'profile',
      profileId: q.id,
    });
  });

  it('C3: nobody bundles or hands out a profile beyond what they hold; only a superuser grants superuser', async () => {
    const { id: t } = await a.tenant();
    const editor = await a.user(t, {
      email: uniqueEmail(),
      profile: { kind: 'custom', grants: ['profiles:view', 'profiles:edit', 'users:view', 'users:edit'] },
    });
    const token = await a.session(t, editor.id);
    const over = await a.call('POST', `/v1/tenants/${t}/profiles`, {
      token,
      body: { name: 'Too much', grants: ['webhooks:create'] },
    });
    expect(over.body).toMatchObject({ code: 'escalation_refused', rule: 'C3' });
    const ok = await a.call('POST', `/v1/tenants/${t}/profiles`, {
      token,
      body: { name: 'Viewer', grants: ['users:view'] },
    });
    expect(ok.status).toBe(201);
    const other = await a.user(t, { email: uniqueEmail() });
    const custom = await a.call('PATCH', `/v1/tenants/${t}/users/${other.id}`, {
      token,
      body: { profile: { kind: 'custom', grants: ['settings:edit'] } },
    });
    expect(custom.body).toMatchObject({ code: 'escalation_refused', rule: 'C3' });
    const su = await a.call('PATCH', `/v1/tenants/${t}/users/${other.id}`, {
      token,
      body: { profile: { kind: 'superuser' } },
    });
    expect(su.body).toMatchObject({ code: 'escalation_refused', rule: 'C3' });
    // The provider may grant superuser, which holds every module's actions.
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${other.id}`, { profile: { kind: 'superuser' } });
    const [w] = await check(t, [{ userId: other.id, capability: 'webhooks:delete' }]);
    expect(w).toMatchObject({ allowed: true, grantedBy: ['profile:superuser'] });
  });
});

describeEachDatabase('organisation setting', (kind) => {
  const a = apiSuite(kind);

  it('C7: the organisation setting changes through the tenant only for Contact Admins', async () => {
    const { id: t } = await a.tenant();
    const settingsAdmin = await a.user(t, {
      email: uniqueEmail(),
      permissions: ['website_access', 'customer_settings'],
    });
    const token = await a.session(t, settingsAdmin.id);
    const r = await a.call('PATCH', `/v1/tenants/${t}`, {
      token,
      body: { settings: { agentsMayJoinUnassignedQueues: true } },
    });
    expect(r.body).toMatchObject({ code: 'forbidden', rule: 'C7' });
    const cc = await a.user(t, {
      email: uniqueEmail(),
      permissions: ['website_access', 'customer_settings'],
      contactCenter: { admin: true },
    });
    const ok = await a.call<Tenant>('PATCH', `/v1/tenants/${t}`, {
      token: await a.session(t, cc.id),
      body: { settings: { agentsMayJoinUnassignedQueues: true } },
    });
    expect(ok.body.settings).toEqual({ agentsMayJoinUnassignedQueues: true });
    expect(
      (await a.asProvider<RolePermissionsAnswer>('GET', `/v1/tenants/${t}/role-permissions`)).body.organisation
        .agentsMayJoinUnassignedQueues,
    ).toBe(true);
  });
});

import { expect, it, vi } from 'vitest';
import type { LoginResult, Tenant, User } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';

/**
 * Journey: the provider onboards a tenant the way the README says, through HTTP only: creates the
 * tenant, a platform token for its phone system and the first administrator without a password
 * (who is invited at once, I3, and chooses one); the phone system syncs its users, one of whom also
 * works in another organisation with the same address (G2: no conflict, and at sign-in she chooses);
 * then the provider lowers the seats below what is in use and is told what follows (S5); defines a
 * plan of its own and moves the tenant to it (SPEC 7); suspends the tenant (its admin and its phone
 * system are refused, data kept), resumes it, and finally deletes it.
 */
const tokenIn = (text: string) => /code: (sbi_[A-Za-z0-9_-]+)/.exec(text)?.[1];
const CHOSEN = 'a long passphrase of my own';

describeEachDatabase('journey: a provider onboards a tenant', (kind) => {
  const a = apiSuite(kind);

  const inbox = (to: string, count: number) =>
    vi.waitFor(
      async () => {
        const r = await a.asProvider<Page<{ subject: string; text: string }>>(
          'GET',
          `/v1/dev/mailbox?to=${encodeURIComponent(to)}`,
        );
        expect(r.body.items.length).toBe(count);
        return r.body.items;
      },
      { timeout: EVENTUALLY_MS, interval: 20 },
    );
  const login = <T = LoginResult>(email: string, password: string, audience: 'portal' | 'app', tenantId?: string) =>
    a.call<T>('POST', '/v1/auth/login', { body: { email, password, audience, ...(tenantId ? { tenantId } : {}) } });

  it('I3, G2, S5, F1: tenant, platform token, invited first admin, sync with a shared address, seats lowered with a warning, own plan, suspension, deletion', async () => {
    // 1. The tenant and the phone system's token.
    const created = await a.asProvider<Tenant>('POST', '/v1/tenants', {
      name: 'Acme Onboarding',
      plan: 'record',
      homeRegion: 'PL',
      seats: 10,
    });
    expect(created.status).toBe(201);
    const t = created.body.id;
    const pbx = await a.asProvider<{ id: string; token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {});
    expect(pbx.status).toBe(201);

    // 2. The first admin, without a password: invited at once; she chooses a password and signs in.
    const adminEmail = uniqueEmail('first-admin');
    const admin = await a.asProvider<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Ada Admin',
      email: adminEmail,
      permissions: ['website_access', 'manage_users', 'manage_billable_items', 'customer_settings'],
      profile: { kind: 'superuser' },
      contactCenter: { admin: true },
    });
    expect(admin.status).toBe(201);
    const [invitation] = await inbox(adminEmail, 1);
    expect(invitation!.subject).toMatch(/invited/);
    const accepted = await a.call('POST', '/v1/auth/invitations/accept', {
      body: { token: tokenIn(invitation!.text), password: CHOSEN },
    });
    expect(accepted.status).toBe(204);
    expect(
      (await a.asProvider<{ status: string }>('GET', `/v1/tenants/${t}/users/${admin.body.id}/invitation`)).body,
    ).toMatchObject({ status: 'accepted' });
    const adminSession = await login(adminEmail, CHOSEN, 'portal');
    expect(adminSession.status).toBe(200);

    // 3. The phone system syncs; Olga's address already has website access in another organisation.
    const elsewhere = await a.tenant({ name: 'Globex Elsewhere' });
    const olgaEmail = uniqueEmail('olga');
    await a.user(elsewhere.id, { email: olgaEmail, permissions: ['website_access'], password: CHOSEN });
    const sync = await a.call<{ created: number; conflicts: unknown[] }>('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token: pbx.body.token,
      body: {
        users: [
          {
            externalId: 'ext-olga',
            displayName: 'Olga Nowak',
            email: olgaEmail,
            extension: '201',
            devices: [],
            acdQueues: [],
          },
          {
            externalId: 'ext-jan',
            displayName: 'Jan Kowal',
            email: uniqueEmail('jan'),
            extension: '202',
            devices: [],
            acdQueues: [],
          },
        ],
        queues: [],
      },
    });
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ created: 2, conflicts: [] });
    // The admin gives Olga website access and a password: the same address, a second organisation (G2).
    const users = await a.call<Page<User>>('GET', `/v1/tenants/${t}/users?q=Olga`, { token: adminSession.body.token });
    const olga = users.body.items[0]!;
    const granted = await a.call<User>('PATCH', `/v1/tenants/${t}/users/${olga.id}`, {
      token: adminSession.body.token,
      body: { permissions: ['website_access'], password: CHOSEN },
    });
    expect(granted.status).toBe(200);
    const choose = await login<{ code: string; organisations: unknown[] }>(olgaEmail, CHOSEN, 'portal');
    expect(choose.body).toMatchObject({ code: 'organisation_choice_required' });
    expect(choose.body.organisations).toHaveLength(2);
    const olgaIn = await login(olgaEmail, CHOSEN, 'portal', t);
    expect(olgaIn.body).toMatchObject({ tenantId: t, userId: olga.id });

    // 4. Two people are signed in; the provider lowers the seats to one and is told what follows.
    const lowered = await a.asProvider<Tenant & { warnings: unknown[] }>('PATCH', `/v1/tenants/${t}`, { seats: 1 });
    expect(lowered.status).toBe(200);
    expect(lowered.body.warnings).toEqual([
      expect.objectContaining({ code: 'seats_below_use', rule: 'S5', limit: 1, inUse: 2 }),
    ]);
    // Nobody is signed out (S5); a new sign-in waits.
    expect((await a.call('GET', '/v1/me', { token: adminSession.body.token })).status).toBe(200);
    const jan = await a.call<Page<User>>('GET', `/v1/tenants/${t}/users?q=Jan`, { token: adminSession.body.token });
    await a.call('PATCH', `/v1/tenants/${t}/users/${jan.body.items[0]!.id}`, {
      token: adminSession.body.token,
      body: { password: CHOSEN },
    });
    const refused = await login(jan.body.items[0]!.email!, CHOSEN, 'app');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'seats_exhausted', rule: 'S2' });

    // 5. The provider defines its own plan (calls only, with dial restrictions) and moves the tenant to it.
    const planKey = `calls-${t.slice(-8).toLowerCase()}`;
    const plan = await a.asProvider<{ key: string; features: string[] }>('POST', '/v1/plans', {
      key: planKey,
      name: 'Calls only',
      features: ['calls', 'dial_restriction'],
    });
    expect(plan.status).toBe(201);
    const moved = await a.asProvider<Tenant>('PATCH', `/v1/tenants/${t}`, { plan: planKey });
    expect(moved.body).toMatchObject({ plan: planKey, planFeatures: ['calls', 'dial_restriction'] });
    // F1: SMS is not in the plan; the admin reads the tenant's own plan.
    const sms = await a.call('PATCH', `/v1/tenants/${t}/users/${olga.id}`, {
      token: adminSession.body.token,
      body: { features: { channels: 'sms' } },
    });
    expect(sms.body).toMatchObject({ code: 'plan_feature_missing', rule: 'F1' });
    const own = await a.call<Page<{ key: string }>>('GET', '/v1/plans', { token: adminSession.body.token });
    expect(own.body.items.map((x) => x.key)).toEqual([planKey]);

    // 6. The tenant stops paying: suspended, its admin is signed out and refused, the phone system too; data kept.
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}`)).body).toMatchObject({ code: 'tenant_not_suspended' });
    const suspended = await a.asProvider<Tenant>('POST', `/v1/tenants/${t}/suspend`);
    expect(suspended.body).toMatchObject({ status: 'suspended' });
    expect((await a.call('GET', '/v1/me', { token: adminSession.body.token })).status).toBe(401);
    expect((await login(adminEmail, CHOSEN, 'portal')).body).toMatchObject({ code: 'tenant_suspended' });
    const pbxRefused = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot?dryRun=true`, {
      token: pbx.body.token,
      body: { users: [], queues: [] },
    });
    expect(pbxRefused.body).toMatchObject({ code: 'tenant_suspended' });
    expect((await a.asProvider<Page<User>>('GET', `/v1/tenants/${t}/users`)).body.items.length).toBeGreaterThan(0);
    // Olga's other organisation is not touched: she still signs in there (choosing it, G2), not here.
    expect((await login(olgaEmail, CHOSEN, 'portal', elsewhere.id)).body).toMatchObject({ tenantId: elsewhere.id });
    expect((await login(olgaEmail, CHOSEN, 'portal', t)).body).toMatchObject({ code: 'tenant_suspended' });

    // 7. It pays again: resumed, the admin signs in; it leaves for good: suspended, then deleted with its data.
    await a.asProvider('POST', `/v1/tenants/${t}/resume`);
    expect((await login(adminEmail, CHOSEN, 'portal')).status).toBe(200);
    await a.asProvider('POST', `/v1/tenants/${t}/suspend`);
    const deleted = await a.asProvider<{ deleted: Record<string, number> }>('DELETE', `/v1/tenants/${t}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted.users).toBeGreaterThan(0);
    expect((await a.asProvider('GET', `/v1/tenants/${t}`)).status).toBe(404);
    expect((await login(adminEmail, CHOSEN, 'portal')).body).toMatchObject({ code: 'invalid_credentials' });
  });
});

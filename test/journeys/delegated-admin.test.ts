import { expect, it } from 'vitest';
import type { AccessAnswer, User } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * Journey: an owner hands day-to-day user administration to a delegate who holds Manage Users only.
 * The delegate manages ordinary users, but cannot act on the owner, who holds more (Manage Billable
 * Items, superuser): no demotion, no suspension, no deletion (C9). Nor can the delegate take away
 * what it could not give, even from a user whose powers are dormant (G1).
 */
describeEachDatabase('journey: a Manage-Users-only delegate (C9)', (kind) => {
  const a = apiSuite(kind);

  async function setup() {
    const { id: t } = await a.tenant({ plan: 'record' });
    const owner = await a.user(t, {
      displayName: 'Olivia Owner',
      email: uniqueEmail('owner'),
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
      profile: { kind: 'superuser' },
    });
    const ownerToken = await a.session(t, owner.id);
    const made = await a.call<User>('POST', `/v1/tenants/${t}/users`, {
      token: ownerToken,
      body: { displayName: 'Dan Delegate', email: uniqueEmail('dan'), permissions: ['website_access', 'manage_users'] },
    });
    expect(made.status).toBe(201);
    const delegate = made.body;
    return { t, owner, ownerToken, delegate, token: await a.session(t, delegate.id) };
  }

  it('C9: the delegate cannot demote the owner, strip billing or superuser, suspend or delete them', async () => {
    const { t, owner, token } = await setup();
    const url = `/v1/tenants/${t}/users/${owner.id}`;
    for (const body of [
      { permissions: ['website_access', 'manage_users'] }, // strip Manage Billable Items
      { permissions: ['website_access', 'manage_billable_items'] }, // demote: no Manage Users
      { profile: { kind: 'none' } }, // strip superuser
      { status: 'suspended' },
      { displayName: 'Renamed by the delegate' },
    ]) {
      const r = await a.call('PATCH', url, { token, body });
      expect(r.status, JSON.stringify(body)).toBe(403);
      expect(r.body, JSON.stringify(body)).toMatchObject({ code: 'superior_user', rule: 'C9' });
      expect(r.body.detail).toContain('billing:edit');
    }
    const del = await a.call('DELETE', url, { token });
    expect(del.status).toBe(403);
    expect(del.body).toMatchObject({ code: 'superior_user', rule: 'C9' });

    // The owner is untouched.
    const after = (await a.asProvider<User>('GET', url)).body;
    expect(after).toMatchObject({
      status: 'active',
      displayName: 'Olivia Owner',
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
      profile: { kind: 'superuser' },
    });
    const access = (await a.asProvider<AccessAnswer>('GET', `${url}/access`)).body;
    expect(access.capabilities['billing:edit']).toMatchObject({ allowed: true });
  });

  it('C9: the delegate still edits, suspends, reactivates and deletes ordinary users', async () => {
    const { t, token } = await setup();
    const made = await a.call<User>('POST', `/v1/tenants/${t}/users`, {
      token,
      body: { displayName: 'Uma User', email: uniqueEmail('uma'), permissions: ['website_access'] },
    });
    expect(made.status).toBe(201);
    const url = `/v1/tenants/${t}/users/${made.body.id}`;
    for (const body of [
      { displayName: 'Uma Renamed' },
      { permissions: ['website_access', 'manage_users'] },
      { status: 'suspended' },
      { status: 'active' },
      { permissions: ['website_access'] },
    ]) {
      const r = await a.call<User>('PATCH', url, { token, body });
      expect(r.status, JSON.stringify(body)).toBe(200);
    }
    expect((await a.call('DELETE', url, { token })).status).toBe(204);
  });

  it('C9: takes away only what it could give, also what G1 holds dormant; the owner can', async () => {
    const { t, ownerToken, token } = await setup();
    // The owner gives Manage Billable Items, then takes website access away: the permission stays, blocked (G1).
    const made = await a.call<User>('POST', `/v1/tenants/${t}/users`, {
      token: ownerToken,
      body: {
        displayName: 'Bea Billing',
        email: uniqueEmail('bea'),
        permissions: ['website_access', 'manage_billable_items'],
      },
    });
    expect(made.status).toBe(201);
    const url = `/v1/tenants/${t}/users/${made.body.id}`;
    const dormant = await a.call<User>('PATCH', url, {
      token: ownerToken,
      body: { permissions: ['manage_billable_items'] },
    });
    expect(dormant.status).toBe(200);

    // Bea is no superior now (nothing of hers works), but her Manage Billable Items is not the delegate's to take.
    const strip = await a.call('PATCH', url, { token, body: { permissions: [] } });
    expect(strip.status).toBe(403);
    expect(strip.body).toMatchObject({ code: 'removal_refused', rule: 'C9', field: '/permissions' });
    expect(strip.body.detail).toContain('billing:edit');
    const del = await a.call('DELETE', url, { token });
    expect(del.body).toMatchObject({ code: 'removal_refused', rule: 'C9' });
    // Other changes of hers are the delegate's to make.
    expect((await a.call<User>('PATCH', url, { token, body: { displayName: 'Bea B.' } })).status).toBe(200);
    // The owner, who could give it, may take it away.
    expect((await a.call<User>('PATCH', url, { token: ownerToken, body: { permissions: [] } })).status).toBe(200);
  });
});

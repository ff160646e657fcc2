import { expect, it } from 'vitest';
import type { AuditPage, Session, User } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * Lists a person reads name users, beside their ids: the audit list (AU1) the acting and the target
 * users, the sessions list (S1) each session's user, as they are now.
 */
describeEachDatabase('audit and sessions lists: names, not ids', (kind) => {
  const a = apiSuite(kind);

  it('AU1: a user actor and a user target carry their display name, else their email; the provider has none', async () => {
    const { id: t } = await a.tenant();
    const admin = await a.user(t, {
      displayName: 'Ada Admin',
      email: uniqueEmail('ada'),
      permissions: ['website_access', 'manage_users'],
    });
    const token = await a.session(t, admin.id);
    const email = uniqueEmail('nameless');
    const made = await a.call<User>('POST', `/v1/tenants/${t}/users`, {
      token,
      body: { displayName: 'Tom Target', email, permissions: ['website_access'] },
    });
    expect(made.status).toBe(201);
    const list = await a.call<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${made.body.id}`, { token });
    expect(list.status).toBe(200);
    const created = list.body.items.find((e) => e.action === 'user.create')!;
    expect(created).toMatchObject({ actorId: admin.id, actorName: 'Ada Admin', targetName: 'Tom Target' });

    // Renamed later: the list shows the name the user has now.
    expect(
      (await a.call('PATCH', `/v1/tenants/${t}/users/${made.body.id}`, { token, body: { displayName: 'Tom Renamed' } }))
        .status,
    ).toBe(200);
    const again = await a.call<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${made.body.id}`, { token });
    expect(again.body.items.every((e) => e.targetName === 'Tom Renamed')).toBe(true);

    // The provider's own entries name no user.
    const byProvider = await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${admin.id}`);
    const providerCreate = byProvider.body.items.find((e) => e.action === 'user.create')!;
    expect(providerCreate.actorType).toBe('provider');
    expect(providerCreate.actorName).toBeUndefined();
    expect(providerCreate.targetName).toBe('Ada Admin');
  });

  it("S1: the sessions list names each session's user (display name and email)", async () => {
    const { id: t } = await a.tenant();
    const email = uniqueEmail('sam');
    const sam = await a.user(t, { displayName: 'Sam Seated', email, permissions: ['website_access'] });
    await a.session(t, sam.id);
    const list = await a.asProvider<{ items: Session[] }>('GET', `/v1/tenants/${t}/sessions`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ userId: sam.id, displayName: 'Sam Seated', email })]);
  });
});

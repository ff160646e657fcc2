import { expect, it } from 'vitest';
import type { AuditPage, Queue, SnapshotResult, Usage, User, UserPage } from '../../src/contract/index.js';
import { serverSuite, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const device = (n: number, kind: 'sip' | 'webrtc' = 'sip') => ({
  externalId: `dev-${n}`,
  name: `Desk ${n}`,
  kind,
  sip: { username: `u${n}`, password: `secret-${n}`, realm: 'pbx.example' },
});
const snapUser = (n: number, extra: Record<string, unknown> = {}) => ({
  externalId: `ext-${n}`,
  displayName: `Platform ${n}`,
  email: `p${n}@pbx.example`,
  extension: `${100 + n}`,
  devices: [device(n)],
  acdQueues: [],
  ...extra,
});
const queues = [
  { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
  { externalId: 'q-help', name: 'Help', kind: 'inbox', wrapUpSeconds: 0 },
];

describeEachDatabase('platform sync API', (kind) => {
  const { a, server } = serverSuite(kind);
  const put = (t: string, body: unknown, dryRun = false) =>
    a.asProvider<SnapshotResult>('PUT', `/v1/tenants/${t}/platform/snapshot${dryRun ? '?dryRun=true' : ''}`, body);

  it('P1: a dry run returns the diff and writes nothing', async () => {
    const { id: t } = await a.tenant();
    const r = await put(t, { users: [snapUser(1), snapUser(2)], queues }, true);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      dryRun: true,
      created: 2,
      updated: 0,
      removed: 0,
      unchanged: 0,
      queues: { created: 2 },
    });
    expect(r.body.changes.map((c) => c.action)).toEqual(['create', 'create']);
    expect((await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items).toHaveLength(0);
    expect((await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items).toHaveLength(0);
  });

  it('P1, A1: sync creates platform users with Essential, devices with encrypted SIP secrets, and is idempotent', async () => {
    const { id: t } = await a.tenant();
    const first = await put(t, { users: [snapUser(1), snapUser(2)], queues });
    expect(first.body).toMatchObject({ created: 2, updated: 0, removed: 0, unchanged: 0 });
    const again = await put(t, { users: [snapUser(1), snapUser(2)], queues });
    expect(again.body).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: 2, queues: { unchanged: 2 } });
    const list = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`);
    const u = list.body.items.find((x) => x.externalId === 'ext-1')!;
    expect(u).toMatchObject({
      source: 'platform',
      licences: ['essential'],
      extension: '101',
      devices: [{ externalId: 'dev-1', kind: 'sip' }],
    });
    expect(JSON.stringify(u)).not.toContain('secret-1');
    const stored = await server()
      .deps.db.selectFrom('devices')
      .select('sip_secret')
      .where('external_id', '=', 'dev-1')
      .executeTakeFirstOrThrow();
    expect(stored.sip_secret).not.toContain('secret-1');
    // A1: the Essential control is locked on platform users.
    const locked = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { licences: [] });
    expect(locked.body).toMatchObject({ code: 'read_only_field', rule: 'A1' });
    // C5: extension and devices change only through sync.
    const c5 = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { extension: '999' });
    expect(c5.body).toMatchObject({ code: 'read_only_field', rule: 'C5', field: '/extension' });
    // A platform user is not deleted through the API.
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}/users/${u.id}`)).body).toMatchObject({
      code: 'platform_user',
    });
  });

  it('P1: changes update, and users missing from the snapshot are removed (history kept, licences and sessions lost)', async () => {
    const { id: t } = await a.tenant();
    await put(t, { users: [snapUser(1), snapUser(2)], queues });
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items;
    const two = users.find((x) => x.externalId === 'ext-2')!;
    const session = await a.session(t, two.id, 'app');
    const r = await put(t, {
      users: [snapUser(1, { displayName: 'Renamed', devices: [device(1, 'webrtc')] })],
      queues,
    });
    expect(r.body).toMatchObject({ created: 0, updated: 1, removed: 1, unchanged: 0 });
    expect(r.body.changes.find((c) => c.action === 'update')?.fields.sort()).toEqual(['devices', 'displayName']);
    const removed = await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${two.id}`);
    expect(removed.body).toMatchObject({ status: 'removed', licences: [] });
    expect((await a.call('GET', `/v1/tenants/${t}/users/${two.id}/config`, { token: session })).status).toBe(401);
    const audit = await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?target=${two.id}`);
    expect(audit.body.items.map((e) => e.action)).toEqual(['user.sync.remove', 'user.sync.create']);
    // Coming back reactivates the user with Essential again.
    const back = await put(t, {
      users: [snapUser(1, { displayName: 'Renamed', devices: [device(1, 'webrtc')] }), snapUser(2)],
      queues,
    });
    expect(back.body).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${two.id}`)).body).toMatchObject({
      status: 'active',
      licences: ['essential'],
    });
  });

  it('A3: under the automatic policy sync gives and takes Agent by ACD membership; admins cannot change it', async () => {
    const { id: t } = await a.tenant({ policies: { agentAddOn: 'auto' } });
    await put(t, { users: [snapUser(1, { acdQueues: ['q-sales'] }), snapUser(2)], queues });
    const list = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items;
    const one = list.find((x) => x.externalId === 'ext-1')!;
    const two = list.find((x) => x.externalId === 'ext-2')!;
    expect(one.licences.sort()).toEqual(['agent', 'essential']);
    expect(Object.values(one.contactCenter.queues)).toEqual([['agent']]);
    expect(two.licences).toEqual(['essential']);
    const byHand = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${two.id}`, {
      licences: ['essential', 'agent'],
    });
    expect(byHand.body).toMatchObject({ code: 'locked_by_policy', rule: 'A3' });
    await put(t, { users: [snapUser(1), snapUser(2)], queues });
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${one.id}`)).body).toMatchObject({
      licences: ['essential'],
      contactCenter: { queues: {} },
    });
  });

  it('A3, C6: the automatic policy stops at the agent pool cap and says so', async () => {
    const { id: t } = await a.tenant({ policies: { agentAddOn: 'auto' }, licencePools: { agent: 1 } });
    const r = await put(t, {
      users: [snapUser(1, { acdQueues: ['q-sales'] }), snapUser(2, { acdQueues: ['q-sales'] })],
      queues,
    });
    expect(r.body.warnings.join(' ')).toContain('agent pool is used up');
    expect((await a.asProvider<Usage>('GET', `/v1/tenants/${t}/usage`)).body.licences.agent).toEqual({
      assigned: 1,
      cap: 1,
      withData: 0, // B1: nobody produced agent data yet
    });
  });

  it('I6, E4: a tenant user cannot sync; another tenant is not found', async () => {
    const { id: t } = await a.tenant(),
      { id: other } = await a.tenant();
    const u = await a.user(t, { email: `admin-${t}@x.test`, permissions: ['website_access', 'manage_users'] });
    const token = await a.session(t, u.id);
    expect(
      (await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, { token, body: { users: [], queues: [] } })).body,
    ).toMatchObject({ code: 'forbidden', rule: 'I6' });
    expect(
      (await a.call('PUT', `/v1/tenants/${other}/platform/snapshot`, { token, body: { users: [], queues: [] } }))
        .status,
    ).toBe(404);
  });
});

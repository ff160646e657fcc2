/**
 * Journey: the phone system and the portal edit the same users, each owning its fields (P4), and
 * one bad row never fails a sync (P1). Every step goes through the HTTP API.
 */
import { expect, it } from 'vitest';
import type { AuditPage, Queue, SnapshotResult, User, UserPage } from '../../src/contract/index.js';
import { apiSuite, uniqueEmail, type Page } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const device = (n: number) => ({
  externalId: `dev-${n}`,
  name: `Desk ${n}`,
  kind: 'sip' as const,
  sip: { username: `u${n}`, password: `secret-${n}`, realm: 'pbx.example' },
});
const queues = [
  { externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 },
  { externalId: 'q-help', name: 'Help', kind: 'inbox', wrapUpSeconds: 0 },
];
const ada = (extra: Record<string, unknown> = {}) => ({
  externalId: 'ext-ada',
  displayName: 'Ada Lovelace',
  email: 'ada@pbx.example',
  extension: '101',
  devices: [device(1)],
  acdQueues: ['q-sales'],
  ...extra,
});
const bob = (extra: Record<string, unknown> = {}) => ({
  externalId: 'ext-bob',
  displayName: 'Bob Babbage',
  email: 'bob@pbx.example',
  extension: '102',
  devices: [device(2)],
  acdQueues: [],
  ...extra,
});

/** What the user answer adds for platform users (P4): the phone system's values and the ACD membership. */
type PlatformUser = User & {
  phoneSystem: { displayName: string; email: string | null; overrides: string[] } | null;
  acdQueueIds: string[];
};
type SyncAnswer = SnapshotResult & {
  conflicts: Array<{ externalId: string; field: string; code: string; rule: string; detail: string }>;
};

describeEachDatabase('journey: phone system sync and portal edits', (kind) => {
  const a = apiSuite(kind);

  const sync = (t: string, users: unknown[], dryRun = false) =>
    a.asProvider<SyncAnswer>('PUT', `/v1/tenants/${t}/platform/snapshot${dryRun ? '?dryRun=true' : ''}`, {
      users,
      queues,
    });
  const user = async (t: string, id: string) =>
    (await a.asProvider<PlatformUser>('GET', `/v1/tenants/${t}/users/${id}`)).body;
  const byExternalId = async (t: string, externalId: string) =>
    (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items.find(
      (u) => u.externalId === externalId,
    )!;
  const auditOf = async (t: string, target?: string) =>
    (await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?limit=500${target ? `&target=${target}` : ''}`)).body
      .items;

  it('P1, P4: portal edits survive the next sync, which changes nothing; a phone rename is recorded; reset restores it', async () => {
    const { id: t } = await a.tenant({ policies: { agentAddOn: 'auto' } });
    const first = await sync(t, [ada(), bob()]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, conflicts: [] });
    const qs = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    const sales = qs.find((q) => q.name === 'Sales')!.id;
    const help = qs.find((q) => q.name === 'Help')!.id;
    const { id: adaId } = await byExternalId(t, 'ext-ada');
    expect(await user(t, adaId)).toMatchObject({
      displayName: 'Ada Lovelace',
      licences: ['agent', 'essential'],
      contactCenter: { queues: { [sales]: ['agent'] } },
      acdQueueIds: [sales],
      phoneSystem: { displayName: 'Ada Lovelace', email: 'ada@pbx.example', overrides: [] },
    });

    // An admin renames Ada and gives her a manual Agent role on Help (the portal owns queue roles).
    const edit = await a.asProvider<PlatformUser>('PATCH', `/v1/tenants/${t}/users/${adaId}`, {
      displayName: 'Ada L. (Sales lead)',
      contactCenter: { queues: { [sales]: ['agent'], [help]: ['agent'] } },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({
      displayName: 'Ada L. (Sales lead)',
      phoneSystem: { displayName: 'Ada Lovelace', overrides: ['displayName'] },
    });
    // What the phone system owns, the portal may not change (P4): ACD membership, its queues' settings.
    const acd = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${adaId}`, { acdQueueIds: [] });
    expect(acd.status).toBe(422);
    expect(acd.body).toMatchObject({ code: 'read_only_field', rule: 'P4', field: '/acdQueueIds' });
    const wrapUp = await a.asProvider('PATCH', `/v1/tenants/${t}/queues/${sales}`, { wrapUpSeconds: 0 });
    expect(wrapUp.status).toBe(422);
    expect(wrapUp.body).toMatchObject({ code: 'read_only_field', rule: 'P4', field: '/wrapUpSeconds' });
    const edited = await user(t, adaId);

    // The next identical sync: the dry run says nothing changes, the sync changes nothing, the audit has no entry.
    const auditBefore = await auditOf(t);
    const dry = await sync(t, [ada(), bob()], true);
    expect(dry.body).toMatchObject({
      created: 0,
      updated: 0,
      removed: 0,
      unchanged: 2,
      changes: [],
      conflicts: [],
      queues: { created: 0, updated: 0, removed: 0, unchanged: 2 },
    });
    const same = await sync(t, [ada(), bob()]);
    expect(same.body).toMatchObject({ updated: 0, unchanged: 2, changes: [], conflicts: [] });
    expect(await auditOf(t)).toHaveLength(auditBefore.length);
    expect(await user(t, adaId)).toEqual(edited);
    expect((await a.asProvider<Queue>('GET', `/v1/tenants/${t}/queues/${sales}`)).body.wrapUpSeconds).toBe(30);

    // The phone system renames Ada: the portal's name stays, the phone system's is recorded beside it.
    const renamed = await sync(t, [ada({ displayName: 'Ada King' }), bob()]);
    expect(renamed.body).toMatchObject({ updated: 1, unchanged: 1 });
    expect(renamed.body.changes).toEqual([
      { externalId: 'ext-ada', userId: adaId, action: 'update', fields: ['phoneSystem.displayName'] },
    ]);
    expect(await user(t, adaId)).toMatchObject({
      displayName: 'Ada L. (Sales lead)',
      phoneSystem: { displayName: 'Ada King', overrides: ['displayName'] },
      contactCenter: { queues: { [sales]: ['agent'], [help]: ['agent'] } },
    });
    const [entry] = await auditOf(t, adaId);
    expect(entry).toMatchObject({
      action: 'user.sync.update',
      before: { 'phoneSystem.displayName': 'Ada Lovelace' },
      after: { 'phoneSystem.displayName': 'Ada King' },
    });

    // The portal resets the name to the phone system's.
    const reset = await a.asProvider<PlatformUser>('POST', `/v1/tenants/${t}/users/${adaId}/reset-field`, {
      field: 'displayName',
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      displayName: 'Ada King',
      phoneSystem: { displayName: 'Ada King', overrides: [] },
    });
    // From now on the phone system's renames show again.
    await sync(t, [ada({ displayName: 'Ada Byron' }), bob()]);
    expect((await user(t, adaId)).displayName).toBe('Ada Byron');
    // A manual user has nothing to reset to.
    const manual = await a.user(t, { email: uniqueEmail() });
    const noPhone = await a.asProvider('POST', `/v1/tenants/${t}/users/${manual.id}/reset-field`, {
      field: 'displayName',
    });
    expect(noPhone.status).toBe(422);
    expect(noPhone.body).toMatchObject({ code: 'platform_user_required', rule: 'P4' });
  });

  it('P1, G2: a duplicate email is one conflict and an internationalised email is accepted; everything else applies', async () => {
    const { id: t } = await a.tenant();
    const boss = await a.user(t, { email: 'boss@acme.example', permissions: ['website_access', 'manage_users'] });
    expect((await sync(t, [ada(), bob()])).status).toBe(200);
    const { id: bobId } = await byExternalId(t, 'ext-bob');
    // Bob signs in to the portal with his phone system email.
    const web = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${bobId}`, { permissions: ['website_access'] });
    expect(web.status).toBe(200);

    // The phone system gives Bob the boss's address, adds Sławek, and renames Ada.
    const next = [
      ada({ displayName: 'Ada King' }),
      bob({ email: 'Boss@acme.example' }),
      {
        externalId: 'ext-slawek',
        displayName: 'Sławek Wróbel',
        email: 'sławek@example.pl',
        extension: '103',
        devices: [device(3)],
        acdQueues: [],
      },
    ];
    const dry = await sync(t, next, true);
    expect(dry.status).toBe(200);
    const expected = {
      created: 1,
      updated: 2,
      conflicts: [
        {
          externalId: 'ext-bob',
          field: 'email',
          code: 'email_not_unique',
          rule: 'G2',
          detail: expect.any(String) as string,
        },
      ],
    };
    expect(dry.body).toMatchObject(expected);
    const applied = await sync(t, next);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject(expected);

    // Everything else applied in the same sync; Bob keeps the address he signs in with.
    expect((await byExternalId(t, 'ext-ada')).displayName).toBe('Ada King');
    expect(await byExternalId(t, 'ext-slawek')).toMatchObject({ email: 'sławek@example.pl', extension: '103' });
    expect(await user(t, bobId)).toMatchObject({
      email: 'bob@pbx.example',
      phoneSystem: { email: 'Boss@acme.example' },
    });
    expect((await user(t, boss.id)).email).toBe('boss@acme.example');

    // The users API accepts internationalised addresses too (RFC 6531: UTF-8 local part, IDN domain).
    const zoe = await a.asProvider<User>('POST', `/v1/tenants/${t}/users`, {
      displayName: 'Zoë',
      email: 'zoë@bücher.example',
    });
    expect(zoe.status).toBe(201);
    expect(zoe.body.email).toBe('zoë@bücher.example');
    expect((await a.asProvider('POST', `/v1/tenants/${t}/users`, { displayName: 'X', email: 'no at' })).status).toBe(
      400,
    );
  });

  it('P1: duplicate external ids, extensions and devices in one snapshot are conflicts, never a 500', async () => {
    const { id: t } = await a.tenant();
    expect((await sync(t, [ada(), bob()])).status).toBe(200);
    const r = await sync(t, [
      ada(),
      bob({ extension: '101', devices: [device(1), device(2)] }),
      bob({ displayName: 'Bob again' }),
      { ...bob(), externalId: 'ext-carol', displayName: 'Carol', email: 'carol@pbx.example', extension: '104' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.conflicts.map((c) => [c.externalId, c.field, c.code])).toEqual([
      ['ext-bob', 'extension', 'extension_not_unique'],
      ['ext-bob', 'devices', 'device_not_unique'],
      ['ext-bob', 'externalId', 'duplicate_external_id'],
      ['ext-carol', 'devices', 'device_not_unique'],
    ]);
    expect(r.body).toMatchObject({ created: 1, updated: 0, unchanged: 2 });
    const carol = await byExternalId(t, 'ext-carol');
    expect(carol).toMatchObject({ displayName: 'Carol', extension: '104', devices: [] });
    expect((await byExternalId(t, 'ext-bob')).extension).toBe('102');
  });
});

/**
 * Call data (issue 14): ingestion stores by the licence held at the time of the call or event (G4),
 * attributed to the primary group then (A4); retention by tenant. Every step goes through HTTP.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { IngestResult, Named, User, UserPage } from '../../src/contract/index.js';
import { CallDataService } from '../../src/modules/call-data/call-data.service.js';
import type { StoredCall } from '../../src/modules/call-data/reports.schemas.js';
import { serverSuite } from '../support/api.js';
import { describeEachDatabase } from '../support/server.js';

const person = (externalId: string, n: number) => ({
  externalId,
  displayName: `Person ${externalId}`,
  email: `${externalId}@pbx.example`,
  extension: String(200 + n),
  devices: [],
  acdQueues: ['q-sales'],
});
const queues = [{ externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 }];

let seq = 0;
/** A call record stamped `at` (default: now) from one user to another. */
export const callRecord = (from: string | null, to: string | null, extra: Record<string, unknown> = {}) => {
  const started = new Date((extra.at as number | undefined) ?? Date.now());
  delete extra.at;
  return {
    id: `cdr-${++seq}-${started.getTime()}`,
    conversationId: `conv-${seq}`,
    startedAt: started.toISOString(),
    answeredAt: new Date(started.getTime() + 5000).toISOString(),
    endedAt: new Date(started.getTime() + 65000).toISOString(),
    direction: 'internal',
    from: { number: '201', name: 'From', user: from },
    to: { number: '202', name: 'To', user: to },
    disposition: 'answered',
    queue: null,
    waitSeconds: 5,
    talkSeconds: 60,
    ...extra,
  };
};

describeEachDatabase('call data: ingestion by licence', (kind) => {
  const { a, server } = serverSuite(kind);

  /** A tenant with a platform token and two phone-system users, ada and bob (both with Essential). */
  async function tenantWithPhoneSystem() {
    const { id: t } = await a.tenant();
    const token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, { name: 'PBX' }))
      .body.token;
    /** Platform sync of these phone-system users: the others are removed and lose their licences (P1, A1). */
    const sync = async (...who: string[]) => {
      const r = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
        token,
        body: { users: who.map((w, i) => person(w, i)), queues },
      });
      expect(r.status).toBe(200);
    };
    await sync('ada', 'bob');
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    const id = (ext: string) => users.find((u) => u.externalId === ext)!.id;
    const ingest = (what: 'call-records' | 'agent-events', records: unknown[]) =>
      a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/${what}`, { token, body: { records } });
    const patch = (userId: string, body: unknown) =>
      a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${userId}`, body);
    return { t, token, ada: id('ada'), bob: id('bob'), ingest, patch, sync };
  }

  const participantsOf = async (t: string) =>
    (
      await server()
        .deps.db.selectFrom('call_participants' as never)
        .select(['call_id', 'user_id', 'group_id', 'role'] as never)
        .where('tenant_id' as never, '=', t as never)
        .execute()
    ).map((r) => r as { call_id: string; user_id: string; group_id: string | null; role: string });

  it('CD1, G4: a call between a licensed and an unlicensed user is modelled for the licensed side only', async () => {
    const { t, ada, bob, ingest, sync } = await tenantWithPhoneSystem();
    // Removed from the phone system, bob holds no licence any more (A1 keeps Essential only while he is there).
    await sync('ada');
    const call = callRecord('ada', 'bob');
    const r = await ingest('call-records', [call]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      received: 1,
      stored: 1,
      notStored: { not_licensed: 0, unknown_user: 0, duplicate: 0, invalid: 0 },
      participants: { modelled: 1, notLicensed: 1, unknownUser: 0 },
    });
    const parts = await participantsOf(t);
    expect(parts).toEqual([{ call_id: call.id, user_id: ada, group_id: null, role: 'source' }]);
    expect(parts.some((p) => p.user_id === bob)).toBe(false);

    // Idempotent by the phone system's id: sent again, nothing more is stored.
    const again = await ingest('call-records', [call, call]);
    expect(again.body).toMatchObject({ received: 2, stored: 0, notStored: { duplicate: 2 } });
    expect(await participantsOf(t)).toHaveLength(1);
  });

  it('CD1: ids, names and numbers are stored as sent, whatever characters they hold', async () => {
    const { t, ada, ingest, patch } = await tenantWithPhoneSystem();
    const odd = ['a "quoted" \\ back\\slash', '{braces},commas', 'NULL', '', ' spaced ', 'zażółć 📞', 'tab\there\\n'];
    const records = odd.map((s, i) =>
      callRecord('ada', 'bob', {
        id: `cdr-odd-${i}-${s}`,
        conversationId: s || null,
        from: { number: `+48 ${s}`, name: s, user: 'ada' },
        to: { number: s || null, name: `"${s}"`, user: 'bob' },
        participants: [{ user: 'ada', number: s || null, role: 'source' }],
      }),
    );
    // Without and with a control character (a tab), which the array encoding escapes another way.
    expect((await ingest('call-records', records.slice(0, -1))).body.stored).toBe(odd.length - 1);
    expect((await ingest('call-records', records.slice(-1))).body.stored).toBe(1);
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const listed = await a.asProvider<{ items: StoredCall[] }>(
      'GET',
      `/v1/tenants/${t}/reports/calls/records?from=${from}&to=${to}&limit=100`,
    );
    const byId = new Map(listed.body.items.map((c) => [c.id, c]));
    records.forEach((r, i) => {
      expect(byId.get(r.id), r.id).toMatchObject({
        conversationId: odd[i] || null,
        from: { number: `+48 ${odd[i]}`, name: odd[i] },
        to: { number: odd[i] || null, name: `"${odd[i]}"` },
      });
    });

    // Agent events travel the same way: pause reasons and caller numbers as sent.
    expect((await patch(ada, { licences: ['essential', 'agent'] })).status).toBe(200);
    const events = odd.map((s, i) => ({
      id: `ev-odd-${i}-${s}`,
      at: new Date().toISOString(),
      user: 'ada',
      type: 'pause',
      reason: s || null,
      callerNumber: s || null,
      conversationId: s || null,
    }));
    expect((await ingest('agent-events', events.slice(0, -1))).body.stored).toBe(odd.length - 1);
    expect((await ingest('agent-events', events.slice(-1))).body.stored).toBe(1);
    const stored = await sql<{ external_id: string; reason: string | null; caller_number: string | null }>`
      select external_id, reason, caller_number from agent_events where tenant_id = ${t}`.execute(server().deps.db);
    expect(new Map(stored.rows.map((r) => [r.external_id, [r.reason, r.caller_number]]))).toEqual(
      new Map(events.map((e) => [e.id, [e.reason, e.callerNumber]])),
    );
  });

  it('CD1, G4: a call of no licensed user is not stored; unknown users and invalid records are counted by reason', async () => {
    const { ingest, sync } = await tenantWithPhoneSystem();
    await sync('ada');
    const r = await ingest('call-records', [
      callRecord('bob', null, { direction: 'outbound' }),
      callRecord('nobody', null),
      callRecord(null, null),
      { ...callRecord('ada', 'bob'), disposition: 'lost' },
      { ...callRecord('ada', 'bob'), startedAt: 'yesterday' },
      'not a record',
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      received: 6,
      stored: 0,
      notStored: { not_licensed: 2, unknown_user: 1, duplicate: 0, invalid: 3 },
    });
    expect(r.body.errors.map((e) => e.index)).toEqual([3, 4, 5]);
    expect(r.body.errors[0]!.reason).toContain('/disposition');
  });

  it('CD1: a date JavaScript would shift (30 February, hour 24, a leap second) or a bad participant time is an invalid record; the rest of the batch is stored', async () => {
    const { ingest } = await tenantWithPhoneSystem();
    const year = new Date().getUTCFullYear();
    const good = callRecord('ada', 'bob');
    const bad = [
      { ...callRecord('ada', 'bob'), answeredAt: `${year}-02-30T10:00:00Z` },
      { ...callRecord('ada', 'bob'), endedAt: `${year}-04-31T10:00:00Z` },
      { ...callRecord('ada', 'bob'), endedAt: `${year}-06-01T24:00:00Z` },
      { ...callRecord('ada', 'bob'), answeredAt: `${year}-06-30T23:59:60Z` },
      { ...callRecord('ada', 'bob'), endedAt: `${year}-06-01T10:00:00+24:00` },
      { ...callRecord('ada', 'bob'), participants: [{ user: 'ada', role: 'source', joinedAt: 'soon after lunch' }] },
      {
        ...callRecord('ada', 'bob'),
        participants: [{ user: 'nobody', role: 'conference', leftAt: `${year}-02-29T25:00:00Z` }],
      },
    ];
    const r = await ingest('call-records', [good, ...bad]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 8, stored: 1, notStored: { invalid: 7 } });
    expect(r.body.errors.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.body.errors[5]!.reason).toBe('/participants/0/joinedAt is not an RFC 3339 date-time');
  });

  it('CD2, A4: a call is attributed to the primary group the user had at the time of the call', async () => {
    const { t, ada, ingest, patch } = await tenantWithPhoneSystem();
    const g1 = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Sales' })).body.id;
    const g2 = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Support' })).body.id;
    expect((await patch(ada, { groups: [g1, g2], primaryGroup: g1 })).status).toBe(200);
    const during1 = callRecord('ada', null, { direction: 'outbound' });
    await new Promise((r) => setTimeout(r, 5));
    expect((await patch(ada, { primaryGroup: g2 })).status).toBe(200);
    const during2 = callRecord('ada', null, { direction: 'outbound' });
    const late = callRecord('ada', null, { direction: 'outbound', at: Date.parse(during1.startedAt) });
    expect((await ingest('call-records', [during2, late, during1])).body.stored).toBe(3);
    const groups = Object.fromEntries((await participantsOf(t)).map((p) => [p.call_id, p.group_id]));
    expect(groups).toEqual({ [during1.id]: g1, [during2.id]: g2, [late.id]: g1 });
  });

  it('CD1, G4: a licence taken away mid-month stops storage from then on; earlier calls sent late are still stored', async () => {
    const { ingest, sync } = await tenantWithPhoneSystem();
    const before = callRecord('ada', 'bob');
    expect((await ingest('call-records', [before])).body.participants).toMatchObject({ modelled: 2 });
    await new Promise((r) => setTimeout(r, 5));
    await sync();
    const after = callRecord('ada', 'bob');
    const lateButEarlier = callRecord('ada', null, { at: Date.parse(before.startedAt) + 1 });
    const r = await ingest('call-records', [after, lateButEarlier]);
    expect(r.body).toMatchObject({ stored: 1, notStored: { not_licensed: 1 } });
  });

  it('CD1, G4: agent events are stored only for users who held the Agent add-on at the time', async () => {
    const { ada, ingest, patch } = await tenantWithPhoneSystem();
    const event = (type: string, extra: Record<string, unknown> = {}) => ({
      id: `ev-${++seq}`,
      at: new Date().toISOString(),
      user: 'ada',
      type,
      queue: 'q-sales',
      ...extra,
    });
    const without = await ingest('agent-events', [event('login'), event('pause', { reason: 'Lunch' })]);
    expect(without.body).toMatchObject({ received: 2, stored: 0, notStored: { not_licensed: 2 } });
    expect((await patch(ada, { licences: ['essential', 'agent'] })).status).toBe(200);
    const login = event('login');
    const withAddOn = await ingest('agent-events', [
      login,
      event('pause', { reason: 'Lunch' }),
      event('login', { user: 'nobody' }),
      event('dance'),
    ]);
    expect(withAddOn.body).toMatchObject({
      received: 4,
      stored: 2,
      notStored: { not_licensed: 0, unknown_user: 1, duplicate: 0, invalid: 1 },
    });
    expect((await ingest('agent-events', [login])).body).toMatchObject({ stored: 0, notStored: { duplicate: 1 } });
    // The add-on taken away: from then on her events are not stored.
    await new Promise((r) => setTimeout(r, 5));
    expect((await patch(ada, { licences: ['essential'] })).status).toBe(200);
    expect((await ingest('agent-events', [event('logout')])).body).toMatchObject({
      stored: 0,
      notStored: { not_licensed: 1 },
    });
  });

  it('I6: only the phone system ingests; a user, even an administrator, is refused; other tenants are not found', async () => {
    const { t } = await tenantWithPhoneSystem();
    const admin = await a.user(t, {
      email: `admin.${++seq}@example.test`,
      permissions: ['website_access', 'manage_users'],
    });
    const session = await a.session(t, admin.id);
    const r = await a.call('POST', `/v1/tenants/${t}/platform/call-records`, {
      token: session,
      body: { records: [callRecord('ada', null)] },
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'forbidden', rule: 'I6' });
    const other = await tenantWithPhoneSystem();
    const cross = await a.call('POST', `/v1/tenants/${t}/platform/call-records`, {
      token: other.token,
      body: { records: [callRecord('ada', null)] },
    });
    expect(cross.status).toBe(404);
    const tooMany = await a.call('POST', `/v1/tenants/${t}/platform/call-records`, {
      token: other.token,
      body: { records: Array.from({ length: 10_001 }, () => ({})) },
    });
    expect(tooMany.status).toBe(400);
  });

  it('CD6: records older than the tenant keeps are invalid; the bound is the provider’s; pruning deletes old rows', async () => {
    const { t, ingest } = await tenantWithPhoneSystem();
    const admin = await a.user(t, {
      email: `settings.${++seq}@example.test`,
      permissions: ['website_access', 'customer_settings'],
    });
    const session = await a.session(t, admin.id);
    const bound = await a.call('PATCH', `/v1/tenants/${t}/call-data/settings`, {
      token: session,
      body: { retentionMaxDays: 5000 },
    });
    expect(bound.status).toBe(400);
    const notProvider = await a.call('PATCH', `/v1/tenants/${t}/call-data/settings`, {
      token: session,
      body: { retentionMaxDays: 100 },
    });
    expect(notProvider.body).toMatchObject({ code: 'provider_only', rule: 'C8' });
    expect(
      (await a.asProvider('PATCH', `/v1/tenants/${t}/call-data/settings`, { retentionMaxDays: 30 })).body,
    ).toMatchObject({ retentionDays: 30, retentionMaxDays: 30 });
    const over = await a.call('PATCH', `/v1/tenants/${t}/call-data/settings`, {
      token: session,
      body: { retentionDays: 31 },
    });
    expect(over.body).toMatchObject({ code: 'validation_failed', field: '/retentionDays' });
    expect(
      (await a.call('PATCH', `/v1/tenants/${t}/call-data/settings`, { token: session, body: { retentionDays: 10 } }))
        .status,
    ).toBe(200);

    const old = callRecord('ada', null, { at: Date.now() - 11 * 86_400_000 });
    expect((await ingest('call-records', [old])).body).toMatchObject({ notStored: { invalid: 1 } });
    const now = callRecord('ada', null);
    expect((await ingest('call-records', [now])).body.stored).toBe(1);

    // Eleven days on, this tenant's call is past its retention and is deleted; other tenants keep theirs.
    const service = new CallDataService(server().deps);
    const { deleted } = await service.prune(new Date(Date.now() + 11 * 86_400_000));
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect(await participantsOf(t)).toEqual([]);

    // Years on, every tenant is done with the month: its partitions are dropped, and ingestion makes new ones.
    const later = await service.prune(new Date(Date.now() + 3 * 365 * 86_400_000));
    expect(later.dropped.some((p) => p.startsWith('call_records_p'))).toBe(true);
    expect((await ingest('call-records', [callRecord('ada', null)])).body.stored).toBe(1);
  });
});

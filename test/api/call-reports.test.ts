/**
 * Call reports (issue 14): by user, group, queue, hour and day with filters and totals, the calls
 * behind them and their CSV; agent and queue reports; each refused below its supervisor level (G15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, Named, SupervisorLevel, UserPage } from '../../src/contract/index.js';
import type { AgentReport, CallReport, QueueReport, StoredCall } from '../../src/modules/call-data/reports.schemas.js';
import { api, uniqueEmail, type ApiClient, type Page, type ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

const person = (externalId: string, n: number) => ({
  externalId,
  displayName: `${externalId[0]!.toUpperCase()}${externalId.slice(1)}`,
  email: `${externalId}@pbx.example`,
  extension: String(200 + n),
  devices: [],
  acdQueues: ['q-sales'],
});

describeEachDatabase('call data: reports', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let ids: Record<string, string>;
  let base: number;
  const period = () => `from=${new Date(base - 3600_000).toISOString()}&to=${new Date(base + 3600_000).toISOString()}`;
  const get = <T = ProblemBody>(path: string, token?: string) =>
    token ? a.call<T>('GET', `/v1/tenants/${t}${path}`, { token }) : a.asProvider<T>('GET', `/v1/tenants/${t}${path}`);
  const supervisor = async (level: SupervisorLevel) => {
    const u = await a.user(t, { email: uniqueEmail(level), permissions: ['website_access'] });
    if (level !== 'none')
      expect((await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: level })).status).toBe(
        200,
      );
    return a.session(t, u.id);
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    t = (await a.tenant()).id;
    const token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
    const sync = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token,
      body: {
        users: [person('ada', 1), person('bob', 2), person('cy', 3), person('sue', 4), person('tom', 5)],
        queues: [
          { externalId: 'q-sales', name: 'Sales line', kind: 'queue', wrapUpSeconds: 0 },
          { externalId: 'q-support', name: 'Support line', kind: 'queue', wrapUpSeconds: 0 },
        ],
      },
    });
    expect(sync.status).toBe(200);
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    ids = Object.fromEntries(users.map((u) => [u.externalId!, u.id]));
    for (const [name, who] of [
      ['Sales', 'ada'],
      ['Support', 'bob'],
    ] as const) {
      const g = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name })).body.id;
      ids[name] = g;
      await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids[who]}`, { groups: [g], primaryGroup: g });
    }
    const queues = (await a.asProvider<Page<Named>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    ids.queue = queues.find((q) => q.name === 'Sales line')!.id;
    ids.support = queues.find((q) => q.name === 'Support line')!.id;
    // Contact Center Supervisors: Sue of the sales queue, Tom of the support queue (G11).
    for (const [who, queue] of [
      ['sue', ids.queue],
      ['tom', ids.support],
    ] as const) {
      const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids[who]}`, {
        permissions: ['website_access'],
        supervisorLevel: 'contact_center',
        contactCenter: { queues: { [queue]: ['supervisor'] } },
      });
      expect(r.status).toBe(200);
    }
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids.ada}`, { licences: ['essential', 'agent'] });

    base = Date.now() + 1000;
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    const call = (n: number, fields: Record<string, unknown>) => ({
      id: `c${n}`,
      startedAt: at(n * 10),
      direction: 'internal',
      from: { number: '201', user: 'ada' },
      to: { number: '202', user: 'bob' },
      disposition: 'answered',
      waitSeconds: 0,
      talkSeconds: 0,
      ...fields,
    });
    const calls = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/call-records`, {
      token,
      body: {
        records: [
          call(1, { waitSeconds: 5, talkSeconds: 60 }),
          call(2, {
            direction: 'inbound',
            from: { number: '+48221234567' },
            to: { number: '201', user: 'ada' },
            queue: 'q-sales',
            waitSeconds: 10,
            talkSeconds: 120,
          }),
          call(3, {
            direction: 'inbound',
            from: { number: '+48221234567' },
            to: { number: '202', user: 'bob' },
            queue: 'q-sales',
            disposition: 'abandoned',
            waitSeconds: 30,
          }),
          call(4, { direction: 'outbound', to: { number: '+12025550100' }, disposition: 'no_answer' }),
          call(5, {
            direction: 'outbound',
            from: { number: '203', user: 'cy' },
            to: { number: '+12025550100' },
            disposition: 'busy',
          }),
        ],
      },
    });
    expect(calls.body).toMatchObject({ stored: 5 });
    const ev = (n: number, type: string, extra: Record<string, unknown> = {}) => ({
      id: `e${n}`,
      at: at(n),
      user: 'ada',
      type,
      queue: 'q-sales',
      ...extra,
    });
    const events = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token,
      body: {
        records: [
          ev(0, 'login'),
          ev(20, 'offered'),
          ev(21, 'answered'),
          ev(60, 'pause', { reason: 'Lunch' }),
          ev(120, 'unpause'),
          ev(150, 'offered'),
          ev(160, 'missed'),
          ev(300, 'logout'),
        ],
      },
    });
    expect(events.body).toMatchObject({ stored: 8 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const row = (r: CallReport, key: string | null) => r.rows.find((x) => x.key === key);

  it('CD3: calls by user count each modelled participant; by group follow the primary group then (A4)', async () => {
    const byUser = (await get<CallReport>(`/reports/calls?by=user&${period()}`)).body;
    expect(row(byUser, ids.ada!)).toMatchObject({ label: 'Ada', total: 3, answered: 2, missed: 1, abandoned: 0 });
    expect(row(byUser, ids.bob!)).toMatchObject({ total: 2, answered: 1, abandoned: 1, maxWaitSeconds: 30 });
    expect(row(byUser, ids.cy!)).toMatchObject({ total: 1, missed: 1 });
    expect(byUser.totals).toMatchObject({ total: 6 });

    const byGroup = (await get<CallReport>(`/reports/calls?by=group&${period()}`)).body;
    expect(byGroup.rows.map((r) => [r.label, r.total])).toEqual([
      ['Sales', 3],
      ['Support', 2],
      ['(no primary group)', 1],
    ]);
  });

  it('CD3: calls by queue, hour and day count calls, with totals, averages and longest wait and talk', async () => {
    const byQueue = (await get<CallReport>(`/reports/calls?by=queue&${period()}`)).body;
    expect(row(byQueue, ids.queue!)).toMatchObject({ label: 'Sales line', total: 2, answered: 1, abandoned: 1 });
    expect(byQueue.totals).toEqual({
      total: 5,
      answered: 2,
      missed: 2,
      abandoned: 1,
      avgWaitSeconds: 9,
      maxWaitSeconds: 30,
      avgTalkSeconds: 36,
      maxTalkSeconds: 120,
    });
    const byDay = (await get<CallReport>(`/reports/calls?by=day&${period()}`)).body;
    expect(byDay.rows.reduce((n, r) => n + r.total, 0)).toBe(5);
    expect(byDay.rows[0]!.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const byHour = (await get<CallReport>(`/reports/calls?by=hour&tz=Asia/Kolkata&${period()}`)).body;
    expect(byHour.rows[0]!.key).toMatch(/:00$/);
    expect(byHour.rows[0]!.key!.slice(11, 13)).toBe(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', timeZone: 'Asia/Kolkata' }).format(new Date(base + 10_000)),
    );
    const bad = await get(`/reports/calls?by=hour&tz=Mars/Olympus&${period()}`);
    expect(bad.body).toMatchObject({ code: 'validation_failed', field: '/tz' });
  });

  it('CD3: filters by direction, disposition, queue, group, user and number', async () => {
    const q = async (filter: string) =>
      (await get<CallReport>(`/reports/calls?by=queue&${period()}&${filter}`)).body.totals.total;
    expect(await q('direction=inbound')).toBe(2);
    expect(await q('disposition=abandoned')).toBe(1);
    expect(await q(`queue=${ids.queue}`)).toBe(2);
    expect(await q(`group=${ids.Sales}`)).toBe(3);
    expect(await q(`user=${ids.bob}`)).toBe(2);
    expect(await q('number=%2B12025550100')).toBe(2);
    const inboundByUser = (await get<CallReport>(`/reports/calls?by=user&direction=inbound&${period()}`)).body;
    expect(inboundByUser.rows.map((r) => r.total)).toEqual([1, 1]);
  });

  it('CD3: the drill-down lists the calls behind a report, paged; CSV streams them all', async () => {
    const first = (await get<Page<StoredCall>>(`/reports/calls/records?group=${ids.Sales}&limit=2&${period()}`)).body;
    expect(first.items.map((c) => c.id)).toEqual(['c4', 'c2']);
    expect(first.items[1]).toMatchObject({ direction: 'inbound', queueId: ids.queue, modelledFor: [ids.ada] });
    const next = (
      await get<Page<StoredCall>>(
        `/reports/calls/records?group=${ids.Sales}&limit=2&cursor=${first.nextCursor}&${period()}`,
      )
    ).body;
    expect(next).toMatchObject({ items: [{ id: 'c1' }], nextCursor: null });
    expect(next.items[0]!.modelledFor.sort()).toEqual([ids.ada, ids.bob].sort());

    const csv = await get<string>(`/reports/calls/records?format=csv&${period()}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^id,startedAt,/);
    expect(lines).toHaveLength(6);
    const report = await get<string>(`/reports/calls?by=user&format=csv&${period()}`);
    expect(report.body.trim().split('\n').at(-1)).toMatch(/^total,Total,6,/);
  });

  it('CD3: agent report: offered, answered, missed; time per state and pause reason', async () => {
    const r = (await get<AgentReport>(`/reports/agents?${period()}`)).body;
    expect(r.rows).toEqual([
      {
        userId: ids.ada,
        label: 'Ada',
        offered: 2,
        answered: 1,
        missed: 1,
        stateSeconds: { available: 240, paused: 60 },
        pauseSeconds: { Lunch: 60 },
      },
    ]);
  });

  it('CD3: queue report: service level is the share answered within the threshold', async () => {
    const r = (await get<QueueReport>(`/reports/queues?serviceLevelSeconds=20&${period()}`)).body;
    expect(r.rows).toEqual([
      {
        queueId: ids.queue,
        label: 'Sales line',
        offered: 2,
        answered: 1,
        answeredWithinServiceLevel: 1,
        abandoned: 1,
        missed: 0,
        serviceLevel: 0.5,
        avgWaitSeconds: 20,
        maxWaitSeconds: 30,
      },
    ]);
    const strict = (await get<QueueReport>(`/reports/queues?serviceLevelSeconds=5&${period()}`)).body;
    expect(strict.rows[0]!.serviceLevel).toBe(0);
  });

  it('G11: agent and queue reports hold only the queues the supervisor supervises, and their agents', async () => {
    const sue = await a.session(t, ids.sue!);
    const tom = await a.session(t, ids.tom!);
    const agentsOf = async (token: string) =>
      (await get<AgentReport>(`/reports/agents?${period()}`, token)).body.rows.map((r) => r.label);
    const queuesOf = async (token: string) =>
      (await get<QueueReport>(`/reports/queues?${period()}`, token)).body.rows.map((r) => r.label);
    expect(await agentsOf(sue)).toEqual(['Ada']);
    expect(await queuesOf(sue)).toEqual(['Sales line']);
    expect(await agentsOf(tom)).toEqual([]);
    expect(await queuesOf(tom)).toEqual([]);
    // A Contact Center Supervisor who supervises no queue sees none (restricted to assigned queues).
    const unassigned = await supervisor('contact_center');
    expect(await agentsOf(unassigned)).toEqual([]);
    expect(await queuesOf(unassigned)).toEqual([]);
    // Off, every queue's data (G11: restrictToAssignedQueues off).
    const rp = (await a.asProvider<{ version: number; supervisor: object }>('GET', `/v1/tenants/${t}/role-permissions`))
      .body;
    const { version: _v, ...body } = rp;
    const put = (restrictToAssignedQueues: boolean) =>
      a.asProvider('PUT', `/v1/tenants/${t}/role-permissions`, {
        ...body,
        supervisor: { ...rp.supervisor, restrictToAssignedQueues },
      });
    expect((await put(false)).status).toBe(200);
    expect(await queuesOf(tom)).toEqual(['Sales line']);
    expect(await agentsOf(tom)).toEqual(['Ada']);
    expect((await put(true)).status).toBe(200);
  });

  describe('G15: each report needs its supervisor level', () => {
    it('G15: without a level, reports are refused with the rule and the level that sells them', async () => {
      const none = await supervisor('none');
      const r = await get(`/reports/calls?by=user&${period()}`, none);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 'forbidden', rule: 'G15', capability: 'reports:view' });
      expect(r.body.detail).toContain('Report Supervisor');
      expect((await get(`/reports/calls/records?${period()}`, none)).status).toBe(403);
    });

    it('G15: a Report Supervisor reads call reports but not agent and queue data (Contact Center Supervisor)', async () => {
      const report = await supervisor('report');
      expect((await get(`/reports/calls?by=group&${period()}`, report)).status).toBe(200);
      const agents = await get(`/reports/agents?${period()}`, report);
      expect(agents.status).toBe(403);
      expect(agents.body).toMatchObject({ rule: 'G15', capability: 'cc_data:view' });
      expect(agents.body.detail).toContain('Contact Center Supervisor');
      expect((await get(`/reports/queues?${period()}`, report)).status).toBe(403);

      const cc = await supervisor('contact_center');
      expect((await get(`/reports/agents?${period()}`, cc)).status).toBe(200);
      expect((await get(`/reports/queues?${period()}`, cc)).status).toBe(200);
    });

    it('I6: the phone system sends data and reads none; a period is bounded', async () => {
      const token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
      expect((await get(`/reports/calls?by=user&${period()}`, token)).body).toMatchObject({ rule: 'I6' });
      const long = await get(`/reports/calls?by=user&from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`);
      expect(long.body).toMatchObject({ code: 'validation_failed', field: '/to' });
    });
  });
});

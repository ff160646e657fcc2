/**
 * Dashboards, wallboards and live call statistics (issue 14): each at its supervisor level (G15);
 * live statistics pushed over a WebSocket as call data arrives; agents' states for Contact Center
 * Supervisors only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { IngestResult, Named, SupervisorLevel } from '../../src/contract/index.js';
import type { LiveSnapshot } from '../../src/modules/call-data/live.schemas.js';
import type { Dashboard, Wallboard } from '../../src/modules/call-data/reports.schemas.js';
import { api, uniqueEmail, type ApiClient, type Page } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { Inbox } from '../support/waiting.js';
import { messageText } from '../stream/support.js';

type LiveMessage = { type: 'live' } & LiveSnapshot;
type Message = LiveMessage | { type: 'refused'; rule: string } | { type: 'revoked'; reason: string };

describeEachDatabase('call data: dashboards, wallboard and live statistics', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let base: string;
  let t: string;
  let token: string;
  let queue: string;
  let other: string;
  let ann: string;
  let ben: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    a = api(server);
    t = (await a.tenant()).id;
    token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
    const person = (id: string, n: number, acdQueues = ['q-help']) => ({
      externalId: id,
      displayName: id.toUpperCase(),
      email: `${id}@pbx.example`,
      extension: String(300 + n),
      devices: [],
      acdQueues,
    });
    await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token,
      body: {
        users: [person('ann', 1), person('ben', 2), person('cy', 3, ['q-other'])],
        queues: [
          { externalId: 'q-help', name: 'Help desk', kind: 'queue', wrapUpSeconds: 0 },
          { externalId: 'q-other', name: 'Other line', kind: 'queue', wrapUpSeconds: 0 },
        ],
      },
    });
    const queues = (await a.asProvider<Page<Named>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    queue = queues.find((q) => q.name === 'Help desk')!.id;
    other = queues.find((q) => q.name === 'Other line')!.id;
    const people = (await a.asProvider<Page<{ id: string; externalId: string }>>('GET', `/v1/tenants/${t}/users`)).body
      .items;
    ann = people.find((u) => u.externalId === 'ann')!.id;
    const cy = people.find((u) => u.externalId === 'cy')!.id;
    for (const id of [ann, cy])
      await a.asProvider('PATCH', `/v1/tenants/${t}/users/${id}`, { licences: ['essential', 'agent'] });
    // Ben supervises the help desk queue (G11) at Contact Center Supervisor level.
    ben = people.find((u) => u.externalId === 'ben')!.id;
    const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ben}`, {
      permissions: ['website_access'],
      supervisorLevel: 'contact_center',
      contactCenter: { queues: { [queue]: ['supervisor'] } },
    });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const supervisor = async (level: SupervisorLevel) => {
    const u = await a.user(t, { email: uniqueEmail(level), permissions: ['website_access'] });
    if (level !== 'none') await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: level });
    return { id: u.id, token: await a.session(t, u.id) };
  };
  const ingest = (what: 'call-records' | 'agent-events', records: unknown[]) =>
    a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/${what}`, { token, body: { records } });
  let n = 0;
  const event = (type: string, conversationId: string, more: Record<string, unknown> = {}) => ({
    id: `live-ev-${++n}`,
    at: new Date().toISOString(),
    user: 'ann',
    type,
    queue: 'q-help',
    conversationId,
    ...more,
  });

  function watch(bearer: string) {
    const inbox = new Inbox<Message>();
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/tenants/${t}/live/stream`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    ws.on('message', (d) => inbox.push(JSON.parse(messageText(d)) as Message));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    return { inbox, ws, closed };
  }
  const lastLive = (items: readonly Message[]) => items.filter((m): m is LiveMessage => m.type === 'live').at(-1);

  it('G15: the dashboard and wallboard need Analytics Supervisor; a Report Supervisor is refused with the rule', async () => {
    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
    const report = await supervisor('report');
    const refused = await a.call('GET', `/v1/tenants/${t}/dashboards/calls?${period}`, { token: report.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'G15', capability: 'dashboards:view' });
    expect(refused.body.detail).toContain('Analytics Supervisor');
    expect((await a.call('GET', `/v1/tenants/${t}/wallboard`, { token: report.token })).body).toMatchObject({
      rule: 'G15',
      capability: 'wallboards:view',
    });

    const startedAt = new Date().toISOString();
    await ingest('call-records', [
      {
        id: 'dash-1',
        startedAt,
        direction: 'inbound',
        from: { number: '+4930123456' },
        to: { number: '301', user: 'ann' },
        disposition: 'answered',
        queue: 'q-help',
        waitSeconds: 4,
        talkSeconds: 30,
      },
    ]);
    const analytics = await supervisor('analytics');
    const dash = await a.call<Dashboard>('GET', `/v1/tenants/${t}/dashboards/calls?${period}`, {
      token: analytics.token,
    });
    expect(dash.status).toBe(200);
    expect(dash.body.totals.total).toBeGreaterThanOrEqual(1);
    expect(dash.body.byQueue.find((r) => r.key === queue)).toMatchObject({ label: 'Help desk' });
    expect(dash.body.perHour.reduce((s, r) => s + r.total, 0)).toBe(dash.body.totals.total);
    const wall = await a.call<Wallboard>('GET', `/v1/tenants/${t}/wallboard`, { token: analytics.token });
    expect(wall.status).toBe(200);
    // Today (UTC) counts the call if it started since midnight of the wallboard's own clock.
    const midnight = new Date(wall.body.at);
    midnight.setUTCHours(0, 0, 0, 0);
    expect(wall.body.today.total).toBe(Date.parse(startedAt) >= midnight.getTime() ? 1 : 0);

    const live = await a.call('GET', `/v1/tenants/${t}/live`, { token: analytics.token });
    expect(live.body).toMatchObject({ rule: 'G15', capability: 'dashboards:live_calls' });
    expect(live.body.detail).toContain('Live Analytics Supervisor');
  });

  it('CD3, G11: live statistics are pushed as agent events and call records arrive; agent states only at Contact Center level, of the supervisor’s queues', async () => {
    const liveSup = await supervisor('live');
    const plain = watch(liveSup.token);
    const cc = watch(await a.session(t, ben));
    // A Contact Center Supervisor of no queue sees no agent (G11: restricted to assigned queues).
    const unassigned = watch((await supervisor('contact_center')).token);
    await plain.inbox.waitFor((m) => m.length > 0, 'first live snapshot');
    await cc.inbox.waitFor((m) => m.length > 0, 'first live snapshot (contact center)');
    await unassigned.inbox.waitFor((m) => m.length > 0, 'first live snapshot (no queue)');
    expect(lastLive(plain.inbox.items)!.agents).toBeNull();

    await ingest('agent-events', [event('login', 'conv-a'), event('offered', 'conv-a')]);
    const waiting = (items: readonly Message[]) =>
      lastLive(items)?.queues.find((q) => q.queueId === queue)?.waiting === 1;
    await plain.inbox.waitFor(waiting, 'a call waiting in the queue');
    await cc.inbox.waitFor(waiting, 'a call waiting in the queue (contact center)');

    await ingest('agent-events', [event('answered', 'conv-a')]);
    await cc.inbox.waitFor((items) => {
      const s = lastLive(items);
      return s?.totals.inProgress === 1 && s.agents?.[0]?.state === 'on_call';
    }, 'the call in progress and ann on it');
    expect(lastLive(cc.inbox.items)!.agents![0]).toMatchObject({ label: 'ANN', queueIds: [queue] });
    await unassigned.inbox.waitFor((items) => lastLive(items)?.totals.inProgress === 1, 'the call in progress');
    expect(lastLive(unassigned.inbox.items)!.agents).toEqual([]);
    unassigned.ws.close();

    await ingest('call-records', [
      {
        id: 'live-cdr-1',
        conversationId: 'conv-a',
        startedAt: new Date().toISOString(),
        direction: 'inbound',
        from: { number: '+4930123456' },
        to: { number: '301', user: 'ann' },
        disposition: 'answered',
        queue: 'q-help',
      },
    ]);
    await plain.inbox.waitFor((items) => {
      const q = lastLive(items)?.queues.find((x) => x.queueId === queue);
      return q?.inProgress === 0 && q.waiting === 0 && q.today.answered >= 1;
    }, 'the call ended by its record');

    // The level taken away: the watch ends without signing in again.
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${liveSup.id}`, { supervisorLevel: 'report' });
    await plain.inbox.waitFor((m) => m.some((x) => x.type === 'revoked'), 'the watch ended');
    expect(await plain.closed).toBe(4001);
    cc.ws.close();
  });

  it('G15: a socket below the level is told why and closed', async () => {
    const report = await supervisor('report');
    const w = watch(report.token);
    await w.inbox.waitFor((m) => m.length > 0, 'the refusal');
    expect(w.inbox.items[0]).toMatchObject({ type: 'refused', rule: 'G15' });
    expect(await w.closed).toBe(4003);
  });

  it('CD5, G11: the snapshot lists the calls in progress of the reader’s queues (caller, agents, times) and drops a call when it ends', async () => {
    const cc = watch(await a.session(t, ben));
    await cc.inbox.waitFor((m) => m.length > 0, 'first live snapshot');
    const callOf = (items: readonly Message[], id: string) =>
      lastLive(items)?.calls.find((c) => c.conversationId === id);
    await ingest('agent-events', [
      event('offered', 'conv-live', { callerNumber: '+4930555000' }),
      event('offered', 'conv-other', { user: 'cy', queue: 'q-other', callerNumber: '+4930555111' }),
    ]);
    await cc.inbox.waitFor((items) => callOf(items, 'conv-live')?.state === 'waiting', 'the waiting call');
    expect(callOf(cc.inbox.items, 'conv-live')).toMatchObject({
      queueId: queue,
      callerNumber: '+4930555000',
      answeredAt: null,
      agents: [],
    });
    // G11: Ben supervises the help desk only; the provider sees every queue's calls.
    expect(callOf(cc.inbox.items, 'conv-other')).toBeUndefined();
    expect(lastLive(cc.inbox.items)!.calls.every((c) => c.queueId === queue)).toBe(true);
    const all = await a.asProvider<LiveSnapshot>('GET', `/v1/tenants/${t}/live`);
    expect(all.body.calls.find((c) => c.conversationId === 'conv-other')).toMatchObject({
      queueId: other,
      state: 'waiting',
      callerNumber: '+4930555111',
    });
    // A Live Analytics Supervisor who supervises no queue sees the figures but no call.
    const unassigned = await a.call<LiveSnapshot>('GET', `/v1/tenants/${t}/live`, {
      token: (await supervisor('live')).token,
    });
    expect(unassigned.body.totals.waiting).toBeGreaterThanOrEqual(2);
    expect(unassigned.body.calls).toEqual([]);

    await ingest('agent-events', [event('answered', 'conv-live')]);
    await cc.inbox.waitFor((items) => callOf(items, 'conv-live')?.state === 'talking', 'the call answered');
    const talking = callOf(cc.inbox.items, 'conv-live')!;
    expect(talking).toMatchObject({ callerNumber: '+4930555000', agents: [{ userId: ann, label: 'ANN' }] });
    expect(Date.parse(talking.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(talking.startedAt));

    const seen = cc.inbox.items.length;
    await ingest('call-records', [
      {
        id: 'live-cdr-2',
        conversationId: 'conv-live',
        startedAt: talking.startedAt,
        direction: 'inbound',
        from: { number: '+4930555000' },
        to: { number: '301', user: 'ann' },
        disposition: 'answered',
        queue: 'q-help',
      },
    ]);
    await cc.inbox.waitFor(
      (items) => items.length > seen && lastLive(items.slice(seen)) !== undefined && !callOf(items, 'conv-live'),
      'the call gone once its record arrived',
    );
    cc.ws.close();
  });

  it('the calls listed stay bounded: at most 50 per queue, while the counts stay whole', async () => {
    const before = (await a.asProvider<LiveSnapshot>('GET', `/v1/tenants/${t}/live`)).body;
    const waitingBefore = before.queues.find((q) => q.queueId === other)?.waiting ?? 0;
    await ingest(
      'agent-events',
      Array.from({ length: 60 }, (_, i) => event('offered', `busy-${i}`, { user: 'cy', queue: 'q-other' })),
    );
    const after = (await a.asProvider<LiveSnapshot>('GET', `/v1/tenants/${t}/live`)).body;
    expect(after.queues.find((q) => q.queueId === other)!.waiting).toBe(waitingBefore + 60);
    const listed = after.calls.filter((c) => c.queueId === other);
    expect(listed).toHaveLength(50);
    // The oldest first: the call offered before the burst is kept.
    expect(listed.some((c) => c.conversationId === 'conv-other')).toBe(true);
  });
});

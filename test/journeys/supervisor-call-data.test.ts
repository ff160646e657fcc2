import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { IngestResult, Named, UserPage } from '../../src/contract/index.js';
import type { Playback } from '../../src/modules/call-data/recordings.schemas.js';
import type { AgentReport, CallReport, QueueReport } from '../../src/modules/call-data/reports.schemas.js';
import type { LiveSnapshot } from '../../src/modules/call-data/live.schemas.js';
import type { ReportSchedule, ReportScheduleSent } from '../../src/modules/call-data/schedules.schemas.js';
import type { Usage } from '../../src/modules/usage/usage.schemas.js';
import { api, uniqueEmail, type ApiClient, type Page, type ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Journey: supervisors and the call data (issue 14), through HTTP. The phone system syncs its people and
 * queues, then sends call records and agent events (CD1); a Report Supervisor reads the calls report,
 * is refused agent data (G15), schedules the report and sends it now, and it arrives as a CSV attachment
 * (CD3); a Contact Center Supervisor reads agent and queue data of the queue they supervise only (G11);
 * the Report Supervisor plays the recording of her own call and not another's (CD4); usage shows, beside
 * who holds each data licence, who produced data this month (B1); the Contact Center Supervisor sees the
 * calls in progress of her queue and asks to listen to one, which reaches the phone system's webhook
 * consumer as call.monitor_requested (CD5, G11).
 */
describeEachDatabase('journey: supervisors read the call data', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let platform: string;
  const ids: Record<string, string> = {};
  const sessions: Record<string, string> = {};
  // The calls happen after the licences were given (stored by the licence held at the time, CD1).
  let start = 0;
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const period = () =>
    `from=${new Date(start - 3600_000).toISOString()}&to=${new Date(start + 3600_000).toISOString()}`;
  const as = <T = ProblemBody>(who: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    a.call<T>(method, `/v1/tenants/${t}${path}`, { token: sessions[who], ...(body !== undefined && { body }) });

  const phoneSystem = new WebhookReceiver();
  beforeAll(async () => {
    server = await startTestServer(kind, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '100' });
    a = api(server);
    t = (await a.tenant()).id;
    platform = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
  });
  afterAll(async () => {
    await server?.stop();
    await phoneSystem.stop();
  });

  it('the phone system syncs its people and queues; the provider sets licences and levels', async () => {
    const person = (externalId: string, n: number, acdQueues: string[]) => ({
      externalId,
      displayName: externalId[0]!.toUpperCase() + externalId.slice(1),
      email: `${externalId}.${t}@pbx.example`,
      extension: String(500 + n),
      devices: [],
      acdQueues,
    });
    const sync = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token: platform,
      body: {
        users: [
          person('ada', 1, ['q-sales']),
          person('bob', 2, ['q-support']),
          person('rita', 3, []),
          person('sue', 4, []),
        ],
        queues: [
          { externalId: 'q-sales', name: 'Sales line', kind: 'queue', wrapUpSeconds: 0 },
          { externalId: 'q-support', name: 'Support line', kind: 'queue', wrapUpSeconds: 0 },
        ],
      },
    });
    expect(sync.status).toBe(200);
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    for (const u of users) ids[u.externalId!] = u.id;
    const queues = (await a.asProvider<Page<Named>>('GET', `/v1/tenants/${t}/queues`)).body.items;
    const sales = queues.find((q) => q.name === 'Sales line')!.id;
    const changes: Record<string, Record<string, unknown>> = {
      ada: { licences: ['essential', 'agent'] },
      bob: { licences: ['essential', 'agent'] },
      rita: {
        permissions: ['website_access', 'recording_playback'],
        supervisorLevel: 'report',
        recordingScope: 'own',
      },
      sue: {
        permissions: ['website_access'],
        supervisorLevel: 'contact_center',
        contactCenter: { queues: { [sales]: ['supervisor'] } },
      },
    };
    for (const [who, body] of Object.entries(changes)) {
      const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids[who]}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      sessions[who] = await a.session(t, ids[who]!);
    }
  });

  it('CD1: the phone system sends calls with a recording and agent events; each is stored by licence', async () => {
    start = Date.now() + 1000;
    const calls = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/call-records`, {
      token: platform,
      body: {
        records: [
          {
            id: 'j1',
            startedAt: at(0),
            direction: 'inbound',
            from: { number: '+48221234567' },
            to: { number: '501', user: 'ada' },
            queue: 'q-sales',
            disposition: 'answered',
            waitSeconds: 8,
            talkSeconds: 90,
            recordings: [{ id: 'rec-ada', location: 'https://pbx.example/rec/ada', startedAt: at(8) }],
          },
          {
            id: 'j2',
            startedAt: at(10),
            direction: 'inbound',
            from: { number: '+48221234568' },
            to: { number: '502', user: 'bob' },
            queue: 'q-support',
            disposition: 'abandoned',
            waitSeconds: 40,
          },
          {
            id: 'j3',
            startedAt: at(20),
            direction: 'internal',
            from: { number: '503', user: 'rita' },
            to: { number: '501', user: 'ada' },
            disposition: 'answered',
            talkSeconds: 30,
            recordings: [{ id: 'rec-rita', location: 'https://pbx.example/rec/rita', startedAt: at(20) }],
          },
        ],
      },
    });
    expect(calls.body).toMatchObject({ received: 3, stored: 3 });
    const ev = (id: string, s: number, user: string, type: string, queue: string) => ({
      id,
      at: at(s),
      user,
      type,
      queue,
    });
    const events = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token: platform,
      body: {
        records: [
          ev('a1', 0, 'ada', 'login', 'q-sales'),
          ev('a2', 1, 'ada', 'offered', 'q-sales'),
          ev('a3', 8, 'ada', 'answered', 'q-sales'),
          ev('b1', 0, 'bob', 'login', 'q-support'),
          ev('b2', 10, 'bob', 'offered', 'q-support'),
          ev('b3', 50, 'bob', 'missed', 'q-support'),
          // Rita holds no Agent add-on: her events are not stored.
          ev('r1', 0, 'rita', 'login', 'q-sales'),
        ],
      },
    });
    expect(events.body).toMatchObject({ stored: 6, notStored: { not_licensed: 1 } });
  });

  it('CD3, G15: the Report Supervisor reads the calls report, not agent data', async () => {
    const byUser = await as<CallReport>('rita', 'GET', `/reports/calls?by=user&${period()}`);
    expect(byUser.status).toBe(200);
    expect(byUser.body.rows.find((r) => r.key === ids.ada)).toMatchObject({ label: 'Ada', total: 2, answered: 2 });
    const agents = await as('rita', 'GET', `/reports/agents?${period()}`);
    expect(agents.status).toBe(403);
    expect(agents.body).toMatchObject({ rule: 'G15', capability: 'cc_data:view' });
  });

  it('CD3: she schedules the report weekly and sends it now: the CSV arrives by mail', async () => {
    const to = uniqueEmail('rita-inbox');
    const s = await as<ReportSchedule>('rita', 'POST', '/reports/schedules', {
      name: 'Weekly by queue',
      report: { by: 'queue' },
      recipients: [to],
      frequency: 'weekly',
      dayOfWeek: 1,
      timeOfDay: '08:00',
      timeZone: 'Europe/Warsaw',
    });
    expect(s.status).toBe(201);
    const sent = await as<ReportScheduleSent>('rita', 'POST', `/reports/schedules/${s.body.id}/send`);
    expect(sent.status).toBe(202);
    const mail = await vi.waitFor(
      async () => {
        const items = (
          await a.asProvider<Page<{ subject: string; attachments: Array<{ filename: string; content: string }> }>>(
            'GET',
            `/v1/dev/mailbox?to=${encodeURIComponent(to)}`,
          )
        ).body.items;
        expect(items).toHaveLength(1);
        return items[0]!;
      },
      { timeout: EVENTUALLY_MS, interval: 25 },
    );
    expect(mail.subject).toContain('Weekly by queue');
    expect(mail.attachments[0]!.content).toMatch(/^key,label,total,answered/);
    expect(mail.attachments[0]!.content.trim().split('\n').at(-1)).toMatch(/^total,Total,/);
  });

  it('G11: the Contact Center Supervisor reads agents and queues of the queue she supervises only', async () => {
    const agents = (await as<AgentReport>('sue', 'GET', `/reports/agents?${period()}`)).body;
    expect(agents.rows.map((r) => [r.label, r.offered, r.answered])).toEqual([['Ada', 1, 1]]);
    const queues = (await as<QueueReport>('sue', 'GET', `/reports/queues?${period()}`)).body;
    expect(queues.rows.map((r) => r.label)).toEqual(['Sales line']);
  });

  it('CD4: the Report Supervisor plays the recording of her own call, not of another’s', async () => {
    const own = await as<Playback>('rita', 'POST', '/recordings/rec-rita/playback');
    expect(own.status).toBe(200);
    const other = await as('rita', 'POST', '/recordings/rec-ada/playback');
    expect(other.status).toBe(403);
  });

  it('B1: usage shows who holds each data licence beside who produced data this month', async () => {
    const u = (await a.asProvider<Usage>('GET', `/v1/tenants/${t}/usage`)).body;
    // Essential: all four platform users hold it; Ada, Bob and Rita had calls modelled, Sue none.
    expect(u.licences.essential).toMatchObject({ assigned: 4, withData: 3 });
    // Agent add-on: Ada and Bob hold it and both produced agent events.
    expect(u.licences.agent).toMatchObject({ assigned: 2, withData: 2 });
  });

  it('CD5, G11: the Contact Center Supervisor sees the calls in progress of her queue and asks to listen to one; the phone system receives the request', async () => {
    const hook = await a.asProvider<{ secret: string }>('POST', `/v1/tenants/${t}/webhooks`, {
      url: await phoneSystem.start(),
      events: ['call.monitor_requested'],
      description: 'phone system',
    });
    expect(hook.status).toBe(201);
    const granted = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids.sue}`, {
      permissions: ['website_access', 'silent_monitor'],
    });
    expect(granted.status).toBe(200);
    const now = new Date().toISOString();
    const live = (id: string, user: string, type: string, queue: string, conversationId: string) => ({
      id,
      at: now,
      user,
      type,
      queue,
      conversationId,
      callerNumber: queue === 'q-sales' ? '+48221230001' : '+48221230002',
    });
    const sent = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token: platform,
      body: {
        records: [
          live('l1', 'ada', 'offered', 'q-sales', 'live-sales'),
          live('l2', 'ada', 'answered', 'q-sales', 'live-sales'),
          live('l3', 'bob', 'answered', 'q-support', 'live-support'),
        ],
      },
    });
    expect(sent.body).toMatchObject({ stored: 3 });

    // G11: Sue supervises the sales line only, so she sees its call and not the support line's.
    const snapshot = (await as<LiveSnapshot>('sue', 'GET', '/live')).body;
    expect(
      snapshot.calls.map((c) => [c.conversationId, c.state, c.callerNumber, c.agents.map((x) => x.label)]),
    ).toEqual([['live-sales', 'talking', '+48221230001', ['Ada']]]);
    const listen = await as('sue', 'POST', '/monitor-requests', { conversationId: 'live-sales', mode: 'listen' });
    expect(listen.status).toBe(202);
    const refused = await as('sue', 'POST', '/monitor-requests', { conversationId: 'live-support', mode: 'listen' });
    expect(refused.body).toMatchObject({ status: 403, rule: 'G11' });

    const [delivered] = await phoneSystem.inbox.waitFor(
      (items) => items.some((r) => r.json.tenantId === t),
      'call.monitor_requested at the phone system',
    );
    expect(WebhookReceiver.verify(delivered!, hook.body.secret)).toMatchObject({
      type: 'call.monitor_requested',
      tenantId: t,
      data: { conversationId: 'live-sales', mode: 'listen', supervisorExternalId: 'sue', supervisorExtension: '504' },
    });
    // Only the request Sue was allowed to make left for the phone system.
    expect(phoneSystem.inbox.items.filter((r) => r.json.tenantId === t)).toHaveLength(1);
  });
});

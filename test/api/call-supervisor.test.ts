/**
 * Supervisor actions (CD5): agent control and silent monitor become requests to the phone system
 * (outbox events), audited, limited to the supervisor's queues (G11).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditPage, Named, UserPage } from '../../src/contract/index.js';
import { api, type ApiClient, type Page } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { WebhookReceiver, type Received } from '../support/webhook-receiver.js';

describeEachDatabase('call data: supervisor actions', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let ids: Record<string, string>;
  let queues: Record<string, string>;
  let token: string;
  const receiver = new WebhookReceiver();
  let secret: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '100' });
    a = api(server);
    t = (await a.tenant()).id;
    token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
    const person = (id: string, n: number, acdQueues: string[]) => ({
      externalId: id,
      displayName: id,
      email: `${id}.${t}@pbx.example`,
      extension: String(500 + n),
      devices: [],
      acdQueues,
    });
    await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token,
      body: {
        users: [person('sam', 1, []), person('ann', 2, ['q-a']), person('bob', 3, ['q-b'])],
        queues: [
          { externalId: 'q-a', name: 'A', kind: 'queue', wrapUpSeconds: 0 },
          { externalId: 'q-b', name: 'B', kind: 'queue', wrapUpSeconds: 0 },
        ],
      },
    });
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    ids = Object.fromEntries(users.map((u) => [u.externalId!, u.id]));
    queues = Object.fromEntries(
      (await a.asProvider<Page<Named>>('GET', `/v1/tenants/${t}/queues`)).body.items.map((q) => [q.name, q.id]),
    );
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids.ann}`, { licences: ['essential', 'agent'] });
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids.bob}`, { licences: ['essential', 'agent'] });
    const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ids.sam}`, {
      permissions: ['website_access', 'supervisor_agent_control', 'silent_monitor'],
      contactCenter: { queues: { [queues.A!]: ['supervisor'] } },
    });
    expect(r.status).toBe(200);
    // The phone system's webhook consumer, on loopback.
    const hook = await a.asProvider<{ secret: string }>('POST', `/v1/tenants/${t}/webhooks`, {
      url: await receiver.start(),
      events: ['call.monitor_requested'],
      description: 'phone system',
    });
    expect(hook.status).toBe(201);
    secret = hook.body.secret;
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  const outbox = async () =>
    (
      await server.deps.db
        .selectFrom('outbox')
        .select(['payload'])
        .where('tenant_id', '=', t)
        .where('type', '=', 'event')
        .execute()
    ).map((r) => (r.payload as { body: { type: string; data: Record<string, unknown> } }).body);

  it("CD5, G11: a supervisor asks to change the state of an agent of their queue; not of another queue's agent", async () => {
    const sam = await a.session(t, ids.sam!);
    const ok = await a.call('POST', `/v1/tenants/${t}/agents/${ids.ann}/state-requests`, {
      token: sam,
      body: { state: 'paused', reason: 'Coaching' },
    });
    expect(ok.status).toBe(202);
    const sent = (await outbox()).filter((e) => e.type === 'agent.state_change_requested');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ agentExternalId: 'ann', state: 'paused', reason: 'Coaching' });
    const audit = (await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?limit=200`)).body.items;
    expect(audit.some((e) => e.action === 'agent.state_change_requested' && e.targetId === ids.ann)).toBe(true);

    const refused = await a.call('POST', `/v1/tenants/${t}/agents/${ids.bob}/state-requests`, {
      token: sam,
      body: { state: 'logged_out' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'G11' });
    expect((await outbox()).filter((e) => e.type === 'agent.state_change_requested')).toHaveLength(1);
  });

  it('CD5, W1: both requests are in the webhook event catalogue, so a phone system subscribes to them', async () => {
    const types = (await a.asProvider<{ items: Array<{ type: string }> }>('GET', '/v1/webhook-event-types')).body.items;
    expect(types.map((e) => e.type)).toEqual(
      expect.arrayContaining(['agent.state_change_requested', 'call.monitor_requested']),
    );
    const bad = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, {
      url: 'ftp://pbx.example/hooks',
      events: ['agent.state_change_requested', 'call.monitor_requested'],
    });
    // The event names pass validation; only the URL's scheme is refused.
    expect(bad.body).toMatchObject({ field: '/url' });
  });

  it('CD5, G11: silent monitor of a call in the supervisor’s queue is requested; a call of another queue is refused', async () => {
    const sam = await a.session(t, ids.sam!);
    const now = new Date().toISOString();
    await a.call('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token,
      body: {
        records: [
          { id: 'm1', at: now, user: 'ann', type: 'answered', queue: 'q-a', conversationId: 'conv-a' },
          { id: 'm2', at: now, user: 'bob', type: 'answered', queue: 'q-b', conversationId: 'conv-b' },
        ],
      },
    });
    const ok = await a.call('POST', `/v1/tenants/${t}/monitor-requests`, {
      token: sam,
      body: { conversationId: 'conv-a', mode: 'whisper' },
    });
    expect(ok.status).toBe(202);
    expect((await outbox()).find((e) => e.type === 'call.monitor_requested')!.data).toMatchObject({
      conversationId: 'conv-a',
      mode: 'whisper',
      queueId: queues.A,
      supervisorExternalId: 'sam',
    });
    const other = await a.call('POST', `/v1/tenants/${t}/monitor-requests`, {
      token: sam,
      body: { conversationId: 'conv-b', mode: 'barge' },
    });
    expect(other.body).toMatchObject({ rule: 'G11' });

    const plain = await a.user(t, { email: `plain.${t}@example.test`, permissions: ['website_access'] });
    const refused = await a.call('POST', `/v1/tenants/${t}/monitor-requests`, {
      token: await a.session(t, plain.id),
      body: { conversationId: 'conv-a', mode: 'listen' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ capability: 'live_calls:monitor' });
  });

  it('CD5: the monitor request reaches the phone system’s webhook consumer, signed', async () => {
    const sam = await a.session(t, ids.sam!);
    await a.call('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token,
      body: {
        records: [
          {
            id: 'w1',
            at: new Date().toISOString(),
            user: 'ann',
            type: 'answered',
            queue: 'q-a',
            conversationId: 'conv-w',
          },
        ],
      },
    });
    const ok = await a.call('POST', `/v1/tenants/${t}/monitor-requests`, {
      token: sam,
      body: { conversationId: 'conv-w', mode: 'listen' },
    });
    expect(ok.status).toBe(202);
    const mine = (items: readonly Received[]) =>
      items.find((r) => r.json.tenantId === t && r.json.data.conversationId === 'conv-w');
    await receiver.inbox.waitFor((items) => mine(items) !== undefined, 'call.monitor_requested delivered');
    expect(WebhookReceiver.verify(mine(receiver.inbox.items)!, secret)).toMatchObject({
      type: 'call.monitor_requested',
      data: { conversationId: 'conv-w', mode: 'listen', queueId: queues.A, supervisorExternalId: 'sam' },
    });
  });

  it('CD5, G11: only a call in progress is monitored; a call outside every queue only with an unrestricted scope', async () => {
    const sam = await a.session(t, ids.sam!);
    const at = new Date().toISOString();
    await a.call('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token,
      body: {
        records: [
          { id: 'e1', at, user: 'ann', type: 'answered', queue: 'q-a', conversationId: 'conv-ended' },
          { id: 'e2', at, user: 'ann', type: 'wrap_up_start', queue: 'q-a', conversationId: 'conv-ended' },
          { id: 'n1', at, user: 'ann', type: 'answered', queue: null, conversationId: 'conv-direct' },
        ],
      },
    });
    const monitor = (conversationId: string, bearer: string | null) =>
      bearer
        ? a.call('POST', `/v1/tenants/${t}/monitor-requests`, {
            token: bearer,
            body: { conversationId, mode: 'barge' },
          })
        : a.asProvider('POST', `/v1/tenants/${t}/monitor-requests`, { conversationId, mode: 'barge' });
    const before = (await outbox()).filter((e) => e.type === 'call.monitor_requested').length;
    for (const id of ['conv-ended', 'no-such-call']) {
      const r = await monitor(id, sam);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ code: 'not_found' });
    }
    // A direct call (no queue) belongs to no queue Sam supervises.
    expect((await monitor('conv-direct', sam)).body).toMatchObject({ rule: 'G11', capability: 'queue:monitor' });
    expect((await outbox()).filter((e) => e.type === 'call.monitor_requested')).toHaveLength(before);
    // The provider acts on every queue, and on calls outside them.
    expect((await monitor('conv-direct', null)).status).toBe(202);
  });
});

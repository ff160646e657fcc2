/**
 * Journey: a CRM integrator consumes Switchboard's webhooks (W1). It subscribes with an API token,
 * verifies every message with the Standard Webhooks library, tells its own changes (origin `api`,
 * its actor) from the portal's and the phone system's, survives its own outage without losing a
 * message (same `webhook-id` again, deduplicated), and rotates its secret without a gap. Every
 * step goes through the HTTP API; the receiver is on loopback.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CreatedApiToken, User, UserPage } from '../../src/contract/index.js';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { WebhookReceiver, type Received } from '../support/webhook-receiver.js';

describeEachDatabase('journey: a webhook consumer', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  const receiver = new WebhookReceiver();
  let url: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '100' });
    a = api(server);
    url = await receiver.start();
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  it('subscribes, verifies, skips its own echoes, survives an outage and rotates its secret', async () => {
    const { id: t } = await a.tenant();
    const admin = await a.user(t, {
      email: uniqueEmail('integrator'),
      permissions: ['website_access', 'manage_users', 'rest_api_admin', 'webhook_admin'],
    });
    const portal = await a.session(t, admin.id);
    const created = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token: portal,
      body: { name: 'CRM', scopes: ['webhooks:view', 'webhooks:create', 'webhooks:edit', 'users:view', 'users:edit'] },
    });
    expect(created.status).toBe(201);
    const crm = created.body.token;

    // 1. The CRM subscribes with its own token; the secret is shown once.
    const hook = await a.call<{ id: string; secret: string }>('POST', `/v1/tenants/${t}/webhooks`, {
      token: crm,
      body: { url, events: ['user.created', 'user.updated', 'platform.sync.completed'], description: 'CRM sync' },
    });
    expect(hook.status).toBe(201);
    let secret = hook.body.secret;

    // The consumer: verifies, deduplicates on webhook-id, skips its own echoes.
    const seen = new Set<string>();
    const handled: Received['json'][] = [];
    const consume = (r: Received) => {
      const event = WebhookReceiver.verify(r, secret) as Received['json'];
      if (seen.has(r.id)) return;
      seen.add(r.id);
      if (event.origin === 'api' && (event.actor as { id: string }).id === admin.id) return;
      handled.push(event);
    };
    const mine = () => receiver.inbox.items.filter((r) => r.json.tenantId === t);
    const waitCount = (n: number) => receiver.inbox.waitFor(() => mine().length >= n, `${n} messages`);

    // 2. The phone system syncs two users: two user.created and one platform.sync.completed, origin platform_sync.
    const pt = await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, { name: 'pbx' });
    const snapshot = {
      users: ['ada', 'bob'].map((n, i) => ({
        externalId: `ext-${n}`,
        displayName: n,
        email: `${n}.${t.toLowerCase()}@pbx.example`,
        extension: `10${i}`,
        devices: [],
        acdQueues: [],
      })),
      queues: [],
    };
    const sync = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, { token: pt.body.token, body: snapshot });
    expect(sync.status).toBe(200);
    await waitCount(3);
    for (const r of mine()) consume(r);
    expect(handled.map((e) => e.type).sort()).toEqual(['platform.sync.completed', 'user.created', 'user.created']);
    expect(handled.every((e) => e.origin === 'platform_sync')).toBe(true);
    expect(handled.find((e) => e.type === 'platform.sync.completed')!.data).toMatchObject({ created: 2 });

    // 3. The CRM renames Ada through the API (its own echo is skipped); an admin renames Bob in the portal.
    const users = (await a.call<UserPage>('GET', `/v1/tenants/${t}/users`, { token: crm })).body.items;
    const adaId = users.find((u) => u.displayName === 'ada')!.id;
    const bobId = users.find((u) => u.displayName === 'bob')!.id;
    expect(
      (await a.call<User>('PATCH', `/v1/tenants/${t}/users/${adaId}`, { token: crm, body: { displayName: 'Ada L.' } }))
        .status,
    ).toBe(200);
    expect(
      (
        await a.call<User>('PATCH', `/v1/tenants/${t}/users/${bobId}`, {
          token: portal,
          body: { displayName: 'Bob B.' },
        })
      ).status,
    ).toBe(200);
    await waitCount(5);
    for (const r of mine().slice(3)) consume(r);
    const updates = handled.filter((e) => e.type === 'user.updated');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ origin: 'portal', data: { userId: bobId } });
    // A portal rename of a platform user is an override of the phone system's name (P4): both are named.
    expect(updates[0]!.data.changed).toContain('displayName');

    // 4. The CRM is down once (503, Retry-After 1): the message comes again with the same id; handled once.
    const previous = receiver.respond;
    let down = true;
    receiver.respond = (r) => {
      if (r.json.tenantId !== t || !down) return previous(r);
      down = false;
      return { status: 503, headers: { 'retry-after': '1' } };
    };
    try {
      await a.call('PATCH', `/v1/tenants/${t}/users/${bobId}`, { token: portal, body: { displayName: 'Robert' } });
      await waitCount(7);
    } finally {
      receiver.respond = previous;
    }
    const [failed, retried] = mine().slice(5);
    expect(retried!.id).toBe(failed!.id);
    consume(failed!);
    consume(retried!);
    expect(handled.filter((e) => e.type === 'user.updated')).toHaveLength(2);
    // The log records an attempt just after the answer: wait for the second one.
    const attemptsLogged = async () =>
      (
        await a.call<{ items: Array<{ status: string; attempts: Array<{ statusCode: number }> }> }>(
          'GET',
          `/v1/tenants/${t}/webhooks/${hook.body.id}/deliveries`,
          { token: crm },
        )
      ).body.items[0]!.attempts.map((x) => x.statusCode);
    await expect.poll(attemptsLogged).toEqual([503, 200]);

    // 5. Rotation: while both secrets sign, the consumer switches at its own pace.
    const rotated = await a.call<{ secret: string }>(
      'POST',
      `/v1/tenants/${t}/webhooks/${hook.body.id}/rotate-secret`,
      {
        token: crm,
        body: { overlapSeconds: 600 },
      },
    );
    expect(rotated.status).toBe(200);
    await a.call('PATCH', `/v1/tenants/${t}/users/${bobId}`, { token: portal, body: { displayName: 'Bobby' } });
    await waitCount(8);
    const during = mine()[7]!;
    consume(during); // still verifies with the old secret
    secret = rotated.body.secret;
    expect(WebhookReceiver.verify(during, secret)).toMatchObject({ data: { userId: bobId } });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describe } from 'vitest';
import type { CreatedApiToken, User } from '../../src/contract/index.js';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { WebhookReceiver, type Received } from '../support/webhook-receiver.js';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  version: number;
  secret?: string;
}
interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Array<{
    at: string;
    statusCode: number | null;
    latencyMs: number;
    response: string | null;
    error: string | null;
  }>;
  nextAttemptAt: string | null;
}

describeEachDatabase('Webhooks from the outbox (W1, Standard Webhooks)', (kind) => {
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

  /** A tenant with an endpoint taking `events`; answers go by the tenant, so tests do not see each other's. */
  async function subscribe(events: string[] = []) {
    const { id: t } = await a.tenant();
    const r = await a.asProvider<Webhook>('POST', `/v1/tenants/${t}/webhooks`, { url, events, description: 'CRM' });
    expect(r.status).toBe(201);
    return { t, hook: r.body, secret: r.body.secret! };
  }
  const of = (t: string, type?: string) =>
    receiver.inbox.items.filter((r) => r.json.tenantId === t && (!type || r.json.type === type));
  const waitFor = (t: string, type: string, n = 1) =>
    receiver.inbox.waitFor(
      (items) => items.filter((r) => r.json.tenantId === t && r.json.type === type).length >= n,
      `${n} × ${type} for ${t}`,
    );
  const deliveries = async (t: string, id: string) =>
    (await a.asProvider<{ items: Delivery[] }>('GET', `/v1/tenants/${t}/webhooks/${id}/deliveries`)).body.items;

  it('W1: the secret is whsec_ and shown once; events arrive signed (verified with standardwebhooks), with origin and actor', async () => {
    const { t, hook, secret } = await subscribe(['user.created', 'user.updated', 'licence.assigned']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const got = await a.asProvider<Webhook>('GET', `/v1/tenants/${t}/webhooks/${hook.id}`);
    expect(got.body).not.toHaveProperty('secret');
    const listed = await a.asProvider<{ items: Webhook[] }>('GET', `/v1/tenants/${t}/webhooks`);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const user = await a.user(t, { displayName: 'Ada' });
    await waitFor(t, 'user.created');
    const created = of(t, 'user.created')[0]!;
    expect(WebhookReceiver.verify(created, secret)).toMatchObject({ type: 'user.created', data: { userId: user.id } });
    expect(created.json).toMatchObject({ tenantId: t, origin: 'provider', actor: { type: 'provider', id: null } });
    expect(() => WebhookReceiver.verify({ ...created, body: created.body.replace('Ada', 'Eve') }, secret)).toThrow();

    // Changed by an administrator through an API token: origin `api`, actor the token's user, changed fields named.
    const email = uniqueEmail('admin');
    const admin = await a.user(t, { email, permissions: ['website_access', 'manage_users', 'rest_api_admin'] });
    const session = await a.session(t, admin.id);
    const token = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token: session,
      body: { name: 'crm', scopes: ['users:edit', 'users:view'] },
    });
    expect(token.status).toBe(201);
    const patched = await a.call<User>('PATCH', `/v1/tenants/${t}/users/${user.id}`, {
      token: token.body.token,
      body: { displayName: 'Ada Lovelace' },
    });
    expect(patched.status).toBe(200);
    await waitFor(t, 'user.updated');
    const updated = of(t, 'user.updated').find((r) => r.json.data.userId === user.id)!;
    expect(updated.json).toMatchObject({ origin: 'api', actor: { type: 'user', id: admin.id } });
    expect(updated.json.data.changed).toContain('displayName');
    // Only subscribed types arrive.
    expect(of(t, 'user.access.changed')).toHaveLength(0);
  });

  it('W1: a 500 is retried with the same webhook-id, a new timestamp and signature; Retry-After is honoured; the log keeps each attempt', async () => {
    const { t, hook, secret } = await subscribe(['user.created']);
    let calls = 0;
    const previous = receiver.respond;
    receiver.respond = (r) =>
      r.json.tenantId === t && calls++ === 0 ? { status: 500, headers: { 'retry-after': '1' } } : previous(r);
    try {
      await a.user(t);
      await waitFor(t, 'user.created', 2);
    } finally {
      receiver.respond = previous;
    }
    const [first, second] = of(t, 'user.created') as [Received, Received];
    expect(second.id).toBe(first.id);
    expect(Number(second.timestamp)).toBeGreaterThanOrEqual(Number(first.timestamp));
    WebhookReceiver.verify(second, secret);
    const log = await deliveries(t, hook.id);
    expect(log).toHaveLength(1);
    await expect.poll(async () => (await deliveries(t, hook.id))[0]!.status).toBe('delivered');
    const [d] = await deliveries(t, hook.id);
    expect(d!.messageId).toBe(first.id);
    expect(d!.attempts.map((x) => x.statusCode)).toEqual([500, 200]);
    expect(d!.attempts[0]!.error).toBe('answered 500');
  });

  it('W1: without Retry-After the attempts follow the schedule (5 s, then 5 min, each ±10 %)', async () => {
    const { t, hook } = await subscribe(['user.created']);
    const previous = receiver.respond;
    receiver.respond = (r) => (r.json.tenantId === t ? { status: 503 } : previous(r));
    try {
      await a.user(t);
      await waitFor(t, 'user.created', 2);
      await expect.poll(async () => (await deliveries(t, hook.id))[0]?.attempts.length).toBe(2);
    } finally {
      receiver.respond = previous;
    }
    const [d] = await deliveries(t, hook.id);
    const [first, second] = d!.attempts.map((x) => new Date(x.at).getTime()) as [number, number];
    // Lower bounds only: a loaded machine may be late, never early.
    expect(second - first).toBeGreaterThanOrEqual(4500);
    const next = new Date(d!.nextAttemptAt!).getTime() - second;
    expect(next).toBeGreaterThanOrEqual(4.5 * 60_000);
    expect(next).toBeLessThanOrEqual(5.5 * 60_000 + 60_000);
  });

  it('W1: 410 Gone disables the endpoint; a 3xx is not followed but counts as a failure', async () => {
    const { t, hook } = await subscribe(['user.created']);
    const previous = receiver.respond;
    let n = 0;
    receiver.respond = (r) =>
      r.json.tenantId === t
        ? n++ === 0
          ? { status: 302, headers: { location: 'http://127.0.0.1:1/' } }
          : { status: 410 }
        : previous(r);
    try {
      await a.user(t);
      await waitFor(t, 'user.created', 1);
      // The redirect's retry comes after 5 s (the schedule), then 410 disables.
      await expect
        .poll(async () => (await a.asProvider<Webhook>('GET', `/v1/tenants/${t}/webhooks/${hook.id}`)).body.enabled, {
          timeout: 15_000,
        })
        .toBe(false);
    } finally {
      receiver.respond = previous;
    }
    const w = (await a.asProvider<Webhook>('GET', `/v1/tenants/${t}/webhooks/${hook.id}`)).body;
    expect(w.disabledReason).toMatch(/410/);
    // The delivery is marked failed right after the endpoint is disabled.
    await expect.poll(async () => (await deliveries(t, hook.id))[0]!.status).toBe('failed');
    const [d] = await deliveries(t, hook.id);
    expect(d!.attempts.map((x) => x.statusCode)).toEqual([302, 410]);
    // Nothing more goes to a disabled endpoint.
    await a.user(t);
    await a.asProvider('POST', `/v1/tenants/${t}/webhooks/${hook.id}/test`);
    expect(of(t)).toHaveLength(2);
    // Enabled again by an administrator; the failed message is sent again on request.
    const on = await a.asProvider<Webhook>('PATCH', `/v1/tenants/${t}/webhooks/${hook.id}`, { enabled: true });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
    const again = await a.asProvider<{ deliveryIds: string[] }>(
      'POST',
      `/v1/tenants/${t}/webhooks/${hook.id}/redeliver`,
      {
        since: new Date(Date.now() - 3600_000).toISOString(),
      },
    );
    expect(again.status).toBe(202);
    expect(again.body.deliveryIds.length).toBeGreaterThanOrEqual(1);
    await waitFor(t, 'user.created', 2);
  });

  it('W1: rotation signs with both secrets during the overlap; a test event and one redelivery keep the webhook-id', async () => {
    const { t, hook, secret } = await subscribe(['user.removed']);
    const rotated = await a.asProvider<{ secret: string; previousSecretExpiresAt: string }>(
      'POST',
      `/v1/tenants/${t}/webhooks/${hook.id}/rotate-secret`,
      { overlapSeconds: 3600 },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const test = await a.asProvider<{ messageId: string; deliveryIds: string[] }>(
      'POST',
      `/v1/tenants/${t}/webhooks/${hook.id}/test`,
    );
    expect(test.status).toBe(202);
    await waitFor(t, 'webhook.test');
    const msg = of(t, 'webhook.test')[0]!;
    expect(msg.id).toBe(test.body.messageId);
    expect(msg.signature.split(' ')).toHaveLength(2);
    WebhookReceiver.verify(msg, rotated.body.secret);
    WebhookReceiver.verify(msg, secret);

    const again = await a.asProvider<{ deliveryIds: string[] }>(
      'POST',
      `/v1/tenants/${t}/webhooks/${hook.id}/deliveries/${test.body.deliveryIds[0]}/redeliver`,
    );
    expect(again.status).toBe(202);
    await waitFor(t, 'webhook.test', 2);
    expect(of(t, 'webhook.test')[1]!.id).toBe(msg.id);

    // Without overlap the old secret stops at once.
    const hard = await a.asProvider<{ secret: string }>('POST', `/v1/tenants/${t}/webhooks/${hook.id}/rotate-secret`, {
      overlapSeconds: 0,
    });
    await a.asProvider('POST', `/v1/tenants/${t}/webhooks/${hook.id}/test`);
    await waitFor(t, 'webhook.test', 3);
    const last = of(t, 'webhook.test')[2]!;
    WebhookReceiver.verify(last, hard.body.secret);
    expect(() => WebhookReceiver.verify(last, rotated.body.secret)).toThrow();
  });

  it('W1: user.removed, licence events, user.access.changed (with the version) and session.revoked', async () => {
    const { t } = await subscribe([]);
    const u = await a.user(t, { email: uniqueEmail(), supervisorLevel: 'report' });
    await waitFor(t, 'licence.assigned');
    expect(of(t, 'licence.assigned')[0]!.json.data).toEqual({ userId: u.id, licence: 'supervisor_report' });
    await a.session(t, u.id);
    const del = await a.asProvider('DELETE', `/v1/tenants/${t}/users/${u.id}`);
    expect(del.status).toBe(204);
    await waitFor(t, 'user.removed');
    await waitFor(t, 'user.access.changed');
    const access = of(t, 'user.access.changed').at(-1)!;
    expect(access.json.data).toMatchObject({ userIds: [u.id] });
    expect(typeof access.json.data.version).toBe('number');
    await waitFor(t, 'session.revoked');
    expect(of(t, 'session.revoked')[0]!.json.data).toMatchObject({ userIds: [u.id], reason: 'user_deleted' });
    await waitFor(t, 'licence.unassigned');
    expect(of(t, 'licence.unassigned')[0]!.json.data).toEqual({ userId: u.id, licence: 'supervisor_report' });
  });

  it('W1: webhooks need webhooks:* capabilities; another tenant answers 404; bad input is a 400 naming the field', async () => {
    const { t, hook } = await subscribe();
    const { id: other } = await a.tenant();
    expect((await a.asProvider('GET', `/v1/tenants/${other}/webhooks/${hook.id}`)).status).toBe(404);
    const plain = await a.user(t, { email: uniqueEmail(), permissions: ['website_access'] });
    const token = await a.session(t, plain.id);
    const r = await a.call('POST', `/v1/tenants/${t}/webhooks`, { token, body: { url, events: [] } });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ rule: 'W1' });
    const bad = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url, events: ['user.exploded'] });
    expect(bad.status).toBe(400);
    const ftp = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url: 'ftp://example.com/x', events: [] });
    expect(ftp.status).toBe(400);
  });
});

describe('W1: webhooks never reach inside addresses unless WEBHOOK_ALLOW_PRIVATE [pglite]', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.stop();
  });
  it('refuses loopback, private and link-local URLs', async () => {
    const a = api(server);
    const { id: t } = await a.tenant();
    for (const u of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'https://10.1.2.3/',
      'http://169.254.169.254/latest',
      'http://[::1]/',
    ]) {
      const r = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url: u, events: [] });
      expect(r.status, u).toBe(400);
      expect(r.body).toMatchObject({ field: '/url' });
    }
    expect(
      (await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url: 'https://example.com/hook', events: [] })).status,
    ).toBe(201);
  });
});

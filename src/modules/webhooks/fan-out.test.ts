import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiClient } from '../../../test/support/api.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import type { ClaimedRow } from '../outbox/outbox.repo.js';
import { eventHandler } from './delivery.js';

/**
 * Fanning out a claim's events (W1): together in one statement, and when that fails, each alone, so
 * one bad event does not hold back the others. Event rows are written due far in the future, so the
 * server's own dispatcher leaves them to the test.
 */
describe('webhook fan-out of a claim (W1)', () => {
  let server: TestServer;
  let a: ApiClient;
  beforeAll(async () => {
    server = await startTestServer('pglite', { WEBHOOK_ALLOW_PRIVATE: 'true' });
    a = api(server);
  });
  afterAll(() => server?.stop());

  async function eventRows(t: string, payloads: unknown[]): Promise<ClaimedRow[]> {
    const rows = await server.deps.db
      .insertInto('outbox')
      .values(
        payloads.map((p) => ({
          tenant_id: t,
          type: 'event',
          payload: JSON.stringify(p),
          next_attempt_at: new Date(Date.now() + 3600_000),
        })),
      )
      .returning(['id', 'created_at'])
      .execute();
    return rows.map((r, i) => ({
      id: Number(r.id),
      tenantId: t,
      kind: 'event',
      payload: payloads[i],
      attempt: 1,
      endpointId: null,
      messageId: null,
      createdAt: new Date(r.created_at),
    }));
  }
  const body = (t: string, type: string) => ({
    type,
    timestamp: new Date().toISOString(),
    tenantId: t,
    origin: 'provider',
    actor: { type: 'provider', id: null },
    data: {},
  });
  const outbox = (ids: number[]) =>
    server.deps.db
      .selectFrom('outbox')
      .select(['id', 'outcome', 'dispatched_at', 'endpoint_id', 'message_id'])
      .where((eb) =>
        eb.or([eb('id', 'in', ids), eb('message_id', 'in', ['msg_fan_a', 'msg_fan_b', 'msg_fan_c', 'msg_fan_d'])]),
      )
      .orderBy('id')
      .execute();

  it('W1: a claim fans out in one go: a delivery row per subscribed endpoint, events nobody takes skipped', async () => {
    const { id: t } = await a.tenant();
    for (const events of [['user.updated'], ['user.updated', 'user.created']]) {
      const r = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url: 'http://127.0.0.1:9/hook', events });
      expect(r.status).toBe(201);
    }
    const rows = await eventRows(t, [
      { messageId: 'msg_fan_a', body: body(t, 'user.updated') },
      { messageId: 'msg_fan_b', body: body(t, 'user.created') },
      { messageId: 'msg_fan_d', body: body(t, 'tenant.updated') },
    ]);
    expect(await Promise.all(eventHandler(server.deps)(rows))).toEqual(['done', 'done', 'done']);
    const after = await outbox(rows.map((r) => r.id));
    expect(rows.map((row) => after.find((r) => r.id === row.id)?.outcome)).toEqual([
      'delivered',
      'delivered',
      'skipped',
    ]);
    // Both endpoints take user.updated; only the second takes user.created; nobody tenant.updated.
    expect(after.filter((r) => r.message_id === 'msg_fan_a')).toHaveLength(2);
    expect(after.filter((r) => r.message_id === 'msg_fan_b')).toHaveLength(1);
    expect(after.filter((r) => r.message_id === 'msg_fan_d')).toHaveLength(0);
  });

  it('W1: one bad event in a claim fails alone; the others are fanned out', async () => {
    const { id: t } = await a.tenant();
    const r = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url: 'http://127.0.0.1:9/hook', events: [] });
    expect(r.status).toBe(201);
    // No message id: the message cannot be stored, so the statement fails for any batch holding it.
    const rows = await eventRows(t, [
      { messageId: 'msg_fan_c', body: body(t, 'user.updated') },
      { body: body(t, 'user.updated') },
    ]);
    const [good, bad] = await Promise.allSettled(eventHandler(server.deps)(rows));
    expect(good).toEqual({ status: 'fulfilled', value: 'done' });
    expect(bad?.status).toBe('rejected');
    const after = await outbox(rows.map((x) => x.id));
    expect(after.find((x) => x.id === rows[0]!.id)?.outcome).toBe('delivered');
    expect(after.find((x) => x.id === rows[1]!.id)?.dispatched_at).toBeNull();
    expect(after.filter((x) => x.message_id === 'msg_fan_c')).toHaveLength(1);
  });
});

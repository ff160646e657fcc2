/**
 * Tenant suspension and deletion (issue 10 item 9): the provider suspends a tenant (its sessions end,
 * its sign-ins and every token are refused, its data is kept), resumes it, and deletes it only once
 * suspended, with every row of the tenant, in one transaction, audited in the provider's chain.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CreatedApiToken, LoginResult, Tenant, User } from '../../src/contract/index.js';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { TestStream } from '../stream/support.js';

const PASSWORD = 'a long passphrase for tests';

/** An outbound call of a phone-system user, now (stored in this month's call-data partitions). */
const callFrom = (user: string) => {
  const started = Date.now();
  return {
    id: `cdr-${user}-${started}`,
    conversationId: `conv-${started}`,
    startedAt: new Date(started).toISOString(),
    answeredAt: new Date(started + 5_000).toISOString(),
    endedAt: new Date(started + 65_000).toISOString(),
    direction: 'outbound',
    from: { number: '201', name: 'From', user },
    to: { number: '+48221234567', name: 'To', user: null },
    disposition: 'answered',
    queue: null,
    waitSeconds: 5,
    talkSeconds: 60,
  };
};

describeEachDatabase('tenant suspension and deletion', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  const receiver = new WebhookReceiver();
  let url: string;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { WEBHOOK_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '100' });
    a = api(server);
    url = await receiver.start();
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  /** A tenant with an admin (password, session, API token), a platform token, a phone-system user and data of every kind. */
  async function populatedTenant() {
    const tenant = await a.tenant({ plan: 'reach', homeRegion: 'PL' });
    const t = tenant.id;
    const email = uniqueEmail('admin');
    const admin = await a.user(t, {
      email,
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'rest_api_admin'],
    });
    const login = await a.call<LoginResult>('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, audience: 'portal' },
    });
    expect(login.status).toBe(200);
    const apiToken = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token: login.body.token,
      body: { name: 'crm', scopes: ['users:view', 'users:edit', 'users:create'] },
    });
    expect(apiToken.status).toBe(201);
    const pbx = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, { name: 'PBX' }))
      .body.token;
    const synced = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token: pbx,
      body: {
        users: [
          {
            externalId: 'ada',
            displayName: 'Ada',
            email: 'ada@pbx.example',
            extension: '201',
            devices: [],
            acdQueues: ['q'],
          },
        ],
        queues: [{ externalId: 'q', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 }],
      },
    });
    expect(synced.status).toBe(200);
    const users = (await a.asProvider<{ items: User[] }>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    const ada = users.find((u) => u.externalId === 'ada')!.id;
    const calls = await a.call('POST', `/v1/tenants/${t}/platform/call-records`, {
      token: pbx,
      body: { records: [callFrom('ada')] },
    });
    expect(calls.status).toBe(200);
    expect((await a.asProvider('POST', `/v1/tenants/${t}/groups`, { name: 'Night shift' })).status).toBe(201);
    const hook = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url, events: ['tenant.updated'] });
    expect(hook.status).toBe(201);
    const scim = await a.call('POST', `/v1/tenants/${t}/scim/v2/Users`, {
      token: apiToken.body.token,
      headers: { 'content-type': 'application/scim+json' },
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: uniqueEmail('scim'),
        name: { givenName: 'Sam', familyName: 'Scim' },
      },
    });
    expect(scim.status, JSON.stringify(scim.body)).toBe(201);
    return { t, tenant, email, admin, ada, session: login.body.token, apiToken: apiToken.body.token, pbx };
  }

  /** Rows of the tenant in every table with a tenant_id column, partitions included, by table. */
  async function rowsOf(t: string): Promise<Record<string, number>> {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'tenant_id' and table_schema = current_schema()
      order by table_name`.execute(server.deps.db);
    const out: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const r = await sql<{
        n: string;
      }>`select count(*)::text as n from ${sql.table(table_name)} where tenant_id = ${t}`.execute(server.deps.db);
      const n = Number(r.rows[0]!.n);
      if (n > 0) out[table_name] = n;
    }
    const tenantRow = await sql<{ n: string }>`select count(*)::text as n from tenants where id = ${t}`.execute(
      server.deps.db,
    );
    if (Number(tenantRow.rows[0]!.n) > 0) out.tenants = 1;
    const head = await sql<{ n: string }>`select count(*)::text as n from audit_heads where chain = ${t}`.execute(
      server.deps.db,
    );
    if (Number(head.rows[0]!.n) > 0) out.audit_heads = 1;
    return out;
  }

  it('C8: only the provider suspends, resumes or deletes a tenant; another tenant is 404', async () => {
    const { t, session } = await populatedTenant();
    for (const action of ['suspend', 'resume'])
      expect((await a.call('POST', `/v1/tenants/${t}/${action}`, { token: session })).body).toMatchObject({
        code: 'provider_only',
        rule: 'C8',
      });
    expect((await a.call('DELETE', `/v1/tenants/${t}`, { token: session })).body).toMatchObject({
      code: 'provider_only',
    });
    expect((await a.asProvider('POST', '/v1/tenants/tnt_nope/suspend')).status).toBe(404);
    expect((await a.asProvider('DELETE', '/v1/tenants/tnt_nope')).status).toBe(404);
  });

  it('suspension: sessions end, sign-ins, API tokens and platform tokens are refused (tenant_suspended), data is kept; resume lets them back', async () => {
    const { t, email, admin, ada, session, apiToken, pbx } = await populatedTenant();
    const other = await populatedTenant();
    const before = await rowsOf(t);

    const suspended = await a.asProvider<Tenant>('POST', `/v1/tenants/${t}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspendedAt: expect.any(String) as string });
    // Idempotent: suspending again changes nothing.
    const again = await a.asProvider<Tenant>('POST', `/v1/tenants/${t}/suspend`);
    expect(again.body.version).toBe(suspended.body.version);

    // The session ended (D5: its streams were told), the other credentials are refused with a clear code.
    expect((await a.call('GET', '/v1/me', { token: session })).body).toMatchObject({ code: 'invalid_token' });
    const refusedApi = await a.call('GET', `/v1/tenants/${t}/users`, { token: apiToken });
    expect(refusedApi.status).toBe(403);
    expect(refusedApi.body).toMatchObject({ code: 'tenant_suspended' });
    const refusedDial = await a.call('POST', `/v1/tenants/${t}/dial-check`, {
      token: pbx,
      body: { userId: ada, number: '+48221234567', channel: 'call' },
    });
    expect(refusedDial.body).toMatchObject({ code: 'tenant_suspended' });
    const refusedLogin = await a.call('POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, audience: 'portal' },
    });
    expect(refusedLogin.status).toBe(403);
    expect(refusedLogin.body).toMatchObject({ code: 'tenant_suspended' });
    // The provider opens no session there either.
    expect(
      (await a.asProvider('POST', `/v1/tenants/${t}/users/${admin.id}/sessions`, { audience: 'portal' })).status,
    ).not.toBe(201);
    // A wrong password says nothing about the tenant.
    const wrong = await a.call('POST', '/v1/auth/login', {
      body: { email, password: 'not the one', audience: 'portal' },
    });
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });

    // Data kept; the provider still reads it; the other tenant is untouched.
    const kept = await rowsOf(t);
    for (const [table, n] of Object.entries(before)) expect(kept[table], table).toBeGreaterThanOrEqual(n);
    expect((await a.asProvider('GET', `/v1/tenants/${t}/users/${admin.id}`)).status).toBe(200);
    expect((await a.call('GET', `/v1/tenants/${other.t}/users`, { token: other.apiToken })).status).toBe(200);

    // W1: subscribers hear it as tenant.updated.
    await receiver.inbox.waitFor(
      (items) => items.some((r) => r.json.tenantId === t && r.json.type === 'tenant.updated'),
      'tenant.updated',
    );
    const event = receiver.inbox.items.find((r) => r.json.tenantId === t && r.json.type === 'tenant.updated')!;
    expect(event.json.data).toMatchObject({ changed: expect.arrayContaining(['status', 'suspendedAt']) as string[] });

    const resumed = await a.asProvider<Tenant>('POST', `/v1/tenants/${t}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', suspendedAt: null });
    expect((await a.call('GET', `/v1/tenants/${t}/users`, { token: apiToken })).status).toBe(200);
    expect(
      (
        await a.call('POST', `/v1/tenants/${t}/dial-check`, {
          token: pbx,
          body: { userId: ada, number: '+48221234567', channel: 'call' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await a.call('POST', '/v1/auth/login', { body: { email, password: PASSWORD, audience: 'portal' } })).status,
    ).toBe(200);
  });

  it("D5: suspension sends revoked to every stream of the tenant and closes it; another tenant's stream stays open", async () => {
    const { t, ada } = await populatedTenant();
    const other = await populatedTenant();
    const adaSession = await a.session(t, ada, 'app');
    const otherSession = await a.session(other.t, other.ada, 'app');
    const stream = await TestStream.open(base, { token: adaSession });
    const untouched = await TestStream.open(base, { token: otherSession });
    expect((await stream.next()).type).toBe('config');
    expect((await untouched.next()).type).toBe('config');
    expect((await a.asProvider('POST', `/v1/tenants/${t}/suspend`)).status).toBe(200);
    expect(await stream.until((x) => x.type === 'revoked')).toEqual({ type: 'revoked', reason: 'tenant_suspended' });
    expect(await stream.closed).toBe(4001);
    await expect(TestStream.open(base, { token: adaSession })).rejects.toMatchObject({ status: 401 });
    // The other tenant's user still gets changes on her open stream.
    expect(
      (await a.asProvider('PATCH', `/v1/tenants/${other.t}/users/${other.ada}`, { features: { crmOverlay: false } }))
        .status,
    ).toBe(200);
    expect((await untouched.until((x) => x.type === 'config')).type).toBe('config');
    untouched.close();
  });

  it('deletion: refused while active (409 tenant_not_suspended); after suspension every row of the tenant goes in one transaction, audited by the provider', async () => {
    const { t } = await populatedTenant();
    const other = await populatedTenant();
    const otherRows = await rowsOf(other.t);
    const active = await a.asProvider('DELETE', `/v1/tenants/${t}`);
    expect(active.status).toBe(409);
    expect(active.body).toMatchObject({ code: 'tenant_not_suspended' });
    expect((await a.asProvider('GET', `/v1/tenants/${t}`)).status).toBe(200);

    const before = await rowsOf(t);
    for (const table of ['users', 'call_records', 'scim_users', 'webhook_endpoints', 'platform_tokens', 'audit_log'])
      expect(before[table], table).toBeGreaterThan(0);
    expect((await a.asProvider('POST', `/v1/tenants/${t}/suspend`)).status).toBe(200);
    const deleted = await a.asProvider<{ id: string; deleted: Record<string, number> }>('DELETE', `/v1/tenants/${t}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(t);
    expect(deleted.body.deleted).toMatchObject({ users: before.users, call_records: before.call_records });

    expect(await rowsOf(t)).toEqual({});
    expect((await a.asProvider('GET', `/v1/tenants/${t}`)).status).toBe(404);
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}`)).status).toBe(404);
    // The other tenant lost nothing.
    expect(await rowsOf(other.t)).toEqual(otherRows);
    // AU1: the deletion is in the provider's chain (the tenant's own chain went with it).
    const entry = await server.deps.db
      .selectFrom('audit_log')
      .select(['tenant_id', 'action', 'actor_type', 'after'])
      .where('action', '=', 'tenant.delete')
      .where('target_id', '=', t)
      .executeTakeFirst();
    expect(entry).toMatchObject({ tenant_id: null, actor_type: 'provider', after: { deleted: deleted.body.deleted } });
  });
});

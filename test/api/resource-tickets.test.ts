/**
 * Tickets for one resource (D1): a browser cannot put a bearer header on a download link or a
 * WebSocket, so the portal trades its credential for a single-use, 30-second ticket naming the one
 * path it opens. The provider (whose token lives in the portal's memory only) gets its usage CSV and
 * live statistics this way; what a ticket opens is decided as for its holder, so a tenant's user still
 * reaches no other tenant.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { putSystemSetting } from '../../src/db/system-settings.js';
import { hashToken } from '../../src/infra/crypto.js';
import { newId } from '../../src/infra/ids.js';
import { insertTicket } from '../../src/modules/stream/stream.repo.js';
import { api, uniqueEmail, type ApiClient } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { Inbox } from '../support/waiting.js';
import { messageText } from '../stream/support.js';

type Ticket = { ticket: string; expiresAt: string };
type LiveMessage = { type: 'live' | 'refused' | 'revoked'; code?: string; queues?: unknown[] };

describeEachDatabase('tickets for one link or WebSocket (D1)', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let base: string;
  let t: string;
  let other: string;
  let liveUser: { id: string; token: string };
  let otherUser: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    a = api(server);
    t = (await a.tenant({ name: `Ticket Co ${newId('x')}` })).id;
    other = (await a.tenant()).id;
    const u = await a.user(t, { email: uniqueEmail('tk'), permissions: ['website_access'] });
    expect((await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: 'live' })).status).toBe(
      200,
    );
    liveUser = { id: u.id, token: await a.session(t, u.id) };
    const o = await a.user(other, { email: uniqueEmail('tk'), permissions: ['website_access'] });
    await a.asProvider('PATCH', `/v1/tenants/${other}/users/${o.id}`, { supervisorLevel: 'live' });
    otherUser = await a.session(other, o.id);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const ticketFor = async (resource: string | undefined, token?: string) => {
    const r = token
      ? await a.call<Ticket>('POST', '/v1/stream/tickets', { token, body: resource ? { resource } : {} })
      : await a.asProvider<Ticket>('POST', '/v1/stream/tickets', resource ? { resource } : {});
    expect(r.status).toBe(201);
    return r.body.ticket;
  };
  const usageCsv = (ticket: string, cookies?: Record<string, string>) =>
    a.call<string>('GET', `/v1/usage?format=csv&ticket=${encodeURIComponent(ticket)}`, cookies ? { cookies } : {});

  it("the provider's ticket opens its usage CSV link once, without the token, and no other address", async () => {
    const ticket = await ticketFor('/v1/usage');
    expect(ticket).toMatch(/^sbu_/);
    // Another address (even one the provider may read) does not take it, and leaves it unspent.
    const elsewhere = await a.call('GET', `/v1/tenants/${t}/usage?ticket=${ticket}`);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.code).toBe('invalid_token');

    const csv = await usageCsv(ticket);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('usage.csv');
    expect(csv.body).toContain('Ticket Co');

    const again = await usageCsv(ticket);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'invalid_token' });
    // Without any credential the link is refused as before.
    expect((await a.call('GET', '/v1/usage?format=csv')).status).toBe(401);
  });

  it("the provider's ticket opens a tenant's calls export, whose query schema knows no ticket", async () => {
    const path = `/v1/tenants/${t}/reports/calls/records`;
    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`;
    const csv = await a.call<string>('GET', `${path}?${period}&format=csv&ticket=${await ticketFor(path)}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
  });

  it('a ticket is for reading: a state-changing request is refused, and the ticket stays unspent', async () => {
    const ticket = await ticketFor(`/v1/tenants/${t}`);
    const patch = await a.call('PATCH', `/v1/tenants/${t}?ticket=${ticket}`, { body: { name: 'Renamed' } });
    expect(patch.status).toBe(401);
    expect(patch.body.code).toBe('invalid_token');
    const read = await a.call<{ name: string }>('GET', `/v1/tenants/${t}?ticket=${ticket}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toContain('Ticket Co');
  });

  it("the provider's tickets name their resource; API tokens' and platform tokens' get none", async () => {
    const bare = await a.asProvider('POST', '/v1/stream/tickets', {});
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ code: 'validation_failed', field: '/resource' });
    const query = await a.asProvider('POST', '/v1/stream/tickets', { resource: '/v1/usage?format=csv' });
    expect(query.status).toBe(400);
    const platform = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
    const refused = await a.call('POST', '/v1/stream/tickets', { token: platform, body: { resource: '/v1/usage' } });
    expect(refused.status).toBe(403);
  });

  it('an expired ticket opens nothing', async () => {
    const ticket = `sbu_${newId('x')}${newId('y')}`;
    await insertTicket(server.deps.db, {
      id: newId('stk'),
      tokenHash: hashToken(ticket),
      owner: { kind: 'provider', credentialHash: hashToken(PROVIDER_TOKEN) },
      resource: '/v1/usage',
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await usageCsv(ticket)).status).toBe(401);
  });

  it("a provider ticket ends with the token that asked for it (rotation), as a user's with the session", async () => {
    // A generated provider token, as `switchboard provider-token rotate` stores it (its hash only).
    const rotating = `sbp_${newId('x')}${newId('y')}`;
    await putSystemSetting(server.deps.db, 'provider_token_hash', hashToken(rotating));
    const asked = await a.call<Ticket>('POST', '/v1/stream/tickets', {
      token: rotating,
      body: { resource: '/v1/usage' },
    });
    expect(asked.status).toBe(201);
    const kept = await a.call<Ticket>('POST', '/v1/stream/tickets', {
      token: rotating,
      body: { resource: '/v1/usage' },
    });
    expect((await usageCsv(kept.body.ticket)).status).toBe(200);
    await putSystemSetting(server.deps.db, 'provider_token_hash', hashToken(`${rotating}-next`));
    const after = await usageCsv(asked.body.ticket);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'invalid_token' });
    // The configured token's tickets are not touched by the rotation of the generated one.
    expect((await usageCsv(await ticketFor('/v1/usage'))).status).toBe(200);
  });

  it("in a browser that also holds a user's cookie, the provider's link is the provider's", async () => {
    const ticket = await ticketFor('/v1/usage');
    const csv = await usageCsv(ticket, { sb_session: liveUser.token });
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('Ticket Co');
  });

  it("a user's ticket acts as the user: another tenant's address is not found, a provider route forbidden", async () => {
    const foreign = await ticketFor(`/v1/tenants/${other}/usage`, liveUser.token);
    expect((await a.call('GET', `/v1/tenants/${other}/usage?ticket=${foreign}`)).status).toBe(404);
    const providers = await ticketFor('/v1/usage', liveUser.token);
    expect((await usageCsv(providers)).status).toBe(403);
    // A stream ticket (no resource) is not a link ticket.
    const streamTicket = await ticketFor(undefined, liveUser.token);
    expect(streamTicket).toMatch(/^sbw_/);
    expect([400, 401]).toContain((await usageCsv(streamTicket)).status);
  });

  it("a user's ticket dies with the session", async () => {
    const u = await a.user(t, { email: uniqueEmail('tk'), permissions: ['website_access'] });
    const token = await a.session(t, u.id);
    const ticket = await ticketFor(`/v1/tenants/${t}/users/${u.id}`, token);
    expect((await a.call('POST', '/v1/auth/logout', { token })).status).toBeLessThan(300);
    expect((await a.call('GET', `/v1/tenants/${t}/users/${u.id}?ticket=${ticket}`)).status).toBe(401);
  });

  function watch(ticket: string, tenant = t) {
    const inbox = new Inbox<LiveMessage>();
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/tenants/${tenant}/live/stream?ticket=${ticket}`);
    ws.on('message', (d) => inbox.push(JSON.parse(messageText(d)) as LiveMessage));
    const refusedWith = new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    return { inbox, ws, refusedWith };
  }

  it("the provider's live statistics stream through a ticket for that tenant's WebSocket only", async () => {
    const path = `/v1/tenants/${t}/live/stream`;
    const w = watch(await ticketFor(path));
    await w.inbox.waitFor((m) => m.length > 0, 'the first live snapshot');
    expect(w.inbox.items[0]!.type).toBe('live');
    w.ws.close();
    // The same kind of ticket, for this tenant, does not open another tenant's statistics.
    expect(await watch(await ticketFor(path), other).refusedWith).toBe(401);
  });

  it("a user's ticket streams the user's own tenant; another tenant's socket is refused as not found", async () => {
    const own = watch(await ticketFor(`/v1/tenants/${t}/live/stream`, liveUser.token));
    await own.inbox.waitFor((m) => m.length > 0, 'the first live snapshot');
    expect(own.inbox.items[0]!.type).toBe('live');
    own.ws.close();
    const foreign = watch(await ticketFor(`/v1/tenants/${t}/live/stream`, otherUser));
    await foreign.inbox.waitFor((m) => m.length > 0, 'the refusal');
    expect(foreign.inbox.items[0]).toMatchObject({ type: 'refused', code: 'not_found' });
    expect(foreign.inbox.items.some((m) => m.type === 'live')).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, Usage, User, UserPage } from '../../src/contract/index.js';
import type { Page, ProblemBody } from '../support/api.js';
import { hashPassword } from '../../src/infra/crypto.js';
import { sweepLapsedSessions } from '../../src/modules/sessions/sweeper.js';
import { describeEachDatabase, PROVIDER_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { anyString } from '../support/matchers.js';
import { Inbox } from '../support/waiting.js';
import { client, PASSWORD, uniqueEmail } from './support.js';

describeEachDatabase('identity: login and seats', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind, { SWEEP_INTERVAL_MS: '60000' });
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('I1: password login', () => {
    it('I1: an app login answers token, sessionId, userId, tenantId, expiresAt and the token works', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      const r = await c.login(u!.email);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        sessionId: anyString,
        userId: u!.id,
        tenantId: t,
        expiresAt: anyString,
      });
      expect(r.body.token).toMatch(/^sbs_/);
      const me = await c.call<User>('GET', '/v1/me', { token: r.body.token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(u!.id);
      const stored = await server.deps.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('id', '=', r.body.sessionId)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(r.body.token.slice(4));
    });

    it('I4: a wrong password and an unknown email get the same invalid_credentials answer', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      const wrong = await c.login<ProblemBody>(u!.email, 'app', 'not the right password at all');
      const unknown = await c.login<ProblemBody>(uniqueEmail('nobody'), 'app', 'not the right password at all');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      expect(unknown.body).toEqual(wrong.body);
    });

    it('I1: a portal login needs portal:use (403 portal_access_required), after the password is checked', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      const r = await c.login<ProblemBody>(u!.email, 'portal');
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('portal_access_required');
      expect((await c.login(u!.email, 'portal', 'wrong password, wrong password')).status).toBe(401);
    });

    it('I1: a website user signs in to the portal with an HttpOnly SameSite cookie and a CSRF token', async () => {
      const { id: t } = await c.tenant();
      const u = await c.portalUser(t);
      const r = await c.login(u.email, 'portal');
      expect(r.status).toBe(200);
      expect(r.body.csrfToken).toEqual(expect.any(String));
      const cookie = r.cookies.find((k) => k.name === 'sb_session');
      expect(cookie).toMatchObject({ value: r.body.token, httpOnly: true, sameSite: 'Lax' });
    });

    it('I1: app users of different tenants may share an email; the password picks the account', async () => {
      const email = uniqueEmail('shared');
      const { id: t1 } = await c.tenant();
      const { id: t2 } = await c.tenant();
      await c.appUsers(t1, 1, { email: () => email });
      const [u2] = await c.appUsers(t2, 1, { email: () => email });
      await server.deps.db
        .updateTable('users')
        .set({
          password_hash: await hashPassword('another long passphrase here'),
        })
        .where('id', '=', u2!.id)
        .execute();
      const r = await c.login(email, 'app', 'another long passphrase here');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ userId: u2!.id, tenantId: t2 });
    });

    it('I1: a suspended user cannot sign in', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      await server.deps.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', u!.id).execute();
      const r = await c.login<ProblemBody>(u!.email);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('account_inactive');
    });
  });

  describe('S1-S5: seats', () => {
    it('S2: a login while all seats are taken is refused with the limit and count; existing sessions are untouched', async () => {
      const { id: t } = await c.tenant({ seats: 2 });
      const [a, b, d] = await c.appUsers(t, 3);
      const ra = await c.login(a!.email);
      expect(ra.status).toBe(200);
      expect((await c.login(b!.email)).status).toBe(200);
      const refused = await c.login<ProblemBody>(d!.email);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'seats_exhausted', rule: 'S2', limit: 2, inUse: 2 });
      expect((await c.call('GET', '/v1/me', { token: ra.body.token })).status).toBe(200);
    });

    it('S1: one seat per user however many sessions', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      expect((await c.login(a!.email)).status).toBe(200);
      expect((await c.login(a!.email)).status).toBe(200);
      const portal = await c.call<Page<Session>>('GET', `/v1/tenants/${t}/sessions`, { token: PROVIDER_TOKEN });
      expect(portal.body.items).toHaveLength(2);
      expect((await c.login(b!.email)).status).toBe(409);
    });

    it('S3: logout frees the seat', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      const s = await c.login(a!.email);
      expect((await c.login(b!.email)).status).toBe(409);
      expect((await c.call('POST', '/v1/auth/logout', { token: s.body.token })).status).toBe(204);
      expect((await c.call('GET', '/v1/me', { token: s.body.token })).status).toBe(401);
      expect((await c.login(b!.email)).status).toBe(200);
    });

    it('S3: forced logout of a session and of every session of a user frees the seat and publishes revoke events', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      // The session ids of this tenant's revoke events, as the bus delivers them (null: a compacted, tenant-wide one).
      const revoked = new Inbox<string | null>();
      const off = server.deps.bus.subscribe((e) => {
        if (e.type === 'revoke' && e.tenantId === t) for (const id of e.sessionIds ?? [null]) revoked.push(id);
      });
      const s = await c.login(a!.email);
      const one = await c.provider('DELETE', `/v1/tenants/${t}/sessions/${s.body.sessionId}`);
      expect(one.status).toBe(204);
      expect((await c.provider('DELETE', `/v1/tenants/${t}/sessions/${s.body.sessionId}`)).status).toBe(404);
      const s2 = await c.login(b!.email);
      expect(s2.status).toBe(200);
      const all = await c.provider<{ ended: number }>('DELETE', `/v1/tenants/${t}/users/${b!.id}/sessions`);
      expect(all.status).toBe(200);
      expect(all.body.ended).toBe(1);
      expect((await c.call('POST', '/v1/auth/heartbeat', { token: s2.body.token })).status).toBe(401);
      expect((await c.login(a!.email)).status).toBe(200);
      // On PostgreSQL the events come back through LISTEN/NOTIFY, after the answers: wait for them.
      const both = [s.body.sessionId, s2.body.sessionId];
      await revoked.waitFor((ids) => both.every((id) => ids.includes(id)), 'revoke events of both sessions');
      off();
      expect(revoked.items).toEqual(expect.arrayContaining(both));
    });

    it("S3: suspension ends the user's sessions and frees the seat (through the users service)", async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      const s = await c.login(a!.email);
      const r = await c.provider('PATCH', `/v1/tenants/${t}/users/${a!.id}`, { status: 'suspended' });
      expect(r.status).toBe(200);
      expect((await c.call('GET', '/v1/me', { token: s.body.token })).status).toBe(401);
      expect((await c.login(b!.email)).status).toBe(200);
    });

    it('S3, G13: removal by platform sync and deletion of a manual user end their sessions and free their seats', async () => {
      const { id: t } = await c.tenant({ seats: 2 });
      const pt = (await c.provider<{ id: string; token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body
        .token;
      const email = uniqueEmail('synced');
      const pushed = await c.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
        token: pt,
        body: {
          users: [{ externalId: 'e1', displayName: 'Synced', email, extension: '100', devices: [], acdQueues: [] }],
          queues: [],
        },
      });
      expect(pushed.status).toBe(200);
      const synced = await server.deps.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', t)
        .where('external_id', '=', 'e1')
        .executeTakeFirstOrThrow();
      await server.deps.db
        .updateTable('users')
        .set({ password_hash: await hashPassword(PASSWORD) })
        .where('id', '=', synced.id)
        .execute();
      const manual = await c.portalUser(t);
      const other = await c.portalUser(t); // manual, so the empty snapshot below does not remove it
      const s1 = await c.login(email);
      const s2 = await c.login(manual.email, 'portal');
      expect(s1.status).toBe(200);
      expect(s2.status).toBe(200);
      expect((await c.login(other.email)).status).toBe(409);
      expect(
        (await c.call('PUT', `/v1/tenants/${t}/platform/snapshot`, { token: pt, body: { users: [], queues: [] } }))
          .status,
      ).toBe(200);
      expect((await c.call('GET', '/v1/me', { token: s1.body.token })).status).toBe(401);
      expect((await c.provider('DELETE', `/v1/tenants/${t}/users/${manual.id}`)).status).toBe(204);
      expect((await c.call('GET', '/v1/me', { token: s2.body.token })).status).toBe(401);
      expect((await c.login(other.email)).status).toBe(200);
    });

    it('S3: an app session lapses 90 s after its last heartbeat and the sweeper ends it; a heartbeat keeps it', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      const s = await c.login(a!.email);
      await c.ageSession(s.body.sessionId, 80);
      const hb = await c.call<{ expiresAt: string }>('POST', '/v1/auth/heartbeat', { token: s.body.token });
      expect(hb.status).toBe(200);
      expect(new Date(hb.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 80_000);
      expect((await c.login(b!.email)).status).toBe(409);
      await c.ageSession(s.body.sessionId, 91);
      expect((await c.call('POST', '/v1/auth/heartbeat', { token: s.body.token })).status).toBe(401); // a lapsed session cannot come back
      expect(await sweepLapsedSessions(server.deps)).toBeGreaterThanOrEqual(1);
      expect(await c.endedReason(s.body.sessionId)).toBe('lapsed');
      expect((await c.login(b!.email)).status).toBe(200);
    });

    it('S3: a portal session lapses after 30 idle minutes, not after 90 s', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const u = await c.portalUser(t);
      const [b] = await c.appUsers(t, 1);
      const s = await c.login(u.email, 'portal');
      await c.ageSession(s.body.sessionId, 29 * 60);
      expect((await c.login(b!.email)).status).toBe(409);
      await c.ageSession(s.body.sessionId, 30 * 60 + 1);
      expect((await c.login(b!.email)).status).toBe(200);
    });

    it('S5: lowering seats below current use ends no session; new logins wait', async () => {
      const { id: t } = await c.tenant({ seats: 3 });
      const [a, b, d] = await c.appUsers(t, 3);
      const sa = await c.login(a!.email);
      await c.login(b!.email);
      expect((await c.provider('PATCH', `/v1/tenants/${t}`, { seats: 1 })).status).toBe(200);
      expect((await c.call('GET', '/v1/me', { token: sa.body.token })).status).toBe(200);
      const r = await c.login<ProblemBody>(d!.email);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ limit: 1, inUse: 2 });
    });

    it('S4: users can be created beyond the seats', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      await c.portalUser(t);
      await c.portalUser(t);
      const r = await c.provider<UserPage>('GET', `/v1/tenants/${t}/users`);
      expect(r.body.items.length).toBe(2);
    });

    it('B1: usage reports seats in use and the peak', async () => {
      const { id: t } = await c.tenant({ seats: 5 });
      const users = await c.appUsers(t, 3);
      const sessions = [];
      for (const u of users) sessions.push(await c.login(u.email));
      for (const s of sessions) await c.call('POST', '/v1/auth/logout', { token: s.body.token });
      await c.login(users[0]!.email);
      const usage = await c.provider<Usage>('GET', `/v1/tenants/${t}/usage`);
      expect(usage.status).toBe(200);
      expect(usage.body.seats).toMatchObject({ inUse: 1, limit: 5, peak: 3 });
    });
  });

  describe('item 8: audit', () => {
    it('every login, logout and refusal is audited with the client address', async () => {
      const { id: t } = await c.tenant({ seats: 1 });
      const [a, b] = await c.appUsers(t, 2);
      const s = await c.login(a!.email);
      await c.login(b!.email);
      await c.login(a!.email, 'app', 'a wrong password of some length');
      await c.call('POST', '/v1/auth/logout', { token: s.body.token });
      const rows = await server.deps.db
        .selectFrom('audit_log')
        .select(['action', 'client_addr', 'after', 'actor_id'])
        .where('tenant_id', '=', t)
        .orderBy('id')
        .execute();
      const actions = rows.map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_refused', 'auth.logout']));
      expect(rows.filter((r) => r.action.startsWith('auth.')).every((r) => r.client_addr === '127.0.0.1')).toBe(true);
      const refusals = rows
        .filter((r) => r.action === 'auth.login_refused')
        .map((r) => (r.after as { code: string }).code);
      expect(refusals).toEqual(expect.arrayContaining(['seats_exhausted', 'invalid_credentials']));
    });
  });
});

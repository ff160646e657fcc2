import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResult, User } from '../../src/contract/index.js';
import type { ProblemBody } from '../support/api.js';
import { anyNumber } from '../support/matchers.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { client, PASSWORD, uniqueEmail } from './support.js';

describeEachDatabase('identity: portal cookie, CSRF and throttling', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind);
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A login; the answer is a LoginResult unless the test says it expects a refusal (`login<ProblemBody>`). */
  const login = <T = LoginResult>(
    email: string,
    opts: { audience?: 'app' | 'portal'; password?: string; ip?: string } = {},
  ) =>
    c.call<T>('POST', '/v1/auth/login', {
      body: { email, password: opts.password ?? PASSWORD, audience: opts.audience ?? 'app' },
      ...(opts.ip ? { ip: opts.ip } : {}),
    });

  describe('I7: portal cookie with CSRF protection', () => {
    it('I7: the cookie authenticates reads; a state-changing request without the CSRF header is refused (csrf_failed)', async () => {
      const { id: t } = await c.tenant();
      const u = await c.portalUser(t, { permissions: ['website_access', 'manage_users'] });
      const s = await login(u.email, { audience: 'portal' });
      const cookies = { sb_session: s.body.token };
      const me = await c.call<User>('GET', '/v1/me', { cookies });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(u.id);

      const noHeader = await c.call('POST', '/v1/auth/logout', { cookies });
      expect(noHeader.status).toBe(403);
      expect(noHeader.body).toMatchObject({ code: 'csrf_failed', rule: 'I7' });
      const wrong = await c.call('DELETE', `/v1/tenants/${t}/users/${u.id}/sessions`, {
        cookies,
        headers: { 'x-csrf-token': 'forged' },
      });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('csrf_failed');
      expect((await c.call('GET', '/v1/me', { cookies })).status).toBe(200); // nothing happened

      const ok = await c.call('POST', '/v1/auth/logout', { cookies, headers: { 'x-csrf-token': s.body.csrfToken! } });
      expect(ok.status).toBe(204);
      expect(ok.cookies.find((k) => k.name === 'sb_session')?.value).toBe('');
      expect((await c.call('GET', '/v1/me', { cookies })).status).toBe(401);
    });

    it('I7: a cross-site form cannot post a login (only a JSON object body is accepted)', async () => {
      const { id: t } = await c.tenant();
      const u = await c.portalUser(t);
      const body = JSON.stringify({ email: u.email, password: PASSWORD, audience: 'portal' });
      const plain = await c.call('POST', '/v1/auth/login', { body, headers: { 'content-type': 'text/plain' } });
      expect(plain.status).toBeGreaterThanOrEqual(400);
      expect(plain.status).toBeLessThan(500);
      const form = await c.call('POST', '/v1/auth/login', {
        body: `email=${encodeURIComponent(u.email)}&password=x&audience=portal`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
    });

    it('I7: bearer tokens need no CSRF header (they are not sent by browsers on their own)', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      const s = await login(u!.email);
      expect((await c.call('POST', '/v1/auth/heartbeat', { token: s.body.token })).status).toBe(200);
    });

    it('I7: removing website access ends portal sessions but keeps app sessions', async () => {
      const { id: t } = await c.tenant();
      const admin = await c.portalUser(t, { permissions: ['website_access', 'manage_users'] });
      const u = await c.portalUser(t);
      void admin;
      const portal = await login(u.email, { audience: 'portal' });
      const app = await login(u.email, { audience: 'app' });
      expect(app.status).toBe(200);
      const r = await c.provider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { permissions: [] });
      expect(r.status).toBe(200);
      expect((await c.call('GET', '/v1/me', { token: portal.body.token })).status).toBe(401);
      expect((await c.call('GET', '/v1/me', { token: app.body.token })).status).toBe(200);
    });
  });

  describe('I4: throttling', () => {
    it('I4: after 5 failures an account is throttled (429), even with the right password, and unknown accounts alike', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      for (let i = 0; i < 5; i++)
        expect((await login(u!.email, { password: `wrong password number ${i}`, ip: '10.0.0.1' })).status).toBe(401);
      const locked = await login<ProblemBody>(u!.email, { ip: '10.0.0.2' });
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ code: 'rate_limited', rule: 'I4', retryAfter: anyNumber });

      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 5; i++)
        expect((await login(ghost, { password: `wrong password number ${i}`, ip: '10.0.0.3' })).status).toBe(401);
      const ghostLocked = await login<ProblemBody>(ghost, { ip: '10.0.0.4' });
      expect(ghostLocked.status).toBe(429);
      expect(Object.keys(ghostLocked.body).sort()).toEqual(Object.keys(locked.body).sort());
    });

    it('I4: after 50 failures from one address, that address is throttled; others are not', async () => {
      const { id: t } = await c.tenant();
      const [u] = await c.appUsers(t, 1);
      const ip = '10.9.9.9';
      for (let batch = 0; batch < 5; batch++) {
        const rs = await Promise.all(
          Array.from({ length: 10 }, () => login(uniqueEmail('spray'), { password: 'some guessed password', ip })),
        );
        expect(rs.every((r) => r.status === 401)).toBe(true);
      }
      expect((await login(u!.email, { ip })).status).toBe(429);
      expect((await login(u!.email, { ip: '10.9.9.8' })).status).toBe(200);
    });

    it('I4: unknown users and wrong passwords answer in comparable time', async () => {
      const { id: t } = await c.tenant();
      const users = await c.appUsers(t, 4);
      const time = async (f: () => Promise<unknown>) => {
        const s = performance.now();
        await f();
        return performance.now() - s;
      };
      let known = 0,
        unknown = 0;
      for (let i = 0; i < 4; i++) {
        known += await time(() => login(users[i]!.email, { password: 'not the password at all', ip: `10.7.0.${i}` }));
        unknown += await time(() =>
          login(uniqueEmail('nobody'), { password: 'not the password at all', ip: `10.7.1.${i}` }),
        );
      }
      const ratio = known / unknown;
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });

    it('I3/I4: password-reset requests are limited per address (@fastify/rate-limit)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++)
        statuses.push(
          (await c.call('POST', '/v1/auth/password-reset', { body: { email: uniqueEmail('r') }, ip: '10.5.5.5' }))
            .status,
        );
      expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
      expect(statuses[10]).toBe(429);
    });
  });
});

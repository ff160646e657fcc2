import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tenant } from '../../src/contract/index.js';
import { loadConfig } from '../../src/infra/config.js';
import { assertSessionPolicy } from '../../src/modules/sessions/session-policy.js';
import { sweepLapsedSessions } from '../../src/modules/sessions/sweeper.js';
import type { ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { client } from '../identity/support.js';

/**
 * S3 as tenant policies: the app-session lapse (default 90 s) and the portal idle time (default
 * 30 min) are the tenant's to choose within the provider's bounds; the seat check, the sweeper and
 * the sessions' `expiresAt` follow them. Time moves by ageing `last_seen_at`, never by sleeping.
 */
describeEachDatabase('tenant session policies (S3)', (kind) => {
  let server: TestServer;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(kind, { SWEEP_INTERVAL_MS: '60000' });
    c = client(server);
  });
  afterAll(() => server?.stop());

  const setPolicy = (t: string, sessionPolicy: object, token?: string) =>
    token
      ? c.call<Tenant>('PATCH', `/v1/tenants/${t}`, { token, body: { sessionPolicy } })
      : c.provider<Tenant>('PATCH', `/v1/tenants/${t}`, { sessionPolicy });

  it('S3: a tenant answers its policy, the defaults (90 s, 30 min) until it chooses', async () => {
    const { id: t } = await c.tenant();
    const r = await c.provider<Tenant>('GET', `/v1/tenants/${t}`);
    expect(r.body.sessionPolicy).toEqual({ appLapseSeconds: 90, portalIdleMinutes: 30 });
  });

  it('S3: a tenant with a 30 s app lapse releases a seat after 31 quiet seconds; a default tenant does not', async () => {
    const { id: fast } = await c.tenant({ seats: 1 });
    expect((await setPolicy(fast, { appLapseSeconds: 30 })).body.sessionPolicy).toEqual({
      appLapseSeconds: 30,
      portalIdleMinutes: 30,
    });
    const { id: slow } = await c.tenant({ seats: 1 });
    for (const [t, freed] of [
      [fast, true],
      [slow, false],
    ] as const) {
      const [a, b] = await c.appUsers(t, 2);
      const s = await c.login(a!.email);
      expect(s.status).toBe(200);
      const lapse = t === fast ? 30 : 90;
      expect(new Date(s.body.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + lapse * 1000 + 1000);
      expect(new Date(s.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + (lapse - 5) * 1000);
      await c.ageSession(s.body.sessionId, 31);
      expect((await c.login(b!.email)).status).toBe(freed ? 200 : 409);
    }
  });

  it('S3: open sessions take a new lapse at once, and the sweeper ends them by it', async () => {
    const { id: t } = await c.tenant({ seats: 1 });
    const [a, b] = await c.appUsers(t, 2);
    const s = await c.login(a!.email);
    await c.ageSession(s.body.sessionId, 40);
    expect((await c.login(b!.email)).status).toBe(409);
    expect((await setPolicy(t, { appLapseSeconds: 30 })).status).toBe(200);
    expect(await sweepLapsedSessions(server.deps)).toBeGreaterThanOrEqual(1);
    expect(await c.endedReason(s.body.sessionId)).toBe('lapsed');
    expect((await c.login(b!.email)).status).toBe(200);
  });

  it("S3: the portal idle time is the tenant's: 10 minutes frees a portal seat after 11 idle minutes", async () => {
    const { id: t } = await c.tenant({ seats: 1 });
    expect((await setPolicy(t, { portalIdleMinutes: 10 })).status).toBe(200);
    const u = await c.portalUser(t);
    const [b] = await c.appUsers(t, 1);
    const s = await c.login(u.email, 'portal');
    await c.ageSession(s.body.sessionId, 9 * 60);
    expect((await c.login(b!.email)).status).toBe(409);
    await c.ageSession(s.body.sessionId, 11 * 60);
    expect((await c.login(b!.email)).status).toBe(200);
  });

  it('S3: a value outside the provider bounds is 400 policy_out_of_bounds naming the field; nothing changes', async () => {
    const { id: t } = await c.tenant();
    for (const [policy, field] of [
      [{ appLapseSeconds: 29 }, '/sessionPolicy/appLapseSeconds'],
      [{ appLapseSeconds: 601 }, '/sessionPolicy/appLapseSeconds'],
      [{ portalIdleMinutes: 4 }, '/sessionPolicy/portalIdleMinutes'],
      [{ portalIdleMinutes: 721 }, '/sessionPolicy/portalIdleMinutes'],
    ] as const) {
      const r = await setPolicy(t, policy);
      expect(r.status).toBe(400);
      expect(r.body as unknown as ProblemBody).toMatchObject({ code: 'policy_out_of_bounds', rule: 'S3', field });
    }
    const after = await c.provider<Tenant>('GET', `/v1/tenants/${t}`);
    expect(after.body.sessionPolicy).toEqual({ appLapseSeconds: 90, portalIdleMinutes: 30 });
    // The provider sets the bounds for every tenant through the configuration.
    const strict = loadConfig({ SESSION_APP_LAPSE_MIN_SECONDS: '60' });
    expect(() => assertSessionPolicy(strict, { appLapseSeconds: 45 })).toThrow(/between 60 and 600/);
    expect(() => assertSessionPolicy(strict, { appLapseSeconds: 60 })).not.toThrow();
  });

  it("S3: a tenant administrator (settings:edit) sets the tenant's policy; a plain user neither sets nor sees it", async () => {
    const { id: t } = await c.tenant();
    const admin = await c.portalUser(t, { permissions: ['website_access', 'customer_settings'] });
    const plain = await c.portalUser(t);
    const adminToken = (await c.login(admin.email, 'portal')).body.token;
    const plainToken = (await c.login(plain.email, 'portal')).body.token;
    const set = await setPolicy(t, { appLapseSeconds: 45 }, adminToken);
    expect(set.status).toBe(200);
    expect(set.body.sessionPolicy?.appLapseSeconds).toBe(45);
    expect((await setPolicy(t, { appLapseSeconds: 60 }, plainToken)).status).toBe(403);
    const seen = await c.call<Tenant>('GET', `/v1/tenants/${t}`, { token: plainToken });
    expect(seen.status).toBe(200);
    expect(seen.body.sessionPolicy).toBeUndefined();
  });
});

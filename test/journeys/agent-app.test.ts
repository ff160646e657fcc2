import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  EffectiveConfig,
  LoginResult,
  PreferencesAnswer,
  Queue,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { sweepLapsedSessions } from '../../src/modules/sessions/sweeper.js';
import { api, uniqueEmail, type ApiClient, type Page } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { TestStream } from '../stream/support.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Journey: an agent's app. The phone system brings the agent (with a queue); the administrator gives
 * them a password and turns recording on; the app signs in, reads its effective configuration,
 * holds the tenant's one seat, hears the administrator's next change over the stream, lets its user
 * turn things off but never on (G10), and when the app goes quiet its seat is freed (S3).
 */
describeEachDatabase('journey: an agent app', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { SWEEP_INTERVAL_MS: '60000' });
    a = api(server);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A tenant with one seat, its phone system's agents (Ann, Bob) on a queue, each with a password set by the admin. */
  async function tenantWithAgents() {
    const tenant = await a.tenant({ plan: 'record', homeRegion: 'PL', seats: 1 });
    const t = tenant.id;
    const emails = { ann: uniqueEmail('ann'), bob: uniqueEmail('bob') };
    const agent = (externalId: string, displayName: string, email: string, extension: string) => ({
      externalId,
      displayName,
      email,
      extension,
      devices: [],
      acdQueues: ['q-sales'],
    });
    const sync = await a.asProvider('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      users: [agent('ext-ann', 'Ann Agent', emails.ann, '201'), agent('ext-bob', 'Bob Agent', emails.bob, '202')],
      queues: [{ externalId: 'q-sales', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 }],
    });
    expect(sync.status).toBe(200);
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users`)).body.items;
    const ann = users.find((u) => u.externalId === 'ext-ann')!;
    const bob = users.find((u) => u.externalId === 'ext-bob')!;
    const sales = (await a.asProvider<Page<Queue>>('GET', `/v1/tenants/${t}/queues`)).body.items.find(
      (q) => q.name === 'Sales',
    )!;
    for (const u of [ann, bob]) {
      const set = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${u.id}`, {
        password: PASSWORD,
        licences: ['essential', 'agent'],
        features: { channels: 'both', recording: true },
        contactCenter: { queues: { [sales.id]: ['agent'] } },
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
    }
    return { t, ann, bob, emails };
  }

  const login = <T = LoginResult>(email: string) =>
    a.call<T>('POST', '/v1/auth/login', { body: { email, password: PASSWORD, audience: 'app' } });

  it('I1, D1, S1, S2: the app signs in, reads its effective configuration and holds the one seat', async () => {
    const { t, ann, emails } = await tenantWithAgents();
    const s = await login(emails.ann);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ userId: ann.id, tenantId: t });
    const cfg = await a.call<EffectiveConfig>('GET', '/v1/me/config', { token: s.body.token });
    expect(cfg.status).toBe(200);
    expect(cfg.body).toMatchObject({ userId: ann.id, tenantId: t, status: 'active' });
    expect(cfg.body.features).toMatchObject({ calls: true, sms: true, recording: true, crmOverlay: true });
    // G14: the queue role the administrator gave is in the app's configuration, with its capabilities.
    const sales = cfg.body.queues.find((q) => q.name === 'Sales');
    expect(sales?.roles).toEqual(['agent']);
    // The second agent waits for the seat (S2: the limit and the count are in the answer).
    const refused = await login(emails.bob);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'seats_exhausted', limit: 1, inUse: 1 });
  });

  it("D2: the administrator's change reaches the signed-in app over the stream", async () => {
    const { t, ann, emails } = await tenantWithAgents();
    const s = await login(emails.ann);
    const stream = await TestStream.open(base, { token: s.body.token });
    try {
      const first = await stream.next();
      expect(first).toMatchObject({ type: 'config', config: { features: { recording: true } } });
      const edit = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${ann.id}`, {
        features: { recording: false },
      });
      expect(edit.status).toBe(200);
      const pushed = await stream.until((m) => m.type === 'config' && !m.config.features.recording);
      expect(pushed).toMatchObject({ type: 'config', config: { userId: ann.id, features: { recording: false } } });
      if (first.type === 'config' && pushed.type === 'config') expect(pushed.version).toBeGreaterThan(first.version);
    } finally {
      stream.close();
    }
  });

  it('G9, G10: the app user may turn recording and the CRM overlay off, never on against the admin', async () => {
    const { t, ann, emails } = await tenantWithAgents();
    const token = (await login(emails.ann)).body.token;
    const prefs = (body: unknown) => a.call<PreferencesAnswer>('PATCH', '/v1/me/preferences', { token, body });
    const off = await prefs({ recording: false });
    expect(off.status).toBe(200);
    expect(off.body.config.features.recording).toBe(false);
    // The admin turns the CRM overlay off; the user's preference to have it does not bring it back.
    expect(
      (await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ann.id}`, { features: { crmOverlay: false } })).status,
    ).toBe(200);
    const on = await prefs({ crmOverlay: true, recording: true });
    expect(on.status).toBe(200);
    expect(on.body.preferences).toEqual({ recording: true, crmOverlay: true });
    expect(on.body.config.features).toMatchObject({ recording: true, crmOverlay: false });
    const cfg = await a.call<EffectiveConfig>('GET', '/v1/me/config', { token });
    expect(cfg.body.features.crmOverlay).toBe(false);
  });

  it('S3: an app that stops its heartbeat lapses after 90 s; its seat goes to the next agent', async () => {
    const { emails } = await tenantWithAgents();
    const s = await login(emails.ann);
    expect((await a.call('POST', '/v1/auth/heartbeat', { token: s.body.token })).status).toBe(200);
    expect((await login(emails.bob)).status).toBe(409);
    // The app goes quiet: its last sign of life is 91 s ago.
    await sql`update sessions set last_seen_at = now() - interval '91 seconds' where id = ${s.body.sessionId}`.execute(
      server.deps.db,
    );
    expect((await a.call('GET', '/v1/me/config', { token: s.body.token })).status).toBe(401);
    expect(await sweepLapsedSessions(server.deps)).toBeGreaterThanOrEqual(1);
    const next = await login(emails.bob);
    expect(next.status).toBe(200);
  });
});

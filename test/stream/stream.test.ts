import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AccessAnswer, EffectiveConfig, PreferencesAnswer, User } from '../../src/contract/index.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { createTenant, http, insertPlatformUser, insertSession, TestStream } from './support.js';

describeEachDatabase('stream (SPEC 8)', (kind) => {
  let server: TestServer;
  let base: string;
  const db = () => server.deps.db;

  beforeAll(async () => {
    server = await startTestServer(kind);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function userWithSession(tenantId?: string) {
    const t = tenantId ?? (await createTenant(base));
    const u = await insertPlatformUser(db(), t);
    const s = await insertSession(db(), t, u);
    return { t, u, ...s };
  }
  const patchUser = (t: string, u: string, body: unknown) =>
    http<User>(base, 'PATCH', `/v1/tenants/${t}/users/${u}`, body);

  it('D1: the first message is the full effective configuration with its version, as GET /v1/me/config', async () => {
    const { token } = await userWithSession();
    const stream = await TestStream.open(base, { token });
    const first = await stream.next();
    expect(first.type).toBe('config');
    if (first.type !== 'config') return;
    const me = await http<EffectiveConfig>(base, 'GET', '/v1/me/config', undefined, token);
    expect(me.status).toBe(200);
    expect(first.config).toEqual(me.json);
    expect(first.version).toBe(me.json.version);
    expect(first.config.features).toMatchObject({ calls: true, sms: true, recording: false, crmOverlay: true });
    stream.close();
  });

  it('D1: browsers open the stream with a single-use ticket; no credentials, reuse and non-users are refused', async () => {
    const { token } = await userWithSession();
    const ticket = await http<{ ticket: string }>(base, 'POST', '/v1/stream/tickets', {}, token);
    expect(ticket.status).toBe(201);
    expect(ticket.json.ticket).toMatch(/^sbw_/);
    const stream = await TestStream.open(base, { ticket: ticket.json.ticket });
    expect((await stream.next()).type).toBe('config');
    await expect(TestStream.open(base, { ticket: ticket.json.ticket })).rejects.toMatchObject({ status: 401 });
    await expect(TestStream.open(base, {})).rejects.toMatchObject({ status: 401 });
    await expect(TestStream.open(base, { token: 'sbs_not-a-session' })).rejects.toMatchObject({ status: 401 });
    await expect(TestStream.open(base, { token: 'test-provider-token-0123456789abcdef' })).rejects.toMatchObject({
      status: 403,
    });
    stream.close();
  });

  it('D1: a plain GET without upgrade is told to upgrade', async () => {
    const { token } = await userWithSession();
    const r = await http(base, 'GET', '/v1/stream', undefined, token);
    expect(r.status).toBe(426);
  });

  it('D2, F4: a user edit reaches every client of that user, and only that user', async () => {
    const { t, u, token } = await userWithSession();
    const other = await userWithSession(t);
    const [a, b, c] = await Promise.all([
      TestStream.open(base, { token }),
      TestStream.open(base, { token }),
      TestStream.open(base, { token: other.token }),
    ]);
    const v0 = ((await a.next()) as { version: number }).version;
    await b.next();
    await c.next();
    const r = await patchUser(t, u, { features: { channels: 'calls' } });
    expect(r.status).toBe(200);
    for (const s of [a, b]) {
      const m = await s.next();
      expect(m.type).toBe('config');
      if (m.type === 'config') {
        expect(m.version).toBeGreaterThan(v0);
        expect(m.config.features.sms).toBe(false);
      }
    }
    expect(await c.pending()).toEqual([]);
    for (const s of [a, b, c]) s.close();
  });

  it('D2, G8: a plan downgrade turns recording off for every connected user, keeps the setting, and it returns on upgrade', async () => {
    const { t, u, token } = await userWithSession();
    expect((await patchUser(t, u, { features: { recording: true } })).status).toBe(200);
    const stream = await TestStream.open(base, { token });
    const first = await stream.next();
    expect(first.type === 'config' && first.config.features.recording).toBe(true);
    expect((await http(base, 'PATCH', `/v1/tenants/${t}`, { plan: 'reach' })).status).toBe(200);
    const down = await stream.next();
    expect(down.type === 'config' && down.config.features.recording).toBe(false);
    const stored = await http<User>(base, 'GET', `/v1/tenants/${t}/users/${u}`);
    expect(stored.json.features.recording).toBe(true);
    expect((await http(base, 'PATCH', `/v1/tenants/${t}`, { plan: 'record' })).status).toBe(200);
    const up = await stream.next();
    expect(up.type === 'config' && up.config.features.recording).toBe(true);
    stream.close();
  });

  it('D3: under 30 rapid changes versions strictly increase and the last change arrives', async () => {
    const { t, u, token } = await userWithSession();
    const stream = await TestStream.open(base, { token });
    await stream.next();
    let lastVersion = 0;
    for (let i = 0; i < 30; i++) {
      const r = await patchUser(t, u, {
        features: { dialRestriction: { enabled: true, allowedRegions: [['DE', 'FR', 'GB'][i % 3]!] } },
      });
      lastVersion = r.json.version;
    }
    const last = await stream.until((m) => m.type === 'config' && m.version >= lastVersion);
    expect(last.type === 'config' && last.config.features.dialRestriction.allowedRegions).toEqual([
      ['DE', 'FR', 'GB'][29 % 3],
    ]);
    const versions = stream.messages.filter((m) => m.type === 'config').map((m) => (m as { version: number }).version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    stream.close();
  });

  it('D4: reconnecting with the current version gets uptodate; with an old one, the current configuration', async () => {
    const { t, u, token } = await userWithSession();
    const s1 = await TestStream.open(base, { token });
    const first = (await s1.next()) as { version: number };
    s1.close();
    const s2 = await TestStream.open(base, { token, since: first.version });
    expect(await s2.next()).toEqual({ type: 'uptodate', version: first.version });
    s2.close();
    await patchUser(t, u, { features: { crmOverlay: false } });
    const s3 = await TestStream.open(base, { token, since: first.version });
    const m = await s3.next();
    expect(m.type).toBe('config');
    if (m.type === 'config') {
      expect(m.version).toBeGreaterThan(first.version);
      expect(m.config.features.crmOverlay).toBe(false);
    }
    s3.close();
  });

  it('D5, G13: suspension sends revoked and closes every stream of the user', async () => {
    const { t, u, token } = await userWithSession();
    const stream = await TestStream.open(base, { token });
    await stream.next();
    expect((await patchUser(t, u, { status: 'suspended' })).status).toBe(200);
    const m = await stream.until((x) => x.type === 'revoked');
    expect(m).toEqual({ type: 'revoked', reason: 'suspended' });
    expect(await stream.closed).toBe(4001);
    await expect(TestStream.open(base, { token })).rejects.toMatchObject({ status: 401 });
  });

  it('D5: a forced logout of one session closes the stream of that session only', async () => {
    const { t, u, token, sessionId } = await userWithSession();
    const second = await insertSession(db(), t, u);
    const [a, b] = await Promise.all([
      TestStream.open(base, { token }),
      TestStream.open(base, { token: second.token }),
    ]);
    await a.next();
    await b.next();
    expect((await http(base, 'DELETE', `/v1/tenants/${t}/sessions/${sessionId}`)).status).toBe(204);
    expect(await a.until((x) => x.type === 'revoked')).toEqual({ type: 'revoked', reason: 'forced_logout' });
    expect(await a.closed).toBe(4001);
    expect(await b.pending()).toEqual([]);
    b.close();
  });

  it('D6: an open stream keeps its session (and seat) alive; a stream whose session ended elsewhere is revoked', async () => {
    const { t, u, token, sessionId } = await userWithSession();
    const other = await insertSession(db(), t, u);
    const [a, b] = await Promise.all([TestStream.open(base, { token }), TestStream.open(base, { token: other.token })]);
    await a.next();
    await b.next();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '60 seconds'` })
      .where('id', '=', sessionId)
      .execute();
    await db()
      .updateTable('sessions')
      .set({ ended_at: new Date(), ended_reason: 'lapsed' })
      .where('id', '=', other.sessionId)
      .execute();
    await notify(server, { type: 'resync' });
    expect(await b.until((x) => x.type === 'revoked')).toEqual({ type: 'revoked', reason: 'session_ended' });
    const row = await db()
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(Date.now() - new Date(row.last_seen_at).getTime()).toBeLessThan(10_000);
    a.close();
  });

  it('D6: the stream answers application pings (browsers cannot send protocol pings)', async () => {
    const { token } = await userWithSession();
    const stream = await TestStream.open(base, { token });
    const first = (await stream.next()) as { version: number };
    stream.ws.send('{"type":"ping"}');
    expect(await stream.next()).toEqual({ type: 'pong', version: first.version });
    stream.close();
  });

  it('G9, G10: preferences only restrict; the effective value and its reason show in /config and /access', async () => {
    const { t, u, token } = await userWithSession();
    await patchUser(t, u, { features: { recording: true } });
    const stream = await TestStream.open(base, { token });
    await stream.next();
    const off = await http<PreferencesAnswer>(base, 'PATCH', '/v1/me/preferences', { recording: false }, token);
    expect(off.status).toBe(200);
    expect(off.json.preferences).toEqual({ recording: false, crmOverlay: true });
    expect(off.json.config.features.recording).toBe(false);
    const pushed = await stream.next();
    expect(pushed.type === 'config' && pushed.config.features.recording).toBe(false);
    const access = await http<AccessAnswer>(base, 'GET', `/v1/tenants/${t}/users/${u}/access`);
    if (access.status === 200)
      expect(access.json.capabilities['telephony:record']?.blockedBy).toContainEqual(
        expect.objectContaining({ rule: 'G10' }),
      );
    // G10: the admin turns recording off; the user's preference "on" does not bring it back.
    await patchUser(t, u, { features: { recording: false } });
    const on = await http<PreferencesAnswer>(base, 'PATCH', '/v1/me/preferences', { recording: true }, token);
    expect(on.json.preferences.recording).toBe(true);
    expect(on.json.config.features.recording).toBe(false);
    // G9: the CRM overlay needs both the admin setting and the preference.
    const crm = await http<PreferencesAnswer>(base, 'PATCH', '/v1/me/preferences', { crmOverlay: false }, token);
    expect(crm.json.config.features.crmOverlay).toBe(false);
    stream.close();
  });

  it("G10: preferences are the user's own: validated, and refused for provider tokens", async () => {
    const { token } = await userWithSession();
    expect((await http(base, 'PATCH', '/v1/me/preferences', { recording: 'yes' }, token)).status).toBe(400);
    expect((await http(base, 'PATCH', '/v1/me/preferences', { channels: 'both' }, token)).status).toBe(400);
    expect((await http(base, 'PATCH', '/v1/me/preferences', { recording: false })).status).toBe(403);
  });
});

/** Delivers a change event the way the bus does on this database (pg_notify on PostgreSQL, in-process on PGlite). */
async function notify(server: TestServer, event: Record<string, unknown>): Promise<void> {
  if (server.kind === 'postgres')
    await sql`select pg_notify('switchboard_changes', ${JSON.stringify(event)})`.execute(server.deps.db);
  else server.deps.bus.afterCommit([event as never]);
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../client/index.js';
import { ConfigStream, type ConfigChange, type WebSocketConstructor } from '../../client/stream.js';
import type { DialCheckAnswer, User } from '../../src/contract/index.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { createTenant, http, insertPlatformUser, insertSession } from './support.js';

describeEachDatabase('client SDK stream against a server (F4, D1-D4)', (kind) => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('F4: a saved change reaches the app as a change event; can/canDial follow it', async () => {
    const t = await createTenant(base, { plan: 'reach' });
    const u = await insertPlatformUser(server.deps.db, t);
    const { token } = await insertSession(server.deps.db, t, u);
    const stream = new ConfigStream({
      baseUrl: base,
      token,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    }).start();
    const first = await stream.ready();
    expect(stream.can('telephony:sms')).toBe(true);
    expect(stream.canDial('+44 20 7946 0958', 'call').allowed).toBe(true);
    const changes: ConfigChange[] = [];
    stream.on('change', (c) => changes.push(c));
    const r = await http<User>(base, 'PATCH', `/v1/tenants/${t}/users/${u}`, {
      features: { channels: 'calls', dialRestriction: { enabled: true, allowedRegions: [] } },
    });
    await stream.waitForVersion(r.json.version);
    expect(stream.version).toBeGreaterThan(first.version);
    expect(changes.at(-1)!.changed).toEqual(
      expect.arrayContaining(['capabilities', 'features.sms', 'features.dialRestriction']),
    );
    expect(stream.can('telephony:sms')).toBe(false);
    expect(stream.canDial('+44 20 7946 0958', 'call')).toMatchObject({ allowed: false, code: 'restricted' });
    // The local answer and the platform's dial-check API agree.
    const api = await http<DialCheckAnswer>(base, 'POST', `/v1/tenants/${t}/dial-check`, {
      userId: u,
      number: '+44 20 7946 0958',
      channel: 'call',
    });
    // The API's answer also says the version it was decided at (D7); the decision itself is the same.
    const { version, ...decision } = api.json;
    expect(version).toBeGreaterThanOrEqual(stream.version ?? 0);
    expect(decision).toEqual(stream.canDial('+44 20 7946 0958', 'call'));
    stream.stop();
  });

  it('D1: the browser path uses tickets from the REST client', async () => {
    const t = await createTenant(base);
    const u = await insertPlatformUser(server.deps.db, t);
    const { token } = await insertSession(server.deps.db, t, u);
    const sb = createClient({ baseUrl: base, token });
    const stream = new ConfigStream({
      baseUrl: base,
      getTicket: async () => (await sb.me.streamTicket()).ticket,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    }).start();
    const c = await stream.ready();
    expect(c.userId).toBe(u);
    stream.stop();
  });
});

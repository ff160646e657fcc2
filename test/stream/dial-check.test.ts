import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DialCheckAnswer, User } from '../../src/contract/index.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { createTenant, http, insertPlatformUser, insertSession } from './support.js';

describeEachDatabase('dial-check API (F3)', (kind) => {
  let server: TestServer;
  let base: string;
  let t: string, u: string, platformToken: string, userToken: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    t = await createTenant(base, { plan: 'reach', homeRegion: 'PL' });
    u = await insertPlatformUser(server.deps.db, t);
    userToken = (await insertSession(server.deps.db, t, u)).token;
    const pt = await http<{ id: string; token: string }>(base, 'POST', `/v1/tenants/${t}/platform-tokens`, {});
    expect(pt.status).toBe(201);
    platformToken = pt.json.token;
    const r = await http(base, 'PATCH', `/v1/tenants/${t}/users/${u}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: ['DE', 'US'] } },
    });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const check = (number: string, channel: 'call' | 'sms' = 'call', token = platformToken, userId = u, tenant = t) =>
    http<DialCheckAnswer>(base, 'POST', `/v1/tenants/${tenant}/dial-check`, { userId, number, channel }, token);

  it.each([
    ['+48 600 000 000', true, 'PL', 'home_region'], // home region, E.164
    ['22 123 45 67', true, 'PL', 'home_region'], // home region, national format
    ['0049 30 1234567', true, 'DE', 'allowed_region'], // listed, international prefix from PL
    ['+1 212 555 0123', true, 'US', 'allowed_region'], // +1 shared code: New York is US
    ['+1 416 555 0123', false, 'CA', 'restricted'], // +1 shared code: Toronto is CA, not listed
    ['+44 20 7946 0958', false, 'GB', 'restricted'],
    ['+800 1234 5678', false, null, 'restricted'], // non-geographic under a restriction
    ['call me maybe', false, null, 'invalid_number'],
    ['123', false, null, 'invalid_number'],
  ])('F3: the platform checks %s -> allowed %s (%s)', async (number, allowed, region, code) => {
    const r = await check(number);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      allowed,
      region,
      internal: false,
      code,
      rule: 'F3',
      version: expect.any(Number) as number,
    });
  });

  it('F3: SMS follows the same regions', async () => {
    expect((await check('+49 30 1234567', 'sms')).json).toMatchObject({ allowed: true, region: 'DE' });
    expect((await check('+44 20 7946 0958', 'sms')).json.code).toBe('restricted');
  });

  it('F1: a channel the admin turned off is refused whatever the number', async () => {
    const other = await insertPlatformUser(server.deps.db, t, {
      features: JSON.stringify({
        channels: 'calls',
        recording: false,
        crmOverlay: true,
        dialRestriction: { enabled: false, allowedRegions: [] },
      }),
    });
    expect((await check('+48 600 000 000', 'sms', platformToken, other)).json).toEqual({
      allowed: false,
      region: 'PL',
      internal: false,
      code: 'channel_not_allowed',
      rule: 'F1',
      version: expect.any(Number) as number,
    });
    expect((await check('+44 20 7946 0958', 'call', platformToken, other)).json).toMatchObject({
      allowed: true,
      region: 'GB',
    });
  });

  it('G8: on a plan without dial restriction the stored restriction is kept but off; it returns on upgrade', async () => {
    const t2 = await createTenant(base, { plan: 'reach', homeRegion: 'DE' });
    const u2 = await insertPlatformUser(server.deps.db, t2);
    await http(base, 'PATCH', `/v1/tenants/${t2}/users/${u2}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: [] } },
    });
    const dial = () =>
      http<DialCheckAnswer>(base, 'POST', `/v1/tenants/${t2}/dial-check`, {
        userId: u2,
        number: '+48 600 000 000',
        channel: 'call',
      });
    expect((await dial()).json.allowed).toBe(false);
    await http(base, 'PATCH', `/v1/tenants/${t2}`, { plan: 'basic' });
    expect((await dial()).json).toMatchObject({ allowed: true, region: 'PL', code: 'unrestricted' });
    await http(base, 'PATCH', `/v1/tenants/${t2}`, { plan: 'reach' });
    expect((await dial()).json.allowed).toBe(false);
  });

  it('G4: a manual (portal-only) user has no telephony: the refusal names the rule', async () => {
    const m = await http<User>(base, 'POST', `/v1/tenants/${t}/users`, { displayName: 'Portal only' });
    expect(m.status).toBe(201);
    expect((await check('+48 600 000 000', 'call', platformToken, m.json.id)).json).toMatchObject({
      allowed: false,
      code: 'platform_user_required',
      rule: 'G4',
    });
  });

  it('I6, E4: a user checks their own numbers; other users need users:view; other tenants are not found', async () => {
    expect((await check('+49 30 1234567', 'call', userToken)).json.allowed).toBe(true);
    const colleague = await insertPlatformUser(server.deps.db, t);
    expect((await check('+49 30 1234567', 'call', userToken, colleague)).status).toBe(403);
    const t3 = await createTenant(base);
    expect((await check('+49 30 1234567', 'call', platformToken, u, t3)).status).toBe(404);
    expect((await check('+49 30 1234567', 'call', platformToken, 'usr_nobody')).status).toBe(404);
  });

  it('E2: malformed bodies are 400 naming the field', async () => {
    const r = await http(
      base,
      'POST',
      `/v1/tenants/${t}/dial-check`,
      { userId: u, number: '+48 600 000 000', channel: 'fax' },
      platformToken,
    );
    expect(r.status).toBe(400);
    expect(
      (
        await http(
          base,
          'POST',
          `/v1/tenants/${t}/dial-check`,
          { userId: u, number: 'x'.repeat(100), channel: 'call' },
          platformToken,
        )
      ).status,
    ).toBe(400);
  });
});

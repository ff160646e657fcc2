import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  DialCheckAnswer,
  SnapshotResult,
  SnapshotUser,
  Tenant,
  User,
  UserPage,
} from '../../src/contract/index.js';
import { api, type ApiClient, type ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

/**
 * The phone system's side of dialling (F3, F5): it syncs its users (with their extensions), the
 * admin restricts one of them to the home region and Germany, and the PBX asks a dial check for
 * every number that user dials. Every answer says why.
 */

const snapUser = (n: number, extension: string): SnapshotUser => ({
  externalId: `pbx-${n}`,
  displayName: `Agent ${n}`,
  email: `agent${n}@pbx.example`,
  extension,
  devices: [
    {
      externalId: `desk-${n}`,
      name: `Desk ${n}`,
      kind: 'sip',
      sip: { username: `a${n}`, password: `s-${n}`, realm: 'pbx' },
    },
  ],
  acdQueues: [],
});

describeEachDatabase('journey: the phone system asks dial checks (F3, F5)', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let pbx: string;
  let anna: string;

  /** The phone system's snapshot of its users, as it syncs it (P1). */
  const sync = async (tenant: string, token: string, users: SnapshotUser[]) => {
    const r = await a.call<SnapshotResult>('PUT', `/v1/tenants/${tenant}/platform/snapshot`, {
      token,
      body: { users, queues: [] },
    });
    expect(r.status).toBe(200);
  };
  const platformToken = async (tenant: string) => {
    const r = await a.asProvider<{ id: string; token: string }>('POST', `/v1/tenants/${tenant}/platform-tokens`, {});
    expect(r.status).toBe(201);
    return r.body.token;
  };
  const userByExternalId = async (tenant: string, externalId: string) => {
    const page = await a.asProvider<UserPage>('GET', `/v1/tenants/${tenant}/users?limit=500`);
    const user = page.body.items.find((u) => u.externalId === externalId);
    if (!user) throw new Error(`no user ${externalId}`);
    return user.id;
  };
  /**
   * Asks a dial check as the phone system. Every answer carries the version it was decided at (D7);
   * that is checked here and left out of `body`, so each step compares only the decision itself.
   */
  const dial = async (
    number: string,
    opts: { channel?: 'call' | 'sms'; userId?: string; tenant?: string; token?: string } = {},
  ) => {
    const r = await a.call<DialCheckAnswer>('POST', `/v1/tenants/${opts.tenant ?? t}/dial-check`, {
      token: opts.token ?? pbx,
      body: { userId: opts.userId ?? anna, number, channel: opts.channel ?? 'call' },
    });
    if (r.status !== 200) return r;
    const { version, ...decision } = r.body;
    expect(version).toBeGreaterThan(0);
    return { ...r, body: decision };
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    t = (await a.tenant({ plan: 'reach', homeRegion: 'PL' })).id;
    pbx = await platformToken(t);
    await sync(t, pbx, [snapUser(1, '201'), snapUser(2, '202'), snapUser(3, '203')]);
    anna = await userByExternalId(t, 'pbx-1');
    const r = await a.asProvider<User>('PATCH', `/v1/tenants/${t}/users/${anna}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: ['DE'] } },
    });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(['112', '997', '998', '999', '+48112', '+48 997', '0048 112'])(
    'F5: the restricted PL user dials %s: emergency, allowed',
    async (number) => {
      const r = await dial(number);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ allowed: true, region: 'PL', internal: false, code: 'emergency', rule: 'F5' });
    },
  );

  it('F5, G4, G13: emergency numbers pass whatever the channel, the plan or the account state', async () => {
    expect((await dial('112', { channel: 'sms' })).body).toMatchObject({ allowed: true, code: 'emergency' });
    const portalOnly = await a.user(t); // a manual user: no telephony at all (G4)
    expect((await dial('+48 600 000 000', { userId: portalOnly.id })).body).toMatchObject({
      allowed: false,
      code: 'platform_user_required',
      rule: 'G4',
    });
    expect((await dial('112', { userId: portalOnly.id })).body).toMatchObject({ allowed: true, code: 'emergency' });
    // A suspended agent (G13) still reaches emergency services, and nothing else.
    await sync(t, pbx, [snapUser(1, '201'), snapUser(2, '202'), snapUser(3, '203'), snapUser(4, '204')]);
    const agent4 = await userByExternalId(t, 'pbx-4');
    expect((await a.asProvider('PATCH', `/v1/tenants/${t}/users/${agent4}`, { status: 'suspended' })).status).toBe(200);
    expect((await dial('+48 600 000 000', { userId: agent4 })).body).toMatchObject({
      allowed: false,
      code: 'account_inactive',
      rule: 'G13',
    });
    expect((await dial('997', { userId: agent4 })).body).toMatchObject({ allowed: true, code: 'emergency' });
  });

  it("F5: a colleague's extension and feature codes are internal calls, allowed", async () => {
    const internal = { allowed: true, region: null, internal: true, code: 'internal', rule: 'F5' };
    expect((await dial('202')).body).toEqual(internal);
    expect((await dial('203')).body).toEqual(internal);
    expect((await dial('*72')).body).toEqual(internal);
    expect((await dial('#31#')).body).toEqual(internal);
    // Digits that are nobody's extension are judged as a number.
    expect((await dial('299')).body).toEqual({
      allowed: false,
      region: null,
      internal: false,
      code: 'invalid_number',
      rule: 'F3',
    });
    // A forwarding code carrying a foreign target is not a feature code.
    expect((await dial('*72 0044 20 7946 0958')).body).toMatchObject({ allowed: false, internal: false });
  });

  it('F3: home region, allowed region, a foreign number and garbage each say why', async () => {
    expect((await dial('+48 600 000 000')).body).toEqual({
      allowed: true,
      region: 'PL',
      internal: false,
      code: 'home_region',
      rule: 'F3',
    });
    expect((await dial('22 123 45 67')).body).toMatchObject({ allowed: true, code: 'home_region' });
    expect((await dial('+49 30 1234567')).body).toEqual({
      allowed: true,
      region: 'DE',
      internal: false,
      code: 'allowed_region',
      rule: 'F3',
    });
    expect((await dial('+44 20 7946 0958')).body).toEqual({
      allowed: false,
      region: 'GB',
      internal: false,
      code: 'restricted',
      rule: 'F3',
    });
    expect((await dial('call me maybe')).body).toEqual({
      allowed: false,
      region: null,
      internal: false,
      code: 'invalid_number',
      rule: 'F3',
    });
    expect((await dial('+44 20 7946 0958', { channel: 'sms' })).body).toMatchObject({ code: 'restricted' });
  });

  it('F5: extensions are the tenant own: removed users and other tenants do not count', async () => {
    // The phone system drops agent 3: extension 203 no longer rings anywhere.
    await sync(t, pbx, [snapUser(1, '201'), snapUser(2, '202')]);
    expect((await dial('203')).body).toMatchObject({ allowed: false, internal: false, code: 'invalid_number' });
    expect((await dial('202')).body).toMatchObject({ allowed: true, code: 'internal' });
    // Another tenant's extension is not internal here.
    const other = (await a.tenant({ plan: 'reach', homeRegion: 'PL' })).id;
    await sync(other, await platformToken(other), [snapUser(9, '909')]);
    expect((await dial('909')).body).toMatchObject({ allowed: false, internal: false });
  });

  it('F5: a US tenant dials 911 (and not Polish 997)', async () => {
    const us = await a.tenant({ plan: 'reach', homeRegion: 'US' });
    const token = await platformToken(us.id);
    await sync(us.id, token, [snapUser(1, '7001')]);
    const bob = await userByExternalId(us.id, 'pbx-1');
    await a.asProvider('PATCH', `/v1/tenants/${us.id}/users/${bob}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: [] } },
    });
    const asUs = (number: string) => dial(number, { tenant: us.id, userId: bob, token });
    expect((await asUs('911')).body).toEqual({
      allowed: true,
      region: 'US',
      internal: false,
      code: 'emergency',
      rule: 'F5',
    });
    expect((await asUs('+1 911')).body).toMatchObject({ allowed: true, code: 'emergency' });
    expect((await asUs('997')).body).toMatchObject({ allowed: false, code: 'invalid_number' });
    expect((await asUs('(212) 555-0123')).body).toMatchObject({ allowed: true, region: 'US', code: 'home_region' });
    expect((await asUs('+48 600 000 000')).body).toMatchObject({ allowed: false, region: 'PL', code: 'restricted' });
  });

  it('F3, E2: region codes must be real regions of the phone-number metadata; XX, ZZ and pl are refused naming the field', async () => {
    const badHome = await a.asProvider<ProblemBody>('POST', '/v1/tenants', { name: 'Nowhere', homeRegion: 'XX' });
    expect(badHome.status).toBe(400);
    expect(badHome.body).toMatchObject({ code: 'validation_failed', field: '/homeRegion' });
    expect((await a.asProvider<ProblemBody>('PATCH', `/v1/tenants/${t}`, { homeRegion: 'ZZ' })).body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      field: '/homeRegion',
    });
    const badAllowed = await a.asProvider<ProblemBody>('PATCH', `/v1/tenants/${t}/users/${anna}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: ['DE', 'ZZ'] } },
    });
    expect(badAllowed.status).toBe(400);
    expect(badAllowed.body).toMatchObject({
      code: 'validation_failed',
      field: '/features/dialRestriction/allowedRegions/1',
    });
    const lower = await a.asProvider<ProblemBody>('PATCH', `/v1/tenants/${t}/users/${anna}`, {
      features: { dialRestriction: { enabled: true, allowedRegions: ['de'] } },
    });
    expect(lower.status).toBe(400);
    // Nothing was written: the restriction still lists DE only.
    expect((await a.asProvider<User>('GET', `/v1/tenants/${t}/users/${anna}`)).body.features.dialRestriction).toEqual({
      enabled: true,
      allowedRegions: ['DE'],
    });
    // Real codes pass, the tenant's home region among them.
    const ok = await a.asProvider<Tenant>('PATCH', `/v1/tenants/${t}`, { homeRegion: 'PL' });
    expect(ok.status).toBe(200);
  });

  it('F3: the OpenAPI document lists the region codes', async () => {
    const doc = await a.call<unknown>('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const enums: unknown[][] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === 'enum' && Array.isArray(child) && child.includes('PL')) enums.push(child);
          else walk(child);
        }
      }
    };
    walk(doc.body);
    expect(enums.length).toBeGreaterThan(0);
    for (const e of enums) {
      expect(e).toEqual(expect.arrayContaining(['PL', 'DE', 'US', 'GB', 'AU']));
      expect(e).not.toContain('XX');
      expect(e).not.toContain('ZZ');
    }
  });
});

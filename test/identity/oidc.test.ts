import { createServer, type Server as HttpServer } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcIssuer, SignInOption, User } from '../../src/contract/index.js';
import type { Call, Page } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { client, uniqueEmail } from './support.js';

/**
 * I2 end to end: a real OpenID provider (oidc-provider) on loopback; the browser is played by a
 * small cookie-keeping fetch loop; Switchboard is reached through inject at its public URL.
 */
const PUBLIC_URL = 'http://127.0.0.1:4999';
const CLIENT = { client_id: 'switchboard', client_secret: 'a-client-secret-for-tests-only-0123456789' };

describe('identity: OIDC sign-in against oidc-provider (I2)', () => {
  let idp: HttpServer;
  let issuer: string;
  let server: TestServer;
  let c: ReturnType<typeof client>;
  const accounts = new Map<string, { email: string; email_verified: boolean }>();
  let signInAs = '';

  beforeAll(async () => {
    idp = createServer();
    await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', () => ok()));
    issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          ...CLIENT,
          redirect_uris: [`${PUBLIC_URL}/v1/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      // oidc-provider awaits both, so plain values do.
      findAccount: (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: () => ({ sub: id, ...accounts.get(id) }),
      }),
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['oidc-test-cookie-key'] },
    });
    const callback = provider.callback();
    idp.on('request', (req, res) => {
      if (!req.url?.startsWith('/interaction/')) {
        void callback(req, res); // Koa: it answers its own errors
        return;
      }
      // The identity provider's login page: the test decides who signs in, and consents at once.
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: signInAs, clientId: details.params.client_id as string });
        grant.addOIDCScope('openid email profile');
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: signInAs }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
      })().catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    server = await startTestServer('pglite', { PUBLIC_URL });
    c = client(server);
  });
  afterAll(async () => {
    await server?.stop();
    idp.closeAllConnections();
    await new Promise<void>((ok) => idp.close(() => ok()));
  });

  /** Plays the browser: start at Switchboard, through the identity provider, back to the callback. */
  async function signIn(issuerId: string, account: string): Promise<{ callbackPath: string; result: Call }> {
    signInAs = account;
    const start = await c.call('GET', `/v1/auth/oidc/${issuerId}/start?returnTo=/users`);
    expect(start.status).toBe(302);
    let url = String(start.headers.location);
    expect(url.startsWith(issuer)).toBe(true);
    const u = new URL(url);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('state')).toBeTruthy();
    expect(u.searchParams.get('nonce')).toBeTruthy();
    const jar = new Map<string, string>();
    for (let hops = 0; hops < 10 && url.startsWith(issuer); hops++) {
      const r = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const sc of r.headers.getSetCookie()) {
        const [pair] = sc.split(';');
        const i = pair!.indexOf('=');
        jar.set(pair!.slice(0, i), pair!.slice(i + 1));
      }
      const next = r.headers.get('location');
      if (!next) throw new Error(`identity provider answered ${r.status}: ${await r.text()}`);
      url = new URL(next, url).href;
    }
    expect(url.startsWith(`${PUBLIC_URL}/v1/auth/oidc/callback`)).toBe(true);
    const callbackPath = url.slice(PUBLIC_URL.length);
    return { callbackPath, result: await c.call('GET', callbackPath) };
  }

  async function tenantWithIssuer() {
    const { id: t } = await c.tenant();
    const r = await c.provider<OidcIssuer>('POST', `/v1/tenants/${t}/oidc-issuers`, {
      name: 'Test IdP',
      issuer,
      clientId: CLIENT.client_id,
      clientSecret: CLIENT.client_secret,
    });
    expect(r.status).toBe(201);
    expect(r.body).not.toHaveProperty('clientSecret');
    return { t, issuerId: r.body.id };
  }

  it('I2: a user with website access signs in by verified email and gets a portal session cookie', async () => {
    const { t, issuerId } = await tenantWithIssuer();
    const u = await c.portalUser(t);
    accounts.set('alice', { email: u.email.toUpperCase(), email_verified: true });
    const { result } = await signIn(issuerId, 'alice');
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/users');
    const cookie = result.cookies.find((k) => k.name === 'sb_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await c.call<User>('GET', '/v1/me', { cookies: { sb_session: cookie!.value } });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(u.id);
    const audit = await server.deps.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('tenant_id', '=', t)
      .where('action', '=', 'auth.login')
      .execute();
    expect((audit[0]!.after as { method: string }).method).toBe(`oidc:${issuerId}`);
  });

  it('I2: a callback cannot be replayed (state is single-use)', async () => {
    const { t, issuerId } = await tenantWithIssuer();
    const u = await c.portalUser(t);
    accounts.set('bob', { email: u.email, email_verified: true });
    const { callbackPath, result } = await signIn(issuerId, 'bob');
    expect(result.status).toBe(302);
    const replay = await c.call('GET', callbackPath);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid_credentials');
  });

  it('I2: an unverified email, or one matching no website user, does not sign in', async () => {
    const { t, issuerId } = await tenantWithIssuer();
    const u = await c.portalUser(t);
    accounts.set('carol', { email: u.email, email_verified: false });
    const unverified = await signIn(issuerId, 'carol');
    expect(unverified.result.status).toBe(401);
    expect(unverified.result.body).toMatchObject({ code: 'invalid_credentials', rule: 'I2' });
    accounts.set('dave', { email: uniqueEmail('stranger'), email_verified: true });
    expect((await signIn(issuerId, 'dave')).result.status).toBe(401);
    // A user of the tenant without website access is not matched either (I2 matches among website users).
    const [appUser] = await c.appUsers(t, 1);
    accounts.set('erin', { email: appUser!.email, email_verified: true });
    expect((await signIn(issuerId, 'erin')).result.status).toBe(401);
  });

  it('I2, S2: OIDC sign-ins take seats like password logins', async () => {
    const { t, issuerId } = await tenantWithIssuer();
    await c.provider('PATCH', `/v1/tenants/${t}`, { seats: 1 });
    const [a, b] = [await c.portalUser(t), await c.portalUser(t)];
    accounts.set('a1', { email: a.email, email_verified: true });
    accounts.set('b1', { email: b.email, email_verified: true });
    expect((await signIn(issuerId, 'a1')).result.status).toBe(302);
    const refused = await signIn(issuerId, 'b1');
    expect(refused.result.status).toBe(409);
    expect(refused.result.body).toMatchObject({ code: 'seats_exhausted', limit: 1, inUse: 1 });
  });

  it('issuers are configured per tenant by settings:edit holders; a bad issuer is refused at once', async () => {
    const { id: t } = await c.tenant();
    const bad = await c.provider('POST', `/v1/tenants/${t}/oidc-issuers`, {
      name: 'Nowhere',
      issuer: 'http://127.0.0.1:1',
      clientId: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('/issuer');
    const plain = await c.provider('POST', `/v1/tenants/${t}/oidc-issuers`, {
      name: 'Plain',
      issuer: 'http://idp.example.com',
      clientId: 'x',
    });
    expect(plain.status).toBe(400);
    const { t: t2, issuerId } = await tenantWithIssuer();
    expect((await c.provider<Page<OidcIssuer>>('GET', `/v1/tenants/${t2}/oidc-issuers`)).body.items).toHaveLength(1);
    // Edited: a new name is saved; a URL whose discovery fails is refused and nothing changes; another tenant's is 404.
    const renamed = await c.provider<OidcIssuer>('PATCH', `/v1/tenants/${t2}/oidc-issuers/${issuerId}`, {
      name: 'Company sign-in',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Company sign-in', issuer, hasClientSecret: true });
    const moved = await c.provider('PATCH', `/v1/tenants/${t2}/oidc-issuers/${issuerId}`, {
      issuer: 'http://127.0.0.1:1',
    });
    expect(moved.body).toMatchObject({ code: 'validation_failed', field: '/issuer' });
    expect((await c.provider('PATCH', `/v1/tenants/${t}/oidc-issuers/${issuerId}`, { name: 'X' })).status).toBe(404);
    const listed = await c.provider<Page<OidcIssuer>>('GET', `/v1/tenants/${t2}/oidc-issuers`);
    expect(listed.body.items[0]).toMatchObject({ name: 'Company sign-in', issuer });
    expect((await c.provider('DELETE', `/v1/tenants/${t}/oidc-issuers/${issuerId}`)).status).toBe(404);
    expect((await c.provider('DELETE', `/v1/tenants/${t2}/oidc-issuers/${issuerId}`)).status).toBe(204);
    expect((await c.call('GET', `/v1/auth/oidc/${issuerId}/start`)).status).toBe(404);
  });

  it("I2: the sign-in page lists a tenant's issuers publicly, names and start paths only", async () => {
    const { t, issuerId } = await tenantWithIssuer();
    const list = await c.call<{ items: SignInOption[] }>('GET', `/v1/auth/oidc/issuers?tenant=${t}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(Object.keys(list.body.items[0]!).sort()).toEqual(['id', 'name', 'startPath']);
    expect(list.body.items[0]!.startPath).toBe(`/v1/auth/oidc/${issuerId}/start`);
    expect(
      (await c.call<{ items: SignInOption[] }>('GET', '/v1/auth/oidc/issuers?tenant=tnt_unknown')).body.items,
    ).toEqual([]);
    expect((await c.call('GET', '/v1/auth/oidc/issuers')).status).toBe(400);
  });
});

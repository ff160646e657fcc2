/**
 * The portal's identity flows in a real browser against a real server: forgot password and
 * invitation through the dev mailbox's links; the OIDC buttons of a tenant with an issuer and the
 * start of their sign-in. Screenshots go to test-results/screenshots/ (and docs/screenshots);
 * serious axe-core violations fail the run.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { expectAccessible, mailTo, ON_SERVER } from './support/portal.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';

describe.skipIf(!browserAvailable())('portal identity flows (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let seed: Seed;

  beforeAll(async () => {
    server = await startServer();
    seed = await seedTenant(server.url, 20);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('resets a forgotten password through the emailed link, then signs in with the new one', async () => {
    await seed.provider.users.create(seed.tenantId, {
      displayName: 'Rita Reset',
      email: 'rita@acme.example',
      password: PASSWORD,
      permissions: ['website_access', 'manage_users'],
    });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(`${server.url}/sign-in`);
    await p.getByRole('button', { name: 'Forgot password?' }).click();
    await p.getByLabel(/^Email/).fill('rita@acme.example');
    await p.getByRole('button', { name: 'Send reset link' }).click();
    await p.getByText(/a reset link is on its way/).waitFor();

    const mail = await mailTo(server.url, 'rita@acme.example', /password/i);
    const link = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(mail)?.[1];
    expect(link, mail).toBeTruthy();
    await p.goto(link!);
    await p.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    expect(await p.getByText(/At least 15 characters\. A few words work well/).count()).toBe(1);
    const fresh = 'orange kettle under the quiet bridge';
    await p.getByLabel(/^New password/).fill(fresh);
    await p.getByLabel(/^Repeat the new password/).fill(fresh);
    await screenshot(p, '22-reset-password', { docs: true });
    await expectAccessible(p, 'reset password');
    await p.getByRole('button', { name: 'Set new password' }).click();
    await p.getByRole('heading', { name: 'Password changed', level: 1 }).waitFor();
    await screenshot(p, '23-password-changed', { docs: true });

    // The link works once: opening it again explains that in plain words.
    const again = await ctx.newPage();
    await again.goto(link!);
    await again.getByLabel(/^New password/).fill(fresh);
    await again.getByLabel(/^Repeat the new password/).fill(fresh);
    await again.getByRole('button', { name: 'Set new password' }).click();
    await expect
      .poll(() => again.getByTestId('problem').textContent(), ON_SERVER)
      .toContain('expired or was already used');
    await again.close();

    // The old password no longer works; the new one does, through the sign-in page.
    const old = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rita@acme.example', password: PASSWORD, audience: 'portal' }),
    });
    expect(old.status).toBe(401);
    await p.getByRole('link', { name: 'Go to sign-in' }).click();
    await p.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await p.getByLabel(/^Email/).fill('rita@acme.example');
    await p.getByLabel(/^Password/).fill(fresh);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await ctx.close();
  });

  it('accepts an invitation through the emailed link', async () => {
    const invited = await seed.provider.users.create(seed.tenantId, {
      displayName: 'Ivo Invited',
      email: 'ivo@acme.example',
      permissions: ['website_access', 'manage_users'],
    });
    const sent = await seed.provider.auth.invite(seed.tenantId, invited.id);
    expect(sent.sentTo).toBe('ivo@acme.example');
    const mail = await mailTo(server.url, 'ivo@acme.example', /invit/i);
    const link = /(https?:\/\/\S+\/accept-invitation\?token=\S+)/.exec(mail)?.[1];
    expect(link, mail).toBeTruthy();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(link!);
    await p.getByRole('heading', { name: 'Welcome to Switchboard', level: 1 }).waitFor();
    // A password the policy refuses is explained before anything is sent.
    await p.getByLabel(/^New password/).fill('too short');
    await p.getByRole('button', { name: 'Set password' }).click();
    await p.getByText('Use at least 15 characters.').waitFor();
    const chosen = 'seven green lamps by the harbour';
    await p.getByLabel(/^New password/).fill(chosen);
    await p.getByLabel(/^Repeat the new password/).fill(chosen);
    await screenshot(p, '24-accept-invitation', { docs: true });
    await expectAccessible(p, 'accept invitation');
    await p.getByRole('button', { name: 'Set password' }).click();
    await p.getByRole('heading', { name: 'Your account is ready', level: 1 }).waitFor();
    await p.getByRole('link', { name: 'Go to sign-in' }).click();
    await p.getByLabel(/^Email/).fill('ivo@acme.example');
    await p.getByLabel(/^Password/).fill(chosen);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await ctx.close();
  });

  it('shows the OIDC buttons of a tenant with an issuer, and a button starts the sign-in with returnTo', async () => {
    // A minimal identity provider on loopback: its discovery document, and an authorization endpoint
    // that records where the browser was sent (the full round trip is tested in test/identity/oidc.test.ts).
    const authorizeRequests: URL[] = [];
    const idp: Server = createHttpServer((req, res) => {
      const base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            issuer: base,
            authorization_endpoint: `${base}/authorize`,
            token_endpoint: `${base}/token`,
            jwks_uri: `${base}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
          }),
        );
        return;
      }
      if (url.pathname === '/authorize') {
        authorizeRequests.push(url);
        res.setHeader('content-type', 'text/html');
        res.end(
          '<!doctype html><html lang="en"><title>Acme identity provider</title><main><h1>Acme identity provider</h1></main></html>',
        );
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', ok));
    try {
      const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      const created = await fetch(`${server.url}/v1/tenants/${seed.tenantId}/oidc-issuers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Acme Entra ID', issuer, clientId: 'switchboard-portal' }),
      });
      expect(created.status, await created.clone().text()).toBe(201);

      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await ctx.newPage();
      // A per-organisation sign-in link, as RequireSession builds it for a page the user wanted.
      await p.goto(
        `${server.url}/sign-in?tenant=${encodeURIComponent(seed.tenantId)}&next=${encodeURIComponent('/users?q=Needleman')}`,
      );
      const button = p.getByRole('link', { name: 'Sign in with Acme Entra ID' });
      await button.waitFor();
      expect(await p.getByLabel(/^Organisation ID/).count()).toBe(0);
      await screenshot(p, '25-sign-in-oidc', { docs: true });
      await expectAccessible(p, 'sign-in with OIDC');
      expect(await button.getAttribute('href')).toMatch(
        /^\/v1\/auth\/oidc\/[^/]+\/start\?returnTo=%2Fusers%3Fq%3DNeedleman$/,
      );

      // Without the link: the Organisation ID field, remembered for the next visit.
      const q = await ctx.newPage();
      await q.goto(`${server.url}/sign-in`);
      await q.getByLabel(/^Organisation ID/).fill(seed.tenantId);
      await q.getByRole('link', { name: 'Sign in with Acme Entra ID' }).waitFor();
      await q.reload();
      expect(await q.getByLabel(/^Organisation ID/).inputValue()).toBe(seed.tenantId);
      await q.getByRole('link', { name: 'Sign in with Acme Entra ID' }).waitFor();
      await q.close();

      await button.click();
      await p.getByRole('heading', { name: 'Acme identity provider' }).waitFor();
      const sentTo = authorizeRequests.at(-1)!;
      expect(sentTo.searchParams.get('client_id')).toBe('switchboard-portal');
      expect(sentTo.searchParams.get('code_challenge_method')).toBe('S256');
      expect(sentTo.searchParams.get('redirect_uri')).toBe(`${server.url}/v1/auth/oidc/callback`);
      await ctx.close();
    } finally {
      await new Promise((ok) => idp.close(ok));
    }
  });
});

/**
 * The admin portal's main flows in a real browser against a real server (issue #6): sign in; find a
 * user among thousands; A2; G1 greying; C2 refusal; profile matrix; role permission; usage; the live
 * app view updating after a change made in another browser context. Screenshots of every main
 * screen go to test-results/screenshots/; serious axe-core violations fail the run. Identity: forgot
 * password and invitation through the dev mailbox's links; OIDC buttons of a tenant with an issuer.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { seriousViolations } from './support/axe.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';

const run = browserAvailable();
const USERS = Number(process.env.E2E_USERS ?? 3000);
/**
 * For polls that wait on the server (a search among thousands of users, a save, a login refused
 * after scrypt): on a loaded 2-core CI machine these take seconds, past expect.poll's default 1 s.
 * Polls on state the page changes by itself (a draft after a click) keep the default.
 */
const ON_SERVER = { timeout: 15_000 };

describe.skipIf(!run)('admin portal (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let seed: Seed;
  let admin: BrowserContext;
  let page: Page;
  const pending: string[] = [];

  /** True when the server offers the endpoint (some screens land before their API). */
  async function offers(path: string): Promise<boolean> {
    const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${PROVIDER_TOKEN}` } });
    return r.status !== 404;
  }

  async function signIn(context: BrowserContext, email: string): Promise<Page> {
    const p = await context.newPage();
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel(/^Email/).fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    return p;
  }

  async function expectAccessible(p: Page, name: string): Promise<void> {
    const violations = await seriousViolations(p);
    if (violations.length) console.warn(`axe on ${name}:`, JSON.stringify(violations, null, 1));
    expect(violations, `serious axe-core violations on ${name}`).toEqual([]);
  }

  async function openUser(p: Page, query: string, tab: string): Promise<void> {
    await p.goto(`${server.url}/users?q=${encodeURIComponent(query)}`);
    await p.getByTestId('users-table').getByRole('link').first().click();
    await p.getByRole('tab', { name: tab }).click();
  }

  beforeAll(async () => {
    server = await startServer();
    try {
      seed = await seedTenant(server.url, USERS);
    } catch (e) {
      console.error(
        `seeding failed; server log:\n${server
          .log()
          .split('\n')
          .filter((l) => /error|"level":50/i.test(l))
          .slice(-10)
          .join('\n')}`,
      );
      throw e;
    }
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    if (pending.length) console.warn(`\nBrowser flows waiting on endpoints:\n  ${pending.join('\n  ')}\n`);
    await browser?.close();
    await server?.stop();
  });

  it('signs in with email and password, and explains a wrong password in plain words', async () => {
    const p = await admin.newPage();
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel(/^Organisation ID/).waitFor(); // the lazy page, not its loader
    await screenshot(p, '01-sign-in', { docs: true });
    await expectAccessible(p, 'sign-in');
    await p.getByLabel(/^Email/).fill('ada@acme.example');
    await p.getByLabel(/^Password/).fill('wrong password');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => p.getByTestId('problem').textContent(), ON_SERVER)
      .toContain('email or password is not right');
    await p.close();
    page = await signIn(admin, 'ada@acme.example');
  });

  it(`finds a user among ${USERS} (search, filters, virtualised paging)`, async () => {
    await expect.poll(() => page.getByTestId('users-count').textContent(), ON_SERVER).toMatch(/\d+ users/);
    const rows = await page.getByTestId('users-table').getByRole('row').count();
    expect(rows).toBeLessThan(120); // virtualised: only visible rows are in the DOM
    await screenshot(page, '02-users', { docs: true });
    await expectAccessible(page, 'users');
    // Scrolling to the end loads the next page from the server.
    const before = await page.getByTestId('users-count').textContent();
    await page
      .getByTestId('users-table')
      .locator('[role=rowgroup]')
      .nth(1)
      // Runs in the page; this file compiles without DOM types, hence the hand-written element type.
      .evaluate((el: { scrollTop: number; scrollHeight: number }) => {
        el.scrollTop = el.scrollHeight;
      });
    await expect.poll(() => page.getByTestId('users-count').textContent(), ON_SERVER).not.toBe(before);
    await page.getByLabel('Search').fill('Needleman');
    await expect
      .poll(() => page.getByTestId('users-table').getByRole('link').first().textContent(), ON_SERVER)
      .toBe('Zofia Needleman');
    await screenshot(page, '03-users-search');
  });

  it('greys permissions until website access, with the reason (G1); a supervisor level brings website access (A2)', async () => {
    await openUser(page, seed.plain.email ?? '', 'Portal access');
    const website = page.getByRole('switch', { name: 'Website access' });
    await expect.poll(() => website.isChecked(), ON_SERVER).toBe(false);
    const manageUsers = page.getByRole('checkbox', { name: 'Manage users' });
    expect(await manageUsers.isDisabled()).toBe(true);
    const reason = page.locator('[data-testid=disabled-reason][data-rules~=G1]').first();
    await expect.poll(() => reason.textContent(), ON_SERVER).toContain('Website access'); // greying from the server's preview
    await screenshot(page, '04-editor-greyed-g1', { docs: true });
    await expectAccessible(page, 'user editor');

    await page.getByRole('radio', { name: 'Report Supervisor', exact: true }).check();
    await expect.poll(() => website.isChecked(), ON_SERVER).toBe(true); // A2, as the server's preview says
    expect(await manageUsers.isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Review and save' }).click();
    const summary = page.getByTestId('change-summary');
    await expect.poll(() => summary.textContent()).toContain('Adds 1 Report Supervisor licence');
    await expect.poll(() => summary.textContent()).toContain('rule A2');
    await screenshot(page, '05-change-summary', { docs: true });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await seed.provider.users.get(seed.tenantId, seed.plain.id)).permissions, ON_SERVER)
      .toContain('website_access');
    expect((await seed.provider.users.get(seed.tenantId, seed.plain.id)).supervisorLevel).toBe('report');
  });

  it('refuses a billable change by an admin without Manage Billable Items, showing rule C2', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const clerk = await signIn(ctx, 'carl@acme.example');
    await openUser(clerk, 'user3@acme.example', 'Licences');
    await clerk.getByRole('checkbox', { name: 'CRM user add-on' }).check();
    await clerk.getByRole('button', { name: 'Review and save' }).click();
    await expect.poll(() => clerk.getByTestId('billable-impact').textContent()).toContain('rule C2');
    await clerk.getByRole('button', { name: 'Save changes' }).click();
    const problem = clerk.getByTestId('problem');
    await expect.poll(() => problem.getAttribute('data-rule'), ON_SERVER).toBe('C2');
    expect(await problem.textContent()).toContain('Manage Billable Items');
    await screenshot(clerk, '06-refused-c2', { docs: true });
    await ctx.close();
  });

  it('edits a profile matrix', async () => {
    if (!(await offers(`/v1/tenants/${seed.tenantId}/profiles`))) {
      pending.push('profile matrix: GET/POST /v1/tenants/{t}/profiles');
      return;
    }
    await page.goto(`${server.url}/profiles`);
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel(/^Name/).fill('Quality team');
    await page.getByRole('checkbox', { name: 'Reports: View' }).check();
    await page.getByRole('checkbox', { name: 'All actions of Campaigns' }).check();
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect
      .poll(
        async () =>
          (await seed.provider.profiles.list(seed.tenantId)).items.find((p) => p.name === 'Quality team')?.grants
            .length ?? 0,
        ON_SERVER,
      )
      .toBeGreaterThan(4);
    await expect.poll(() => page.getByTestId('profile-holders').textContent(), ON_SERVER).toMatch(/^\d+ holders?$/); // the server's count
    await screenshot(page, '07-profiles', { docs: true });
    await expectAccessible(page, 'profiles');
  });

  it('toggles a role permission, with viewQueueSettings locked on', async () => {
    if (!(await offers(`/v1/tenants/${seed.tenantId}/role-permissions`))) {
      pending.push('role permissions: GET/PUT /v1/tenants/{t}/role-permissions');
      return;
    }
    await page.goto(`${server.url}/role-permissions/supervisor`);
    const locked = page.getByRole('switch', { name: 'View queue settings' });
    expect(await locked.isChecked()).toBe(true);
    expect(await locked.isDisabled()).toBe(true);
    await page.getByRole('switch', { name: 'Manage queue settings' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        async () => (await seed.provider.rolePermissions.get(seed.tenantId)).supervisor.manageQueueSettings,
        ON_SERVER,
      )
      .toBe(true);
    await screenshot(page, '08-role-permissions', { docs: true });
    await expectAccessible(page, 'role permissions');
  });

  it('shows who changed what in the audit log, with the before/after diff of a real entry', async () => {
    await page.goto(`${server.url}/audit`);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    // The action in words (AU1: `role_permissions.update`), the actor by name (the entry's actorName).
    const row = page.getByRole('row').filter({ hasText: 'Role permissions changed' }).first();
    await expect.poll(() => row.textContent(), ON_SERVER).toContain('Ada Admin');
    await row.getByRole('button', { name: 'Show changes' }).click();
    const diff = page.getByTestId('audit-diff');
    await expect.poll(() => diff.textContent()).toContain('supervisor.manageQueueSettings');
    const line = diff.getByRole('row').filter({ hasText: 'supervisor.manageQueueSettings' });
    expect((await line.getByRole('cell').allTextContents()).slice(1)).toEqual(['false', 'true']);
    await screenshot(page, '14-audit-diff', { docs: true });
    await expectAccessible(page, 'audit diff');
  });

  it('shows usage and seats', async () => {
    await page.goto(`${server.url}/usage`);
    if (!(await offers(`/v1/tenants/${seed.tenantId}/usage`))) {
      pending.push('usage: GET /v1/tenants/{t}/usage');
      return;
    }
    await page.getByTestId('usage-table').waitFor();
    expect(await page.locator('[data-licence=essential]').textContent()).toMatch(/3[,.]?100/);
    await page.getByTestId('seats-chart').waitFor();
    await screenshot(page, '09-usage', { docs: true });
    await expectAccessible(page, 'usage');
  });

  it('updates the live app view after a change made in another browser context', async () => {
    const appCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const app = await appCtx.newPage();
    await app.goto(`${server.url}/live`);
    await app.getByLabel(/^Email/).fill(seed.agent.email ?? '');
    await app.getByLabel(/^Password/).fill(PASSWORD);
    await app.getByRole('button', { name: 'Connect as app' }).click();
    await expect.poll(() => app.getByTestId('live-version').textContent(), { timeout: 20_000 }).not.toBe('Version 0');
    const before = await app.getByTestId('live-version').textContent();

    await openUser(page, seed.agent.email ?? '', 'Portal access');
    await page.getByRole('radio', { name: 'Analytics Supervisor', exact: true }).check();
    await page.getByRole('button', { name: 'Review and save' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('change-summary').waitFor({ state: 'detached' });

    await expect.poll(() => app.getByTestId('live-version').textContent(), { timeout: 20_000 }).not.toBe(before);
    await expect.poll(() => app.getByTestId('live-supervisor-level').textContent()).toBe('Analytics Supervisor');
    await app.getByTestId('live-update').waitFor();
    await screenshot(app, '10-live-app-view', { docs: true });
    await appCtx.close();
  });

  it('takes screenshots of the other main screens (and checks them with axe)', async () => {
    const screens: Array<[string, string, string]> = [
      ['/groups', 'Groups', '11-groups'],
      ['/workspaces', 'Workspaces', '12-workspaces'],
      ['/queues', 'Queues', '13-queues'],
      ['/audit', 'Audit log', '14-audit'],
      ['/sessions', 'Sessions', '15-sessions'],
      ['/api-tokens', 'API tokens', '16-api-tokens'],
      ['/settings', 'Settings', '17-settings'],
    ];
    for (const [path, title, name] of screens) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, name);
      await expectAccessible(page, title);
    }
    await page.goto(`${server.url}/users/${seed.needle.id}/features`);
    await page.getByText('Country-code dialing restrictions').waitFor();
    await screenshot(page, '18-editor-features');
  });

  it('lets the provider manage tenants', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(`${server.url}/sign-in`);
    await p.getByRole('button', { name: 'Service provider?' }).click();
    await p.getByLabel(/^Provider token/).fill(PROVIDER_TOKEN);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/(users|provider)/);
    await p.getByRole('link', { name: 'Tenants' }).click();
    await p.getByRole('link', { name: 'Acme Contact Center' }).click();
    await p.getByRole('heading', { name: 'Licence caps' }).waitFor();
    await screenshot(p, '19-provider-tenant', { docs: true });
    await expectAccessible(p, 'provider tenant');
    await ctx.close();
  });

  /** The newest mail to `to` in the dev mailbox (provider token), waiting for it to arrive. */
  async function mailTo(to: string, subject: RegExp): Promise<string> {
    let text = '';
    await expect
      .poll(async () => {
        const r = await fetch(`${server.url}/v1/dev/mailbox?to=${encodeURIComponent(to)}`, {
          headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
        });
        const items = ((await r.json()) as { items: Array<{ id: number; subject: string; text: string }> }).items
          .filter((m) => subject.test(m.subject))
          .sort((a, b) => b.id - a.id);
        text = items[0]?.text ?? '';
        return text;
      }, ON_SERVER)
      .not.toBe('');
    return text;
  }

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

    const mail = await mailTo('rita@acme.example', /password/i);
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
    const mail = await mailTo('ivo@acme.example', /invit/i);
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

  /** The portal reads its language from localStorage `sb.lang` when it loads. */
  const setLanguage = (p: Page, lang: string) => p.evaluate(`localStorage.setItem('sb.lang', ${JSON.stringify(lang)})`);

  it('speaks German and Polish (plural forms from the catalog)', async () => {
    // The admin's tab: its session lives in sessionStorage, which a reload keeps.
    const p = page;
    try {
      await p.goto(`${server.url}/users`);
      await setLanguage(p, 'de');
      await p.reload();
      await p.getByRole('heading', { name: 'Benutzer', level: 1 }).waitFor();
      await expect.poll(() => p.getByTestId('users-count').textContent(), ON_SERVER).toMatch(/^\d+ Benutzer/);
      await screenshot(p, '20-users-de', { docs: true });

      await setLanguage(p, 'pl');
      await p.goto(`${server.url}/users/${seed.needle.id}/features`);
      await p.getByText('Ograniczenia kodów krajów', { exact: false }).first().waitFor();
      await p.getByRole('switch', { name: 'Nagrywanie rozmów' }).click();
      await expect
        .poll(() => p.getByRole('status').filter({ hasText: 'niezapisan' }).textContent())
        .toBe('1 niezapisana zmiana');
      await screenshot(p, '21-editor-pl', { docs: true });
      await expectAccessible(p, 'editor (Polish)');
    } finally {
      await setLanguage(p, 'en');
    }
  });
});

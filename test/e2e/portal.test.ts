/**
 * The admin portal's main flows in a real browser against a real server (issue #6): sign in; find a
 * user among thousands; A2; G1 greying; C2 refusal; profile matrix; role permission; usage; the live
 * app view updating after a change made in another browser context. Screenshots of every main
 * screen go to test-results/screenshots/; serious axe-core violations fail the run. The identity
 * flows (forgot password, invitation, OIDC buttons) are in portal-identity.test.ts.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { expectAccessible, ON_SERVER, signInAsProvider } from './support/portal.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';

const run = browserAvailable();
const USERS = Number(process.env.E2E_USERS ?? 3000);

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
    const p = await signInAsProvider(browser, server.url);
    await p.getByRole('link', { name: 'Tenants' }).click();
    await p.getByRole('link', { name: 'Acme Contact Center' }).click();
    await p.getByRole('heading', { name: 'Licence caps' }).waitFor();
    await screenshot(p, '19-provider-tenant', { docs: true });
    await expectAccessible(p, 'provider tenant');
    await p.context().close();
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

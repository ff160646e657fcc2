/**
 * The user editor's summary comes from the server's preview of the save (issue #12): giving a user the
 * CRM licence names the website access it brings (A2 counts the CRM add-on), with the billable impact,
 * before anything is saved; saving does exactly that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';

const ON_SERVER = { timeout: 15_000 };

describe.skipIf(!browserAvailable())('user editor: the summary is the server’s preview (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let seed: Seed;
  let page: Page;

  beforeAll(async () => {
    // E2E_URL: a server already running (with the e2e provider token), e.g. on a loaded machine where start-up is slow.
    server = process.env.E2E_URL
      ? { url: process.env.E2E_URL, stop: async () => {}, log: () => '' }
      : await startServer();
    seed = await seedTenant(server.url, 20);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(/^Email/).fill(seed.admin.email ?? '');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('X1, G1, A1: a greyed option shows the server’s reason with its rule id', async () => {
    await page.goto(`${server.url}/users/${encodeURIComponent(seed.plain.id)}/portal`);
    const manage = page.locator('[data-control="permission:manage_users"]');
    await manage.waitFor();
    // The greying is the preview's answer: it arrives from the server, and names rule G1.
    await expect.poll(() => manage.getAttribute('aria-describedby'), ON_SERVER).toBeTruthy();
    expect(await manage.isDisabled()).toBe(true);
    const reason = page.locator(`#${(await manage.getAttribute('aria-describedby'))!}`);
    expect(await reason.getAttribute('data-rules')).toBe('G1');
    expect(await reason.textContent()).toContain('rule G1');
    // Ticking website access opens it: the server weighs the new draft.
    await page.locator('[data-control="permission:website_access"]').check();
    await expect.poll(() => manage.isDisabled(), ON_SERVER).toBe(false);
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.goto(`${server.url}/users/${encodeURIComponent(seed.plain.id)}/licences`);
    const essential = page.locator('[data-control="licence:essential"]');
    await essential.waitFor();
    await expect.poll(() => essential.getAttribute('aria-describedby'), ON_SERVER).toBeTruthy();
    expect(await essential.isDisabled()).toBe(true);
    const locked = page.locator(`#${(await essential.getAttribute('aria-describedby'))!}`);
    expect(await locked.getAttribute('data-rules')).toBe('A1');
    await screenshot(page, '12-change-preview-greying');
  }, 120_000);

  it('A2: a CRM licence change names the website access it brings, and the save gives it', async () => {
    const before = await seed.provider.users.get(seed.tenantId, seed.plain.id);
    expect(before.permissions).not.toContain('website_access');
    await page.goto(`${server.url}/users/${encodeURIComponent(seed.plain.id)}/licences`);
    const crm = page.getByRole('checkbox', { name: 'CRM user add-on' });
    await crm.waitFor();
    await crm.check();
    await page.getByRole('button', { name: 'Review and save' }).click();
    const summary = page.getByTestId('change-summary');
    await expect.poll(() => summary.textContent(), ON_SERVER).toContain('Website access (automatic, rule A2)');
    expect(await summary.textContent()).toContain('CRM user add-on');
    await expect.poll(() => summary.textContent(), ON_SERVER).toContain('Adds 1');
    await screenshot(page, '12-change-preview-crm');
    // Nothing is saved by the preview.
    expect((await seed.provider.users.get(seed.tenantId, seed.plain.id)).version).toBe(before.version);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await seed.provider.users.get(seed.tenantId, seed.plain.id)).permissions, ON_SERVER)
      .toContain('website_access');
    expect((await seed.provider.users.get(seed.tenantId, seed.plain.id)).licences).toContain('crm');
  }, 120_000);
});

/**
 * The provider in the portal (issue 10 item 9): defines a calls-only plan, puts a tenant on it, then
 * suspends the tenant; the tenant's admin, signed in meanwhile in another browser, is signed out and
 * refused at the next sign-in with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createClient, type SwitchboardClient } from '../../client/index.js';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { ON_SERVER, signInAsProvider } from './support/portal.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD } from './support/seed.js';

describe.skipIf(!browserAvailable())('provider: plans and suspension (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let provider: SwitchboardClient;
  let tenantId: string;
  const tenantName = `Suspension Test ${Date.now()}`;
  const adminEmail = `admin.${Date.now()}@suspend.example`;
  const planKey = `calls-only-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = process.env.E2E_URL
      ? { url: process.env.E2E_URL, stop: async () => {}, log: () => '' }
      : await startServer();
    provider = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    const tenant = await provider.tenants.create({ name: tenantName, plan: 'basic', homeRegion: 'PL' });
    tenantId = tenant.id;
    await provider.users.create(tenantId, {
      displayName: 'Tess Admin',
      email: adminEmail,
      password: PASSWORD,
      permissions: ['website_access', 'manage_users'],
    });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('SPEC 7, S3, D5: a calls-only plan is defined and assigned; suspending the tenant signs its admin out and refuses her', async () => {
    // The tenant's admin works in the portal.
    const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await adminCtx.newPage();
    await admin.goto(`${server.url}/sign-in`);
    await admin.getByLabel(/^Email/).fill(adminEmail);
    await admin.getByLabel(/^Password/).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    // The provider defines a calls-only plan.
    const p = await signInAsProvider(browser, server.url);
    await p.getByRole('link', { name: 'Plans' }).click();
    await p.getByRole('heading', { name: 'Plans', level: 1 }).waitFor();
    await p.getByTestId('plan-basic').waitFor();
    await p.getByRole('button', { name: 'New plan' }).click();
    const form = p.getByRole('dialog');
    await form.getByLabel(/^Key/).fill(planKey);
    await form.getByLabel(/^Name/).fill('Calls only');
    await form.getByLabel('SMS').uncheck();
    await form.getByRole('button', { name: 'Create' }).click();
    await p.getByTestId(`plan-${planKey}`).waitFor();
    expect(await p.getByTestId(`plan-${planKey}`).textContent()).toContain('Calls only');
    await screenshot(p, '40-provider-plans');

    // ... and puts the tenant on it.
    await p.getByRole('link', { name: 'Tenants' }).click();
    await p.getByRole('link', { name: tenantName }).click();
    await p.getByRole('heading', { name: 'Plan and seats' }).waitFor();
    await p.getByRole('textbox', { name: 'Plan' }).click();
    await p.getByRole('option', { name: /^Calls only/ }).click();
    await p.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await provider.tenants.get(tenantId)).plan, ON_SERVER).toBe(planKey);
    expect((await provider.tenants.get(tenantId)).planFeatures).toEqual(['calls']);

    // Suspension, confirmed with what follows.
    await p.getByRole('button', { name: 'Suspend tenant' }).click();
    const confirm = p.getByRole('dialog');
    expect(await confirm.textContent()).toContain('signed out at once');
    await confirm.getByRole('button', { name: 'Suspend tenant' }).click();
    await p.getByTestId('tenant-status').getByText('Suspended', { exact: true }).waitFor();
    await screenshot(p, '41-provider-tenant-suspended');
    expect((await provider.tenants.get(tenantId)).status).toBe('suspended');

    // The admin's session ended: the next page load is the sign-in page; signing in again is refused with the reason.
    await admin.reload();
    await admin.getByRole('button', { name: 'Sign in' }).waitFor();
    await admin.getByLabel(/^Email/).fill(adminEmail);
    await admin.getByLabel(/^Password/).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByText(/suspended by its service provider/).waitFor();
    await screenshot(admin, '42-admin-refused-suspended');
    await adminCtx.close();
    await p.context().close();
  }, 240_000);
});

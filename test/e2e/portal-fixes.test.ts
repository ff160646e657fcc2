/**
 * Portal defects of the seams issue, in a real browser against a real server: signing in when one
 * email and password open accounts in two organisations (G2), and the session living in the HttpOnly
 * cookie, not in storage. (The Groups tab's crash is covered by groups-tab.test.tsx.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';

const run = browserAvailable();
const ON_SERVER = { timeout: 15_000 };

describe.skipIf(!run)('portal fixes (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let seed: Seed;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    seed = await seedTenant(server.url, 30);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page that records uncaught errors (a crash shows up here before any assertion). */
  async function newPage(viewport = { width: 1280, height: 900 }): Promise<{ p: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport });
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    return { p, errors };
  }

  async function signIn(p: Page, email: string): Promise<void> {
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel(/^Email/).fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  it('G2: one email and password in two organisations: the person chooses, and the session is the cookie alone', async () => {
    const email = 'consultant@partner.example';
    const other = await seed.provider.tenants.create({ name: 'Globex Support', plan: 'basic', homeRegion: 'DE' });
    for (const t of [seed.tenantId, other.id])
      await seed.provider.users.create(t, {
        displayName: 'Cora Consultant',
        email,
        password: PASSWORD,
        permissions: ['website_access', 'manage_users'],
      });
    const { p, errors } = await newPage();
    await signIn(p, email);
    await p.getByText(/open accounts in several organisations/).waitFor(ON_SERVER);
    await screenshot(p, '30-sign-in-choose-organisation');
    await p.getByRole('button', { name: 'Globex Support' }).click();
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    await p.getByText('Globex Support').first().waitFor();

    // No token in script-readable storage; a reload stays signed in through the HttpOnly cookie.
    const stored = await p.evaluate<string>('JSON.stringify({ s: { ...sessionStorage }, l: { ...localStorage } })');
    expect(stored).not.toMatch(/sbs_/);
    expect(await p.evaluate<string>('document.cookie')).not.toMatch(/sb_session/);
    await p.reload();
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    expect(errors).toEqual([]);
    await p.context().close();
  });
});

/**
 * Portal defects of the seams issue, in a real browser against a real server: signing in (portal and
 * live app view) when one email and password open accounts in two organisations (G2), the session
 * living in the HttpOnly cookie, not in storage; ticking a group in the user editor (it crashed);
 * the header on a phone; a delegated admin's menu lacking what they may not open; deleting a group
 * saying what happens to its members.
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

  it("ticking a group in the user editor's Groups tab works, and the change is saved by name", async () => {
    const { p, errors } = await newPage();
    await signIn(p, seed.admin.email!);
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    await p.goto(`${server.url}/users/${seed.needle.id}/groups`);
    await p.getByRole('checkbox', { name: 'Night shift' }).check(ON_SERVER);
    expect(await p.getByRole('checkbox', { name: 'Night shift' }).isChecked()).toBe(true);
    await p.getByRole('button', { name: 'Review and save' }).click();
    await p
      .getByText(/Night shift/)
      .first()
      .waitFor();
    await p.getByRole('button', { name: 'Save changes' }).click();
    await p.getByRole('button', { name: 'Review and save' }).waitFor(ON_SERVER);
    const saved = await seed.provider.users.get(seed.tenantId, seed.needle.id);
    expect(saved.groups.length).toBe(1);
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it('the header fits a phone (375 px): no horizontal scroll (the users table scrolls inside), sign-out reachable', async () => {
    const { p, errors } = await newPage({ width: 375, height: 740 });
    await signIn(p, seed.admin.email!);
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    const overflow = await p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const header = await p.locator('header').boundingBox();
    expect(header!.width).toBeLessThanOrEqual(375);
    const signOut = await p.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(375);
    await screenshot(p, '31-header-phone');
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it("C1, C7: a delegated Manage-Users admin's menu lacks what they may not open; opening it directly says so", async () => {
    const { p, errors } = await newPage();
    await signIn(p, seed.clerk.email!);
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    const menu = p.getByRole('navigation', { name: 'Main navigation' });
    await menu.getByRole('link', { name: 'Users' }).waitFor();
    const items = await menu.getByRole('link').allTextContents();
    expect(items).toContain('Sessions');
    for (const hidden of ['Role permissions', 'Usage and seats', 'API tokens']) expect(items).not.toContain(hidden);
    await p.goto(`${server.url}/role-permissions`);
    await p.getByTestId('not-allowed').waitFor(ON_SERVER);
    await screenshot(p, '32-delegated-menu', { docs: true });
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it('deleting a group says how many members leave it and whose primary group it is', async () => {
    const group = await seed.provider.groups.create(seed.tenantId, { name: 'Temporary team' });
    const member = await seed.provider.users.get(seed.tenantId, seed.plain.id);
    await seed.provider.users.update(
      seed.tenantId,
      member.id,
      { groups: [...member.groups, group.id], primaryGroup: group.id },
      member.version,
    );
    const { p, errors } = await newPage();
    await signIn(p, seed.admin.email!);
    await p.getByRole('heading', { name: 'Users', level: 1 }).waitFor(ON_SERVER);
    await p.goto(`${server.url}/groups`);
    await p.getByRole('button', { name: 'Delete Temporary team' }).click(ON_SERVER);
    const said = p.getByTestId('group-delete-members');
    await said.waitFor(ON_SERVER);
    expect(await said.textContent()).toMatch(/1 user is a member.*For 1 of them it is the primary group/s);
    await screenshot(p, '33-delete-group', { docs: true });
    await p.getByRole('button', { name: 'Delete group' }).click();
    await p.getByRole('button', { name: 'Delete Temporary team' }).waitFor({ state: 'detached', ...ON_SERVER });
    const after = await seed.provider.users.get(seed.tenantId, member.id);
    expect(after.primaryGroup).toBeNull();
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it('G2: the live app view offers the choice of organisation when the same email and password open two', async () => {
    const email = 'roaming.agent@partner.example';
    const other = await seed.provider.tenants.create({ name: 'Initech Helpdesk', plan: 'basic', homeRegion: 'PL' });
    for (const t of [seed.tenantId, other.id])
      await seed.provider.users.create(t, { displayName: 'Rita Roaming', email, password: PASSWORD });
    const { p, errors } = await newPage();
    await p.goto(`${server.url}/live`);
    await p.getByLabel(/^Email/).fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Connect as app' }).click();
    await p.getByText(/open accounts in several organisations/).waitFor(ON_SERVER);
    await p.getByRole('button', { name: 'Initech Helpdesk' }).click();
    await p.getByTestId('live-version').waitFor(ON_SERVER);
    expect(errors).toEqual([]);
    await p.context().close();
  });
});

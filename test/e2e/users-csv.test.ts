/**
 * Users as CSV in the portal (P3), in a real browser against a real server: the users page's export
 * button downloads the list's users; the import wizard uploads an edited file, previews every row
 * (with a row's error, its column and rule), applies the valid rows and shows the result.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../client/index.js';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD } from './support/seed.js';

const ON_SERVER = { timeout: 20_000 };

describe.skipIf(!browserAvailable())('users CSV in the portal (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let tenantId: string;

  beforeAll(async () => {
    server = await startServer();
    const provider = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    tenantId = (await provider.tenants.create({ name: 'CSV Co', plan: 'record', homeRegion: 'PL' })).id;
    await provider.users.create(tenantId, {
      displayName: 'Ada Admin',
      email: 'ada@csv.example',
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
    });
    await provider.users.create(tenantId, { displayName: 'Bea Before', email: 'bea@csv.example' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(/^Email/).fill('ada@csv.example');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('P3: exports the users, then imports an edited file: preview with a row error, apply the valid rows, result', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('users-export').click()]);
    expect(download.suggestedFilename()).toBe('users.csv');
    const exported = readFileSync(await download.path(), 'utf8');
    expect(exported.startsWith('\uFEFF')).toBe(true);
    expect(exported).toContain('Bea Before');

    // Rename Bea, add a new user, and a row the rules refuse (manage_users without website access: G1).
    const edited =
      `${exported.replace('Bea Before', 'Bea After').trimEnd()}\r\n` +
      [
        ',,,,Cleo New,cleo@csv.example,active,,none,,own,,,false,both,false,true,',
        ',,,,Dan Refused,,active,,none,manage_users,own,,,false,both,false,true,',
      ].join('\r\n');

    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import users from CSV', level: 1 }).waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'users.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(edited, 'utf8'),
    });
    await page.getByLabel('Only the valid rows').check();
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), ON_SERVER).toContain('1 to create');
    expect(await page.getByTestId('import-summary').textContent()).toContain('1 with errors');
    const refused = page.getByTestId('import-errors').locator('tr[data-rule="G1"]');
    await expect.poll(() => refused.count()).toBe(1);
    expect(await refused.getAttribute('data-row')).toBe('5');
    await screenshot(page, 'users-import-preview');

    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), ON_SERVER)
      .toContain('1 created, 1 changed');
    await screenshot(page, 'users-import-result');

    const client = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    const names = (await client.users.list(tenantId)).items.map((u) => u.displayName);
    expect(names).toEqual(['Ada Admin', 'Bea After', 'Cleo New']);
  });

  it('P3: a large file shows its progress as it is checked: the bar moves while the import runs (embedded database)', async () => {
    const rows = 6000;
    const big = ['displayName', ...Array.from({ length: rows }, (_, i) => `Bulk ${String(i).padStart(5, '0')}`)];
    await page.goto(`${server.url}/users/import`);
    await page.getByRole('heading', { name: 'Import users from CSV', level: 1 }).waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(big.join('\n'), 'utf8'),
    });
    await page.getByRole('button', { name: 'Check file' }).click();
    const bar = page.getByTestId('import-progress').getByRole('progressbar');
    const summary = page.getByTestId('import-summary');
    const values = new Set<number>();
    // Read the bar until the preview shows (the portal's own requests answer while the import runs).
    while (!(await summary.isVisible())) {
      const now = await bar.getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
      if (now !== null) values.add(Number(now));
    }
    expect([...values].some((v) => v > 0 && v < 100)).toBe(true);
    await expect.poll(() => summary.textContent(), ON_SERVER).toMatch(/6[,.\u00a0\u202f]?000 to create/);
  });
});

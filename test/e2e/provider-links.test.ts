/**
 * The provider's links and WebSockets in a real browser (D1): the provider signs in with its token
 * (kept in the page's memory, no cookie), downloads every tenant's usage as CSV through a plain link
 * and watches a tenant's live statistics streamed over the WebSocket, each opened with a single-use
 * ticket for that one path.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createClient, type SwitchboardClient } from '../../client/index.js';
import { browserAvailable, launchBrowser } from './support/browser.js';
import { ON_SERVER, signInAsProvider } from './support/portal.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';

describe.skipIf(!browserAvailable())('provider: usage CSV link and live statistics stream (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let provider: SwitchboardClient;
  const tenantName = `Links Test ${Date.now()}`;

  beforeAll(async () => {
    server = process.env.E2E_URL
      ? { url: process.env.E2E_URL, stop: async () => {}, log: () => '' }
      : await startServer();
    provider = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    await provider.tenants.create({ name: tenantName, plan: 'record', homeRegion: 'PL' });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('D1: Usage CSV and a calls export download with a ticket for their path; live statistics stream instead of polling', async () => {
    const p = await signInAsProvider(browser, server.url);
    const sockets: string[] = [];
    p.on('websocket', (ws) => sockets.push(ws.url()));
    expect((await p.context().cookies()).some((c) => c.name === 'sb_session')).toBe(false);

    // Within the page: a reload would forget the token (it lives in memory only).
    const nav = p.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Tenants' }).click();
    await p.getByRole('link', { name: tenantName }).waitFor();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('usage-csv').click()]);
    expect(download.suggestedFilename()).toBe('usage.csv');
    expect(download.url()).toMatch(/\/v1\/usage\?format=csv&ticket=sbu_/);
    expect(await readFile(await download.path(), 'utf8')).toContain(tenantName);

    // A tenant's calls report exports the same way (the export's own filters kept).
    await nav.getByRole('link', { name: 'Reports' }).click();
    const [report] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-calls').click()]);
    expect(report.url()).toMatch(/\/v1\/tenants\/[^/]+\/reports\/calls\/records\?.*format=csv.*&ticket=sbu_/);
    expect(await readFile(await report.path(), 'utf8')).toMatch(/^id,startedAt,/);

    await nav.getByRole('link', { name: 'Live statistics' }).click();
    await expect.poll(() => p.getByTestId('live-transport').getAttribute('data-transport'), ON_SERVER).toBe('stream');
    expect(sockets.some((u) => /\/v1\/tenants\/[^/]+\/live\/stream\?ticket=sbu_/.test(u))).toBe(true);
    await p.context().close();
  }, 120_000);
});

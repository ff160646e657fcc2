/**
 * The call-data screens in the browser (issue 14): a Report Supervisor sees the reports but the dashboard
 * greyed with its rule (G15); an admin raises the level through the API and the open dashboard becomes
 * available without signing in again (the config stream); the wallboard follows call records as the
 * phone system sends them (CD1, CD3); a supervisor of the sales queue with Silent Monitor sees a call in
 * progress on the live statistics and asks to listen, and the phone system's webhook consumer receives
 * call.monitor_requested (CD5, G11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { User } from '../../client/index.js';
import type { IngestResult } from '../../src/contract/index.js';
import { seriousViolations } from './support/axe.js';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { PASSWORD, seedTenant, type Seed } from './support/seed.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ON_SERVER = { timeout: 20_000 };

describe.skipIf(!browserAvailable())('call data: reports, dashboard greying and the wallboard (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let seed: Seed;
  let page: Page;
  let supervisor: User;
  let platformToken: string;
  const phoneSystem = new WebhookReceiver();
  const allowPrivate = process.env.WEBHOOK_ALLOW_PRIVATE;

  /** Sends call records as the phone system does (a platform token), between two synced users. */
  async function ingestCalls(count: number, prefix: string): Promise<IngestResult> {
    // Just now: the users hold Essential since the seed's sync a moment ago, and a call is stored by the
    // licences held when it started (CD1).
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const records = Array.from({ length: count }, (_, i) => ({
      id: `${prefix}-${i}`,
      startedAt,
      direction: 'internal',
      from: { number: '1003', user: 'pbx-3' },
      to: { number: '1004', user: 'pbx-4' },
      disposition: i % 2 ? 'no_answer' : 'answered',
      waitSeconds: 5,
      talkSeconds: i % 2 ? 0 : 60,
    }));
    const r = await fetch(`${server.url}/v1/tenants/${seed.tenantId}/platform/call-records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    expect(r.status).toBe(200);
    return (await r.json()) as IngestResult;
  }

  async function expectAccessible(name: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, `serious axe-core violations on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    // The phone system's webhook consumer is on loopback: the operator's switch that allows it (the server
    // inherits this environment).
    process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
    server = process.env.E2E_URL
      ? { url: process.env.E2E_URL, stop: async () => {}, log: () => '' }
      : await startServer();
    seed = await seedTenant(server.url, 20);
    platformToken = (await seed.provider.tenants.createPlatformToken(seed.tenantId)).token;
    supervisor = await seed.provider.users.create(seed.tenantId, {
      displayName: 'Rita Reporter',
      email: 'rita.reporter@acme.example',
      password: PASSWORD,
      permissions: ['website_access'],
      supervisorLevel: 'report',
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(/^Email/).fill(supervisor.email ?? '');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }, 300_000);

  afterAll(async () => {
    if (allowPrivate === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE;
    else process.env.WEBHOOK_ALLOW_PRIVATE = allowPrivate;
    await browser?.close();
    await server?.stop();
    await phoneSystem.stop();
  });

  it('CD3, G15: a Report Supervisor opens the reports; the dashboard is listed but greyed with the level it needs', async () => {
    // Reports is the first screen this supervisor may open, so signing in leads there.
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor(ON_SERVER);
    await page.getByTestId('report-table').waitFor(ON_SERVER);
    expect(await page.getByTestId('report-schedules').getAttribute('href')).toBe('/reports/schedules');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    const greyed = page.getByTestId('screen-greyed');
    await greyed.waitFor(ON_SERVER);
    expect(await greyed.getAttribute('data-rule')).toBe('G15');
    expect(await greyed.textContent()).toContain('Needs Analytics Supervisor (rule G15)');
    expect(await page.getByTestId('chart-per-hour').count()).toBe(0);
    await screenshot(page, '14-dashboard-greyed');
    // Recordings need the playback permission, which no supervisor level gives (CD4).
    await nav.getByRole('link', { name: 'Recordings' }).click();
    await expect.poll(() => greyed.getAttribute('data-rule'), ON_SERVER).toBe('CD4');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => greyed.getAttribute('data-rule'), ON_SERVER).toBe('G15');
  }, 120_000);

  it('G15, D1: raising the level through the API opens the dashboard on the open page, without signing in again', async () => {
    const current = await seed.provider.users.get(seed.tenantId, supervisor.id);
    await seed.provider.users.update(seed.tenantId, supervisor.id, { supervisorLevel: 'analytics' }, current.version);
    await page.getByTestId('chart-per-hour').waitFor(ON_SERVER);
    expect(await page.getByTestId('screen-greyed').count()).toBe(0);
    expect(page.url()).toMatch(/\/dashboard$/);
  }, 120_000);

  it('CD1, CD3: the wallboard follows call records as the phone system sends them', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Wallboard' }).click();
    const total = page.getByTestId('figure-total-value');
    await expect.poll(() => total.textContent(), ON_SERVER).toBe('0');
    const first = await ingestCalls(3, 'wb-a');
    expect(first, JSON.stringify(first)).toMatchObject({ stored: 3 });
    await expect.poll(() => total.textContent(), ON_SERVER).toBe('3');
    expect(await page.getByTestId('figure-answered-value').textContent()).toBe('2');
    expect(await page.getByTestId('figure-missed-value').textContent()).toBe('1');
    await ingestCalls(2, 'wb-b');
    await expect.poll(() => total.textContent(), ON_SERVER).toBe('5');
    await screenshot(page, '14-wallboard');
    await expectAccessible('wallboard');
  }, 120_000);

  it('CD3: the report shows the calls per user with a chart, and a row drills down to its calls', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Reports' }).click();
    const rows = page.locator('[data-testid="report-table"] tbody tr');
    // Each call is modelled for both of its users (both hold Essential): two rows of five calls.
    await expect.poll(() => rows.count(), ON_SERVER).toBe(2);
    expect(await page.locator('[data-testid="report-chart"] .recharts-surface').count()).toBe(1);
    const href = await page.getByTestId('export-report').getAttribute('href');
    expect(href).toMatch(/reports\/calls\?.*format=csv/);
    // The link downloads with the session cookie the page holds (the API streams the CSV).
    const csv = await page.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
    await rows.first().getByRole('button').click();
    const calls = page.locator('[data-testid="call-list"] tbody tr');
    await expect.poll(() => calls.count(), ON_SERVER).toBe(5);
    await screenshot(page, '14-reports');
    await expectAccessible('reports');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('figure-total-value').textContent(), ON_SERVER).toBe('5');
    // Calls per hour are drawn (Mantine Charts), not only listed; the answer rate is a ring with its parts in words.
    await expect
      .poll(() => page.locator('[data-testid="chart-per-hour"] .recharts-surface').count(), ON_SERVER)
      .toBe(1);
    expect(await page.getByTestId('answer-rate-slices').textContent()).toBe('Answered 3 · Missed 2');
    await screenshot(page, '14-dashboard');
    await expectAccessible('dashboard');
  }, 120_000);

  it('CD3, G15: at Live Analytics the live statistics stream opens; agents per queue stay greyed for Contact Center', async () => {
    const current = await seed.provider.users.get(seed.tenantId, supervisor.id);
    await seed.provider.users.update(seed.tenantId, supervisor.id, { supervisorLevel: 'live' }, current.version);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Live statistics' }).click();
    await expect
      .poll(() => page.getByTestId('live-transport').getAttribute('data-transport'), ON_SERVER)
      .toBe('stream');
    const greyed = page.getByTestId('screen-greyed');
    expect(await greyed.getAttribute('data-screen')).toBe('liveAgents');
    expect(await greyed.textContent()).toContain('Needs Contact Center Supervisor (rule G15)');
    await screenshot(page, '14-live-statistics');
    await expectAccessible('live statistics');
  }, 120_000);

  it('CD5, G11: a supervisor of the sales queue sees a call in progress there and asks to listen; the phone system receives the request', async () => {
    const t = seed.tenantId;
    const hook = await seed.provider.http.request<{ secret: string }>('POST', `/v1/tenants/${t}/webhooks`, {
      body: { url: await phoneSystem.start(), events: ['call.monitor_requested'], description: 'phone system' },
    });
    // pbx-10 answers the sales queue (the seed assigns it there) and holds the Agent add-on from now.
    const find = async (email: string) => (await seed.provider.users.list(t, { q: email, limit: 1 })).items[0]!;
    const agent = await find('user10@acme.example');
    await seed.provider.users.update(t, agent.id, { licences: ['essential', 'agent'] }, agent.version);
    // Queue roles are for platform users (G14): pbx-5 supervises the sales queue, with Silent Monitor.
    const sales = (await seed.provider.queues.list(t)).items.find((q) => q.name === 'Sales')!.id;
    const lead = await find('user5@acme.example');
    await seed.provider.users.update(
      t,
      lead.id,
      {
        password: PASSWORD,
        permissions: ['website_access', 'silent_monitor'],
        supervisorLevel: 'live',
        contactCenter: { queues: { [sales]: ['supervisor'] } },
      },
      lead.version,
    );
    const leadPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await leadPage.goto(`${server.url}/sign-in`);
    await leadPage.getByLabel(/^Email/).fill('user5@acme.example');
    await leadPage.getByLabel(/^Password/).fill(PASSWORD);
    await leadPage.getByRole('button', { name: 'Sign in' }).click();
    await leadPage.getByRole('navigation', { name: 'Main navigation' }).waitFor(ON_SERVER);
    await leadPage.goto(`${server.url}/live-statistics`);
    await expect
      .poll(() => leadPage.getByTestId('live-transport').getAttribute('data-transport'), ON_SERVER)
      .toBe('stream');

    const at = new Date().toISOString();
    const event = (id: string, type: string) => ({
      id,
      at,
      user: 'pbx-10',
      type,
      queue: 'q-sales',
      conversationId: 'e2e-live-1',
      callerNumber: '+48221230001',
    });
    const r = await fetch(`${server.url}/v1/tenants/${t}/platform/agent-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: [event('e2e-ev-1', 'offered'), event('e2e-ev-2', 'answered')] }),
    });
    expect(await r.json()).toMatchObject({ stored: 2 });

    const row = leadPage.locator('[data-testid="live-calls"] tr[data-conversation="e2e-live-1"]');
    await expect.poll(() => row.getAttribute('data-state'), ON_SERVER).toBe('talking');
    expect(await row.textContent()).toContain('+48221230001');
    const monitor = row.getByRole('button', { name: 'Monitor the call from +48221230001' });
    expect(await monitor.getAttribute('aria-disabled')).toBeNull();
    await monitor.click();
    const dialog = leadPage.getByRole('dialog', { name: 'Monitor this call?' });
    await dialog.waitFor(ON_SERVER);
    expect(await dialog.getByRole('radio', { name: /Listen/ }).isChecked()).toBe(true);
    await screenshot(leadPage, '14-live-monitor-confirm');
    await dialog.getByRole('button', { name: 'Send the request' }).click();
    await expect
      .poll(() => row.getByTestId('monitor-requested').textContent(), ON_SERVER)
      .toBe('Listen: request sent to the phone system');

    const [delivered] = await phoneSystem.inbox.waitFor(
      (items) => items.some((x) => x.json.type === 'call.monitor_requested'),
      'call.monitor_requested at the phone system',
      ON_SERVER.timeout,
    );
    expect(WebhookReceiver.verify(delivered!, hook.secret)).toMatchObject({
      type: 'call.monitor_requested',
      data: { conversationId: 'e2e-live-1', mode: 'listen', queueId: sales },
    });
    await screenshot(leadPage, '14-live-calls');
    expect(await seriousViolations(leadPage), 'serious axe-core violations on the calls in progress').toEqual([]);
  }, 120_000);
});

/**
 * The webhooks screen (W1) in a real browser against a real server and a receiver on loopback (the
 * server runs with WEBHOOK_ALLOW_PRIVATE): an administrator subscribes an endpoint, sees its secret
 * once, sends a test event that the receiver gets and verifies with the `standardwebhooks` package,
 * finds it in the delivery log (the screen passes axe-core), and after disabling the endpoint nothing
 * more arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { createClient } from '../../client/index.js';
import { WebhookReceiver, type Received } from '../support/webhook-receiver.js';
import { seriousViolations } from './support/axe.js';
import { browserAvailable, launchBrowser, screenshot } from './support/browser.js';
import { PROVIDER_TOKEN, startServer, type RunningServer } from './support/server.js';
import { PASSWORD } from './support/seed.js';

const ON_SERVER = { timeout: 30_000 };

describe.skipIf(!browserAvailable())('webhooks in the portal (browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let tenantId: string;
  const receiver = new WebhookReceiver();
  let hookUrl: string;
  const before = process.env.WEBHOOK_ALLOW_PRIVATE;

  beforeAll(async () => {
    hookUrl = await receiver.start();
    // The receiver is on loopback: the operator's switch that allows it (the server inherits this environment).
    process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
    server = await startServer();
    const provider = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    tenantId = (await provider.tenants.create({ name: 'Hook Co', plan: 'record', homeRegion: 'PL' })).id;
    await provider.users.create(tenantId, {
      displayName: 'Wanda Webhooks',
      email: 'wanda@hooks.example',
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'webhook_admin'],
    });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(/^Email/).fill('wanda@hooks.example');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  }, 300_000);

  afterAll(async () => {
    if (before === undefined) delete process.env.WEBHOOK_ALLOW_PRIVATE;
    else process.env.WEBHOOK_ALLOW_PRIVATE = before;
    await browser?.close();
    await server?.stop();
    await receiver.stop();
  });

  const arrived = (match: (r: Received) => boolean, what: string) =>
    receiver.inbox.waitFor((items) => items.some(match), what, ON_SERVER.timeout);

  it('W1: subscribe, the secret once, a test event verified by the receiver and in the delivery log; disabled, nothing more arrives', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New endpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^URL/).fill(hookUrl);
    await dialog.getByLabel(/^Description/).fill('CRM sync');
    // Event types come from the server's catalogue.
    await dialog.getByRole('textbox', { name: /^Event types/ }).fill('user.created');
    await page.getByRole('option', { name: /^user\.created/ }).click();
    // The list stays open for more picks; a click above it closes it.
    await dialog.getByLabel(/^URL/).click();
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();

    const secret = (await page.getByTestId('webhook-secret').textContent())!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const row = page.getByTestId('webhook-row').filter({ hasText: hookUrl });
    await expect.poll(() => row.getAttribute('data-enabled')).toBe('true');
    await screenshot(page, 'webhooks-secret-once');
    // Shown once: closed, it is nowhere on the screen, and a reload does not bring it back.
    await page.getByTestId('webhook-secret-once').getByRole('button', { name: 'Close' }).click();
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // A test event: the receiver gets it, signed with the secret the screen showed.
    await row.getByRole('button', { name: 'Send test event' }).click();
    const queued = (await page.getByTestId('webhook-test-queued').textContent())!;
    const messageId = /msg_[A-Za-z0-9_-]+/.exec(queued)![0];
    const [test] = (await arrived((r) => r.id === messageId, 'the test event')).filter((r) => r.id === messageId);
    const payload = new Webhook(secret).verify(test!.body, {
      'webhook-id': test!.id,
      'webhook-timestamp': test!.timestamp,
      'webhook-signature': test!.signature,
    });
    expect(payload).toMatchObject({ type: 'webhook.test', tenantId, origin: 'portal' });

    // The delivery log shows it delivered, with the receiver's 200 in its attempt.
    const logRow = page.getByTestId('delivery-row').filter({ hasText: messageId });
    await expect.poll(() => logRow.getAttribute('data-status'), ON_SERVER).toBe('delivered');
    await logRow.getByRole('button', { name: /Show attempts/ }).click();
    expect(await page.getByTestId('attempt-row').first().textContent()).toMatch(/200/);
    await screenshot(page, '26-webhooks-delivery-log', { docs: true });
    // The screen with its log open passes axe-core (no serious or critical violation).
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);

    // A real change reaches the subscribed endpoint too.
    const provider = createClient({ baseUrl: server.url, token: PROVIDER_TOKEN });
    const first = await provider.users.create(tenantId, { displayName: 'Before Disable' });
    await arrived((r) => r.json.type === 'user.created' && r.json.data.userId === first.id, 'user.created');

    // Disabled: the next change is not delivered.
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row.getAttribute('data-enabled'), ON_SERVER).toBe('false');
    const second = await provider.users.create(tenantId, { displayName: 'After Disable' });
    await new Promise((r) => setTimeout(r, 4000));
    expect(receiver.inbox.items.some((r) => r.json.data.userId === second.id)).toBe(false);
  });
});

/** What the portal's browser flows share: waits on the server, the axe check, the dev mailbox, the provider's sign-in. */
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { PROVIDER_TOKEN } from './server.js';

/**
 * For polls that wait on the server (a search among thousands of users, a save, a login refused
 * after scrypt): on a loaded 2-core CI machine these take seconds, past expect.poll's default 1 s.
 * Polls on state the page changes by itself (a draft after a click) keep the default.
 */
export const ON_SERVER = { timeout: 15_000 };

/** Fails on serious axe-core violations of the page, printing them. */
export async function expectAccessible(p: Page, name: string): Promise<void> {
  const violations = await seriousViolations(p);
  if (violations.length) console.warn(`axe on ${name}:`, JSON.stringify(violations, null, 1));
  expect(violations, `serious axe-core violations on ${name}`).toEqual([]);
}

/** The newest mail to `to` in the dev mailbox (provider token), waiting for it to arrive. */
export async function mailTo(serverUrl: string, to: string, subject: RegExp): Promise<string> {
  let text = '';
  await expect
    .poll(async () => {
      const r = await fetch(`${serverUrl}/v1/dev/mailbox?to=${encodeURIComponent(to)}`, {
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

/** A page of a new browser context signed in as the provider (the provider token on the sign-in page). */
export async function signInAsProvider(browser: Browser, serverUrl: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(`${serverUrl}/sign-in`);
  await p.getByRole('button', { name: 'Service provider?' }).click();
  await p.getByLabel(/^Provider token/).fill(PROVIDER_TOKEN);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/(users|provider)/);
  return p;
}

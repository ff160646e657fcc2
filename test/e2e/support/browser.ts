/**
 * Chromium for the browser flows: Debian's /usr/bin/chromium driven by playwright-core (never a
 * downloaded browser). Without it the flows skip loudly, unless REQUIRE_BROWSER=1 (then they fail).
 */
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `\n*** Browser flows SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium). Set REQUIRE_BROWSER=1 to fail instead. ***\n`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(msg);
  console.warn(msg);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot to test-results/screenshots/<name>.png (and docs/screenshots when asked). */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  // Transitions finish before the picture, so a modal is never caught half-faded in.
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
  if (opts.docs && process.env.E2E_DOCS_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(file, join(ROOT, 'docs/screenshots', `${name}.png`));
  }
}

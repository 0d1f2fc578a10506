// Shared steps for the console's browser tests: a real server, Debian's Chromium, and the offer form.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startServer, type TestServer } from '../support/server.ts';

export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
/** Markup a hostile wallet sends; if any of it ran, window.__pwned would be set. */
export const PAYLOAD = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

export interface ConsoleFixture {
  server: TestServer;
  browser: Browser;
}

export async function startConsole(): Promise<ConsoleFixture> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return { server: await startServer(), browser: await launchBrowser() };
}

export async function stopConsole(fixture: ConsoleFixture | undefined): Promise<void> {
  await fixture?.browser.close();
  await fixture?.server.close();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(name, ARTIFACTS).pathname, fullPage: true });
}

export const scriptRan = (page: Page): Promise<unknown> =>
  page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

export interface FormOffer {
  sessionId: string;
  offerLink: string;
  txCode: string | null;
}

/** Fills the home page's form (after `fill` adjusts the defaults), submits it and reads the offer page. */
export async function createOfferThroughForm(
  page: Page,
  server: TestServer,
  fill: (page: Page) => Promise<void> = async () => {},
): Promise<FormOffer> {
  await page.goto(`${server.issuer}/`);
  await fill(page);
  await Promise.all([page.waitForURL(/\/sessions\/[^/]+\/offer$/), page.getByRole('button', { name: 'Create offer' }).click()]);
  const sessionId = new URL(page.url()).pathname.split('/').at(-2)!;
  const txCode = (await page.locator('#tx-code').count()) > 0 ? await page.locator('#tx-code').textContent() : null;
  return { sessionId, offerLink: (await page.locator('#offer-link').textContent())!.trim(), txCode };
}

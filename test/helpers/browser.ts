import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { ChatClient } from '../../src/client/client.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * Debian's chromium, headless, with no background traffic (this machine has no network).
 * Playwright gives every launch a fresh, empty profile of its own.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** The web client in a page of its own context (its own storage and permissions); page errors are printed. */
export async function openChatPage(browser: Browser, url: string, options: BrowserContextOptions = {}, initScript?: () => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, ...options });
  // a script to run before the page's own (e.g. recording notifications): set before the first load
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(url);
  return page;
}

/** Proposes a name on the page's login form. */
export async function pickName(page: Page, name: string): Promise<void> {
  await page.fill('#name', name);
  await page.click('#login button');
}

/** Picks a name and waits for the chat. */
export async function joinAs(page: Page, name: string): Promise<void> {
  await pickName(page, name);
  await page.locator('#chat').waitFor();
}

/** Types a line in the composer and presses Enter. */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

export const logTexts = (page: Page): Promise<string[]> => page.locator('#log li').allInnerTexts();

/**
 * What the browser tests of one file share: a browser, a server hosting the web client, and the
 * TCP clients the tests open (closed after the file); `open` gives a page of a context of its own.
 */
export function webRig() {
  const rig = {
    browser: undefined as unknown as Browser,
    server: undefined as unknown as TestServer,
    peers: [] as ChatClient[],
    url: () => `http://127.0.0.1:${rig.server.httpAddress!.port}/`,
    open: (options: BrowserContextOptions = {}, initScript?: () => void) => openChatPage(rig.browser, rig.url(), options, initScript),
  };
  beforeAll(async () => {
    rig.browser = await launchBrowser();
    rig.server = await startTestServer({ httpPort: 0 });
  });
  afterAll(async () => {
    for (const p of rig.peers.splice(0)) p.close();
    await rig.browser?.close();
    await rig.server?.close();
  });
  return rig;
}

import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { ChatClient } from '../../src/client/client.js';
import { startTestServer, type TestServer } from './server.js';
import { repoRoot } from './spawn.js';

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

/** The page's network as recordSockets keeps it: its WebSockets, and whether it may open new ones. */
interface PageNet {
  sockets: WebSocket[];
  offline: boolean;
}

/**
 * A script for openChatPage's `initScript`: keeps the page's WebSockets, so that a test can drop
 * its connection as a network would (dropConnection), and keep it offline for a while.
 */
export function recordSockets(): void {
  const net: PageNet = { sockets: [], offline: false };
  Object.assign(window, { net });
  window.WebSocket = class extends window.WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      if (net.offline) throw new Error('offline'); // the page's connect fails, and it tries again later
      super(...args);
      net.sockets.push(this);
    }
  };
}

/** Drops the page's connection (a page opened with recordSockets); `offline`: no new one until goOnline. */
export async function dropConnection(page: Page, { offline = false } = {}): Promise<void> {
  await page.evaluate((off) => {
    const net = (window as unknown as { net: PageNet }).net;
    net.offline = off;
    for (const socket of net.sockets) socket.close();
  }, offline);
}

/** Lets a page dropped offline connect again (at its next try). */
export async function goOnline(page: Page): Promise<void> {
  await page.evaluate(() => void ((window as unknown as { net: PageNet }).net.offline = false));
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

/** Creates an account from the name form, and is in. */
export async function signUp(page: Page, name: string, password: string): Promise<void> {
  await page.locator('#mode-create').click();
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.fill('#password-again', password);
  await page.click('#login button[type=submit]');
  await page.locator('#chat').waitFor();
}

/** Logs in to an account from the name form, and waits for the chat. */
export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.locator('#mode-login').click();
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
  await page.locator('#chat').waitFor();
}

/** Picks a conversation in the sidebar by its label ("Talk to everyone", "Room #tea", "Whisper to bob"); on a phone, in its drawer, opened first. */
export async function pick(page: Page, label: string): Promise<void> {
  if (!(await page.locator('#sidebar').isVisible())) await page.click('#sidebar-toggle');
  await page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: label, exact: true }).click();
}

/** A screenshot of the page into test-artifacts/ (the README's pictures are picked from there into docs/img). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(`${repoRoot}/test-artifacts`, { recursive: true });
  await page.screenshot({ path: `${repoRoot}/test-artifacts/${name}.png` });
}

/** Types a line in the composer and presses Enter. */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The lines of the log shown: what was said and told, without the lines about the history (its edges, the "New messages" divider). */
export const logTexts = (page: Page): Promise<string[]> => page.locator('#log li:not(.edge, .divider)').allInnerTexts();

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

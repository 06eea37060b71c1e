/**
 * The web client's chat behaviour in a real browser (issue 14): whisper targets that leave, slash
 * commands, multi-line messages, safe links, mentions, notifications and the tab's unread count.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { joinAs, launchBrowser, logTexts, openChatPage, say } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let browser: Browser;
let server: TestServer;
const peers: ChatClient[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer({ httpPort: 0 });
});
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  for (const context of browser.contexts()) await context.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const url = () => `http://127.0.0.1:${server.httpAddress!.port}/`;
const openPage = (options: BrowserContextOptions = {}) => openChatPage(browser, url(), options);

/** A terminal-side user over TCP, and every message it is sent ("from>to: text"). */
async function peer(name: string): Promise<{ client: ChatClient; got: string[] }> {
  const client = await connect('127.0.0.1', server.port);
  peers.push(client);
  await client.register(name);
  const got: string[] = [];
  client.on('message', (m) => void (m.own || got.push(`${m.from}>${m.to}: ${m.text}`)));
  return { client, got };
}

/** Lets every message already sent arrive: a marker sent after them comes back last. */
async function settle(page: Page, from: ChatClient): Promise<void> {
  const marker = `marker ${Math.random()}`;
  from.send('All', marker);
  await expect.poll(() => logTexts(page)).toContainEqual(expect.stringContaining(marker));
}

describe('web client: whom a message goes to', () => {
  it('keeps a whisper target that left and refuses to send to them, saying so, rather than sending to everyone', async () => {
    const bob = await peer('bob');
    const frank = await peer('frank');
    const alice = await openPage();
    await joinAs(alice, 'alice');
    await alice.click('#users li[data-name="frank"] button');
    await expect.poll(() => alice.locator('#target-label').innerText()).toBe('Whisper to frank');

    frank.client.close();
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('frank left.'));
    await expect.poll(() => alice.locator('#target-label').innerText()).toBe('Whisper to frank (left)');
    await say(alice, 'between us: my password is hunter2');
    await expect.poll(() => alice.locator('#send-error').innerText()).toBe('frank left, so your message was not sent: pick someone else, or type /all to talk to everyone.');
    expect(await alice.inputValue('#text')).toBe('between us: my password is hunter2'); // nothing typed is lost
    await settle(alice, bob.client);
    expect(bob.got.join('\n')).not.toContain('hunter2');
    expect((await logTexts(alice)).join('\n')).not.toContain('hunter2');
  });

  it('understands the terminal client\'s slash commands, and never sends an unknown one', async () => {
    const bob = await peer('bob');
    const carol = await peer('carol');
    const alice = await openPage();
    await joinAs(alice, 'alice');

    await say(alice, '/w carol meet me at noon');
    await expect.poll(() => carol.got).toEqual(['alice>carol: meet me at noon']);
    await expect.poll(() => alice.locator('#log li.whisper').allInnerTexts()).toEqual([expect.stringContaining('You meet me at noon')]);
    expect(await alice.locator('#target-label').innerText()).toBe('To everyone'); // /w NAME text does not change the target

    await say(alice, '/me waves');
    await expect.poll(() => bob.got).toContain('alice>All: /me waves');
    await expect.poll(() => alice.locator('#log li.action').allInnerTexts()).toEqual([expect.stringMatching(/\* alice waves$/)]);

    await say(alice, '/frobnicate everyone');
    await expect.poll(() => alice.locator('#send-error').innerText()).toContain('Unknown command /frobnicate');
    expect(await alice.inputValue('#text')).toBe('/frobnicate everyone');

    carol.client.send('alice', 'noon works');
    await alice.fill('#text', '/r see you then');
    await alice.press('#text', 'Enter');
    await expect.poll(() => carol.got).toContain('alice>carol: see you then');

    await say(alice, '/help');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('/w NAME text — whisper to NAME'));
    await settle(alice, bob.client);
    expect(bob.got).toEqual(['alice>All: /me waves']);
    expect(carol.got.filter((m) => m.startsWith('alice>'))).toEqual(['alice>carol: meet me at noon', 'alice>All: /me waves', 'alice>carol: see you then']);
  });

  it('sends a message of several lines (Shift+Enter) and shows its line breaks', async () => {
    const bob = await peer('bob');
    const alice = await openPage();
    await joinAs(alice, 'alice');
    await alice.fill('#text', 'first line');
    await alice.press('#text', 'Shift+Enter');
    await alice.type('#text', 'second line');
    await alice.press('#text', 'Enter');
    await expect.poll(() => bob.got).toEqual(['alice>All: first line\nsecond line']);
    const shown = alice.locator('#log li.own .text');
    expect(await shown.innerText()).toBe('first line\nsecond line');
    expect((await shown.boundingBox())!.height).toBeGreaterThan(30); // two lines tall, not one
  });
});

describe('web client: links', () => {
  it('makes web addresses safe links that open in a new page, and javascript: stays text', async () => {
    const bob = await peer('bob');
    const alice = await openPage();
    await joinAs(alice, 'alice');
    const health = `${url()}healthz`;
    bob.client.send('All', `status at ${health}. Not this: javascript:document.title='pwned'`);
    const links = alice.locator('#log a');
    await expect.poll(() => links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe(health);
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await alice.locator('#log li', { hasText: 'javascript:' }).innerText()).toContain("javascript:document.title='pwned'");

    const [opened] = await Promise.all([alice.context().waitForEvent('page'), links.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(health);
    expect(await opened.evaluate(() => [window.opener === null, document.referrer])).toEqual([true, '']);
    expect(await alice.title()).not.toContain('pwned');
  });
});

/** Records the page's notifications (and permission requests) in window.notes. */
function recordNotifications(): void {
  const notes: Array<{ title: string; body?: string }> = [];
  const asked: string[] = [];
  Object.assign(window, { notes, asked });
  const Real = window.Notification;
  const Recording = class extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      notes.push({ title, body: options?.body });
    }
  };
  Recording.requestPermission = (...args) => {
    asked.push('permission');
    return Real.requestPermission(...args);
  };
  window.Notification = Recording;
}

/** Makes the page believe its tab is in the background (or back in front). */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('web client: getting attention', () => {
  it('notifies of mentions and whispers while the tab is hidden, and counts unread messages in the title', async () => {
    const bob = await peer('bob');
    const alice = await openPage({ permissions: ['notifications'] });
    await alice.addInitScript(recordNotifications);
    await alice.reload();
    await joinAs(alice, 'alice');
    await expect.poll(() => alice.title()).toBe('Howdy: alice');

    await setHidden(alice, true);
    bob.client.send('All', 'lunch, anyone?');
    bob.client.send('All', 'hey Alice, are you coming?');
    bob.client.send('alice', 'psst');
    await expect.poll(() => alice.title()).toBe('(3) Howdy: alice');
    expect(await alice.evaluate(() => (window as unknown as { notes: unknown }).notes)).toEqual([
      { title: 'bob mentioned you', body: 'hey Alice, are you coming?' },
      { title: 'bob whispers', body: 'psst' },
    ]);
    expect(await alice.locator('#log li.mention').allInnerTexts()).toEqual([expect.stringContaining('hey Alice, are you coming?')]);

    await setHidden(alice, false);
    await expect.poll(() => alice.title()).toBe('Howdy: alice');
    bob.client.send('All', 'alice: seen?');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('alice: seen?'));
    expect(await alice.evaluate(() => (window as unknown as { notes: unknown[] }).notes.length)).toBe(2); // not while looking
    expect(await alice.title()).toBe('Howdy: alice');
  });

  it('asks for permission to notify when the user joins, not when the page loads', async () => {
    const alice = await openPage();
    await alice.addInitScript(recordNotifications);
    await alice.reload();
    await alice.locator('#login button:enabled').waitFor();
    expect(await alice.evaluate(() => (window as unknown as { asked: string[] }).asked)).toEqual([]);
    await joinAs(alice, 'alice');
    expect(await alice.evaluate(() => (window as unknown as { asked: string[] }).asked)).toEqual(['permission']);
  });
});

/**
 * The web client's chat behaviour in a real browser (issue 14): whisper targets that leave, slash
 * commands, multi-line messages, safe links, mentions, notifications and the tab's unread count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { joinAs, logTexts, say, webRig } from '../helpers/browser.js';

const rig = webRig();
// each test has names of its own: a name another test just let go may not be free yet
afterEach(async () => {
  for (const p of rig.peers.splice(0)) p.close();
  for (const context of rig.browser.contexts()) await context.close();
});

const openPage = rig.open;

/** A terminal-side user over TCP, and every message it is sent ("from>to: text"). */
async function peer(name: string): Promise<{ client: ChatClient; got: string[] }> {
  const client = await connect('127.0.0.1', rig.server.port);
  rig.peers.push(client);
  expect(await client.register(name)).toMatchObject({ accepted: true });
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
    await alice.click('#sidebar li[data-name="All"] .who'); // the lobby, where the marker comes
    await settle(alice, bob.client);
    expect(bob.got.join('\n')).not.toContain('hunter2');
    expect((await logTexts(alice)).join('\n')).not.toContain('hunter2');
  });

  it('understands the terminal client\'s slash commands, and never sends an unknown one', async () => {
    const ben = await peer('ben');
    const carol = await peer('carol');
    const amy = await openPage();
    await joinAs(amy, 'amy');

    await say(amy, '/w carol meet me at noon');
    await expect.poll(() => carol.got).toEqual(['amy>carol: meet me at noon']);
    await expect.poll(() => amy.locator('#log li.whisper').allInnerTexts()).toEqual([expect.stringContaining('You meet me at noon')]);
    expect(await amy.locator('#target-label').innerText()).toBe('To everyone'); // /w NAME text does not change the target

    await say(amy, '/me waves');
    await expect.poll(() => ben.got).toContain('amy>All: /me waves');
    await expect.poll(() => amy.locator('#log li.action').allInnerTexts()).toEqual([expect.stringMatching(/\* amy waves$/)]);

    await say(amy, '/frobnicate everyone');
    await expect.poll(() => amy.locator('#send-error').innerText()).toContain('Unknown command /frobnicate');
    expect(await amy.inputValue('#text')).toBe('/frobnicate everyone');

    carol.client.send('amy', 'noon works');
    await amy.fill('#text', '/r see you then');
    await amy.press('#text', 'Enter');
    await expect.poll(() => carol.got).toContain('amy>carol: see you then');

    await say(amy, '/help');
    await expect.poll(() => logTexts(amy)).toContainEqual(expect.stringContaining('/w NAME text — whisper to NAME'));
    await settle(amy, ben.client);
    expect(ben.got).toEqual(['amy>All: /me waves']);
    expect(carol.got.filter((m) => m.startsWith('amy>'))).toEqual(['amy>carol: meet me at noon', 'amy>All: /me waves', 'amy>carol: see you then']);

    await say(amy, '/quit');
    await expect.poll(() => ben.client.users).not.toContain('amy');
    expect(await amy.locator('#status').innerText()).toBe('you left');
    expect(await amy.locator('#composer').innerText()).toContain('You left the chat.');
  });

  it('sends a message of several lines (Shift+Enter) and shows its line breaks; a long one goes in parts', async () => {
    const bill = await peer('bill');
    const ann = await openPage();
    await joinAs(ann, 'ann');
    await ann.fill('#text', 'first line');
    await ann.press('#text', 'Shift+Enter');
    await ann.type('#text', 'second line');
    await ann.press('#text', 'Enter');
    await expect.poll(() => bill.got).toEqual(['ann>All: first line\nsecond line']);
    const shown = ann.locator('#log li.own .text');
    expect(await shown.innerText()).toBe('first line\nsecond line');
    expect((await shown.boundingBox())!.height).toBeGreaterThan(30); // two lines tall, not one

    // a text over the server's limit goes out in parts rather than being refused
    const long = 'lorem ipsum '.repeat(500).trim();
    await say(ann, long);
    await expect.poll(() => bill.got.length).toBe(3);
    expect(bill.got.slice(1).map((m) => m.replace('ann>All: ', '')).join(' ')).toBe(long);
    expect(await ann.locator('#send-error').innerText()).toBe('');
  });
});

describe('web client: time', () => {
  it('shows the date beside messages from another day, by the time the server gave them', async () => {
    const cy = await peer('cy');
    const page = await openPage({ locale: 'en-GB', timezoneId: 'UTC' });
    await page.clock.install({ time: new Date('2025-06-13T23:58:00Z') });
    await page.reload();
    await joinAs(page, 'dee');
    cy.client.send('All', 'said on the server');
    // the page's clock is not the server's: the message carries the server's time (docs/protocol.md §11)
    const time = page.locator('#log li', { hasText: 'said on the server' }).locator('time');
    await expect.poll(() => time.count()).toBe(1);
    const at = new Date((await time.getAttribute('datetime'))!);
    expect(Math.abs(at.getTime() - Date.now())).toBeLessThan(60_000);
    const utc = (options: Intl.DateTimeFormatOptions) => at.toLocaleString('en-GB', { timeZone: 'UTC', ...options });
    expect(await time.innerText()).toBe(`${utc({ day: 'numeric', month: 'short', year: 'numeric' })} ${utc({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`);
    // the page's own lines are the page's: today's show the time alone, until it is another day
    const joined = page.locator('#log li', { hasText: 'You joined as dee' }).locator('time');
    expect(await joined.innerText()).toBe('23:58');
    await page.clock.fastForward('05:00');
    cy.client.send('All', 'a new day');
    await expect.poll(() => page.locator('#log li', { hasText: 'a new day' }).count()).toBe(1);
    expect(await joined.innerText()).toBe('13 Jun 23:58');
  });
});

describe('web client: links', () => {
  it('makes web addresses safe links that open in a new page, and javascript: stays text', async () => {
    const bert = await peer('bert');
    const ada = await openPage();
    await joinAs(ada, 'ada');
    const health = `${rig.url()}healthz`;
    bert.client.send('All', `status at ${health}. Not this: javascript:document.title='pwned'`);
    const links = ada.locator('#log a');
    await expect.poll(() => links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe(health);
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await ada.locator('#log li', { hasText: 'javascript:' }).innerText()).toContain("javascript:document.title='pwned'");

    const [opened] = await Promise.all([ada.context().waitForEvent('page'), links.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(health);
    expect(await opened.evaluate(() => [window.opener === null, document.referrer])).toEqual([true, '']);
    expect(await ada.title()).not.toContain('pwned');
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
    const boris = await peer('boris');
    const ava = await openPage({ permissions: ['notifications'] }, recordNotifications);
    await joinAs(ava, 'ava');
    await expect.poll(() => ava.title()).toBe('Howdy: ava');

    await setHidden(ava, true);
    boris.client.send('All', 'lunch, anyone?');
    boris.client.send('All', 'hey Ava, are you coming?');
    boris.client.send('ava', 'psst');
    await expect.poll(() => ava.title()).toBe('(3) Howdy: ava');
    expect(await ava.evaluate(() => (window as unknown as { notes: unknown }).notes)).toEqual([
      { title: 'boris mentioned you', body: 'hey Ava, are you coming?' },
      { title: 'boris whispers', body: 'psst' },
    ]);
    expect(await ava.locator('#log li.mention').allInnerTexts()).toEqual([expect.stringContaining('hey Ava, are you coming?')]);

    await setHidden(ava, false);
    await expect.poll(() => ava.title()).toBe('Howdy: ava');
    boris.client.send('All', 'ava: seen?');
    await expect.poll(() => logTexts(ava)).toContainEqual(expect.stringContaining('ava: seen?'));
    expect(await ava.evaluate(() => (window as unknown as { notes: unknown[] }).notes.length)).toBe(2); // not while looking
    expect(await ava.title()).toBe('Howdy: ava');
  });

  it('asks for permission to notify when the user joins, not when the page loads', async () => {
    const dora = await openPage({}, recordNotifications);
    await dora.locator('#login button:enabled').waitFor();
    expect(await dora.evaluate(() => (window as unknown as { asked: string[] }).asked)).toEqual([]);
    await joinAs(dora, 'dora');
    expect(await dora.evaluate(() => (window as unknown as { asked: string[] }).asked)).toEqual(['permission']);
  });
});

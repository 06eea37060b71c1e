/**
 * History in the web client (docs/protocol.md §11), driven as people use it, in real browsers: a
 * reload takes a guest's session up again (its name, the lobby, its whispers) and asks a registered
 * user's password before catching up; a dropped connection catches up on what was said meanwhile,
 * each message once and in order, in its conversation, from a "New messages" line; scrolling up
 * loads older messages page by page down to the beginning; the search finds words in a room and in
 * whispers and opens a hit in its conversation; a deleted message reads "message deleted" for
 * everyone, live and after a reload.
 *
 * The tests of this file follow one story: each goes on from where the one before left off.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { ChatClient } from '../../src/client/client.js';
import { connect } from '../../src/client/tcp.js';
import { dropConnection, goOnline, joinAs, logTexts, pick, recordSockets, say, screenshot, signUp, webRig } from '../helpers/browser.js';

const rig = webRig();

const PASSWORD = 'correct horse battery';
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true };
/** Messages Dave says in #long before anyone reads it: three pages and more. */
const SEEDED = 150;
const seeded = (n: number) => `old message ${n}${n === 20 ? ': marmalade on toast' : ''}`;

/** A registered user over TCP granted history: `said` holds what the server stored of theirs (its echoes), `got` what others said to them. */
async function peer(name: string): Promise<{ client: ChatClient; said: string[]; got: string[] }> {
  const client = await connect('127.0.0.1', rig.server.port);
  rig.peers.push(client);
  await client.requestCapabilities(['accounts', 'rooms', 'history']);
  await client.createAccount(PASSWORD, name);
  const said: string[] = [];
  const got: string[] = [];
  client.on('message', (m) => void (m.own ? said : got).push(m.text));
  return { client, said, got };
}

/** Says each text to `to`, and waits until the server has stored them all. */
async function sayAll(p: Awaited<ReturnType<typeof peer>>, to: string, texts: readonly string[]): Promise<void> {
  for (const t of texts) p.client.send(to, t);
  await expect.poll(() => texts.every((t) => p.said.includes(t)), { timeout: 10_000 }).toBe(true);
}

/** The messages in the log shown (without notices and the history's own lines), as read. */
const messages = (page: Page) => page.locator('#log li[data-msg-id]').allInnerTexts();
/** The lines of the log holding `word`, in order. */
const linesWith = async (page: Page, word: string) => (await logTexts(page)).filter((line) => line.includes(word));
const shown = (page: Page) => page.locator('#conversation-title').innerText();
const badge = (page: Page, name: string) => page.locator(`#sidebar li[data-name="${name}"] .badge`);
/** The text of the log's line after the "New messages" divider. */
const afterDivider = (page: Page) => page.locator('#log li.divider + li').innerText();

/** Where a message's line stands in the log's view (px from its top), undefined when not drawn. */
const offsetOf = (page: Page, text: string) => page.evaluate((text) => {
  const log = document.getElementById('log')!;
  const line = Array.from(log.querySelectorAll('li')).find((li) => li.textContent?.endsWith(text));
  return line && line.getBoundingClientRect().top - log.getBoundingClientRect().top;
}, text);

/** Searches from the search dialog (Ctrl+K opens it); the index may lag a moment behind the history (§11), so it asks again until hits come. */
async function search(page: Page, words: string): Promise<void> {
  if (!(await page.locator('#search').isVisible())) await page.keyboard.press('Control+K');
  await page.fill('#search-input', words);
  await expect.poll(async () => {
    await page.press('#search-input', 'Enter');
    await expect.poll(() => page.locator('#search-status').innerText()).not.toBe('Searching…');
    return page.locator('#search-results li').count();
  }).toBeGreaterThan(0);
}

const story = {} as { bob: Page; alice: Page; carol: Awaited<ReturnType<typeof peer>>; dave: Awaited<ReturnType<typeof peer>> };

describe('web client: history', { timeout: 30_000 }, () => {
  it('takes a guest\'s session up again after a reload: the same name, the lobby, the whispers, and what was said meanwhile', async () => {
    const bob = await rig.open({ ...DESKTOP, colorScheme: 'light' }, recordSockets);
    await joinAs(bob, 'Bob');
    const carol = await peer('Carol');
    await carol.client.createRoom('#tea', { topic: 'Oolong, sencha and the rest' });
    Object.assign(story, { bob, carol });
    await sayAll(carol, 'All', ['Howdy, Bob! Lunch at noon?']);
    await sayAll(carol, 'Bob', ['psst: the usual place']);
    await expect.poll(() => badge(bob, 'Carol').innerText()).toBe('1');
    await pick(bob, 'Whisper to Carol');
    await say(bob, 'see you there');
    await expect.poll(() => carol.got).toContain('see you there');
    await pick(bob, 'Talk to everyone');

    // away for a while, then the page is reloaded
    await dropConnection(bob, { offline: true });
    await expect.poll(() => bob.locator('#status').innerText()).toMatch(/^disconnected/);
    await sayAll(carol, 'All', ['said while Bob was away']);
    await bob.reload();
    await bob.locator('#chat').waitFor({ timeout: 5000 });
    expect(await bob.locator('#login').count()).toBe(0); // no name to pick again
    await expect.poll(() => bob.locator('#users li.me').innerText()).toBe('Bob (you)');
    await expect.poll(() => linesWith(bob, 'Carol')).toEqual([
      expect.stringContaining('Carol Howdy, Bob! Lunch at noon?'), expect.stringContaining('Carol said while Bob was away'),
    ]);
    expect(await afterDivider(bob)).toContain('said while Bob was away');
    expect(await logTexts(bob)).toContainEqual(expect.stringContaining('You are back as Bob.'));
    await pick(bob, 'Whisper to Carol');
    await expect.poll(() => messages(bob)).toEqual([
      expect.stringMatching(/whisper Carol psst: the usual place$/i), expect.stringMatching(/whisper to Carol You see you there$/i),
    ]);
    await expect.poll(() => bob.locator('#log-beginning').isVisible()).toBe(true);
    await pick(bob, 'Talk to everyone');
  });

  it('asks a registered user\'s password after a reload, shows the room shown before and catches up on it', async () => {
    const { carol } = story;
    const alice = await rig.open({ ...PHONE, colorScheme: 'dark' });
    story.alice = alice;
    await signUp(alice, 'Alice', PASSWORD);
    await say(alice, '/join #tea');
    await expect.poll(() => shown(alice)).toBe('#tea');
    await sayAll(carol, '#tea', ['The kettle is on.']);
    await expect.poll(() => messages(alice)).toEqual([expect.stringContaining('Carol The kettle is on.')]);

    await alice.reload();
    // the password is never kept: the form asks it, the name filled in
    await alice.locator('#password').waitFor();
    expect(await alice.inputValue('#name')).toBe('Alice');
    await sayAll(carol, '#tea', ['Oolong or sencha?']);
    await alice.fill('#password', PASSWORD);
    await alice.press('#password', 'Enter');
    await expect.poll(() => shown(alice)).toBe('#tea');
    await expect.poll(() => messages(alice)).toEqual([expect.stringContaining('Carol The kettle is on.'), expect.stringContaining('Carol Oolong or sencha?')]);
    expect(await afterDivider(alice)).toContain('Oolong or sencha?');
  });

  it('catches up after a dropped connection: every message missed once, in order, in its conversation (whispers need the reader online)', async () => {
    const { bob, alice, carol } = story;
    await say(bob, '/join #tea'); // a guest, in a public room: it joins it again after reconnecting
    await expect.poll(() => shown(bob)).toBe('#tea');
    // the room's newest page is what Bob saw of it: a drop before it came would make it new to him too
    await expect.poll(() => messages(bob)).toEqual([expect.stringContaining('The kettle is on.'), expect.stringContaining('Oolong or sencha?')]);
    await dropConnection(bob, { offline: true });
    await expect.poll(() => bob.locator('#status').innerText()).toMatch(/^disconnected/);
    await sayAll(carol, 'All', ['missed 1', 'missed 2', 'missed 3']);
    await sayAll(carol, '#tea', ['missed in tea 1']);
    await say(alice, 'missed in tea 2');
    await expect.poll(() => linesWith(alice, 'missed in tea')).toHaveLength(2);
    await goOnline(bob);
    await expect.poll(() => linesWith(bob, 'missed'), { timeout: 10_000 }).toEqual([expect.stringContaining('Carol missed in tea 1'), expect.stringContaining('Alice missed in tea 2')]);
    expect(await afterDivider(bob)).toContain('missed in tea 1');
    // what comes live after the catch-up follows it
    await sayAll(carol, '#tea', ['back in time for tea']);
    await expect.poll(async () => (await messages(bob)).slice(-3)).toEqual([
      expect.stringContaining('missed in tea 1'), expect.stringContaining('missed in tea 2'), expect.stringContaining('back in time for tea'),
    ]);
    await expect.poll(() => badge(bob, 'All').innerText()).toBe('3');
    await pick(bob, 'Talk to everyone');
    expect(await linesWith(bob, 'missed')).toEqual(['missed 1', 'missed 2', 'missed 3'].map((t) => expect.stringContaining(`Carol ${t}`)));
    expect(await afterDivider(bob)).toContain('missed 1');
    await screenshot(bob, 'web-history-desktop-light');

    // a guest reloading in a room is back in it (the server keeps a resumed guest's rooms: §11)
    await pick(bob, 'Room #tea');
    await bob.reload();
    await expect.poll(() => shown(bob)).toBe('#tea');
    await expect.poll(async () => (await messages(bob)).at(-1)).toContain('Carol back in time for tea');
  });

  it('loads older messages as the reader scrolls up, keeping their place, down to the beginning of the conversation', async () => {
    const { bob } = story;
    const dave = await peer('Dave');
    story.dave = dave;
    await dave.client.createRoom('#long');
    await sayAll(dave, '#long', Array.from({ length: SEEDED }, (_, i) => seeded(i + 1)));
    await say(bob, '/join #long');
    await expect.poll(() => messages(bob)).toHaveLength(50); // the newest page
    expect((await messages(bob)).at(-1)).toContain(seeded(SEEDED));
    expect(await bob.locator('#jump').count()).toBe(0); // at the newest

    // scrolled to the top: the page before comes above, and what the reader looks at stays put
    const before = await bob.evaluate((text) => {
      const log = document.getElementById('log')!;
      log.scrollTop = 0;
      const line = Array.from(log.querySelectorAll('li')).find((li) => li.textContent?.endsWith(text))!;
      return line.getBoundingClientRect().top - log.getBoundingClientRect().top;
    }, seeded(101));
    await expect.poll(() => messages(bob)).toHaveLength(100);
    expect(Math.abs((await offsetOf(bob, seeded(101)))! - before)).toBeLessThan(2);
    await expect.poll(() => bob.locator('#jump').innerText()).toBe('Jump to newest ↓');

    // from the keyboard, to the beginning
    await bob.focus('#log');
    await bob.keyboard.press('Home');
    await expect.poll(() => bob.locator('#log-beginning').isVisible()).toBe(true);
    const all = await messages(bob);
    expect(all).toHaveLength(SEEDED);
    expect(all.map((line) => line.replace(/^.*?Dave /, ''))).toEqual(Array.from({ length: SEEDED }, (_, i) => seeded(i + 1)));
    await bob.click('#jump');
    await expect.poll(() => offsetOf(bob, seeded(SEEDED))).toBeLessThan(800);
    await expect.poll(() => bob.locator('#jump').count()).toBe(0);
  });

  it('finds words in a room and in whispers, and opens a hit in its conversation, around it', async () => {
    const { bob, alice } = story;
    // Alice has read #long's newest page only: the hit is far older
    await say(alice, '/join #long');
    await expect.poll(() => messages(alice)).toHaveLength(50);
    await search(alice, 'MARMALADE toast');
    const hit = alice.locator('#search-results li');
    expect(await hit.count()).toBe(1);
    expect(await hit.innerText()).toMatch(/^#long\s+\S.*\nDave old message 20: marmalade on toast$/);
    expect(await hit.locator('mark').allInnerTexts()).toEqual(['marmalade', 'toast']);
    await screenshot(alice, 'web-search-phone-dark');
    await hit.getByRole('button').click();
    await expect.poll(() => alice.locator('#log li.highlighted').innerText()).toContain(seeded(20));
    const view = await alice.evaluate(() => {
      const line = document.querySelector('#log li.highlighted')!.getBoundingClientRect();
      const log = document.getElementById('log')!.getBoundingClientRect();
      return line.top >= log.top && line.bottom <= log.bottom;
    });
    expect(view).toBe(true);
    await screenshot(alice, 'web-search-hit-phone-dark');
    expect(await alice.evaluate(() => document.activeElement?.id)).toBe('text');
    // the page around it, not all that came after: newer ones load on the way down, or all at once
    expect(await messages(alice)).not.toContainEqual(expect.stringContaining(seeded(SEEDED)));
    await alice.click('#jump');
    await expect.poll(() => messages(alice)).toContainEqual(expect.stringContaining(seeded(SEEDED)));

    // whispers: Bob finds what Carol whispered (not in #long, where he is), and the hit opens their whispers
    await bob.keyboard.press('Control+K');
    await bob.fill('#search-input', 'usual');
    await bob.check('#search-here');
    expect(await bob.locator('label', { has: bob.locator('#search-here') }).innerText()).toBe('Only here: #long');
    await bob.press('#search-input', 'Enter');
    await expect.poll(() => bob.locator('#search-status').innerText()).toBe('No message holds all of these words.');
    await bob.uncheck('#search-here');
    await search(bob, 'usual');
    const whisper = bob.locator('#search-results li');
    expect(await whisper.innerText()).toMatch(/^Whispers with Carol\s+\S.*\nCarol psst: the usual place$/);
    await screenshot(bob, 'web-search-desktop-light');
    await bob.keyboard.press('Tab'); // from the search box to the scope, then to the hit
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Enter');
    await expect.poll(() => shown(bob)).toBe('Carol');
    await expect.poll(() => bob.locator('#log li.highlighted').innerText()).toContain('psst: the usual place');
  });

  it('deletes the user\'s own message for everyone: it reads "message deleted", live and after a reload', async () => {
    const { bob, alice } = story;
    await pick(bob, 'Talk to everyone');
    await pick(alice, 'Talk to everyone');
    await say(bob, 'oops, wrong window');
    await expect.poll(() => linesWith(alice, 'oops')).toEqual([expect.stringContaining('Bob oops, wrong window')]);
    const mine = bob.locator('#log li.own', { hasText: 'oops, wrong window' });
    await mine.hover();
    await screenshot(bob, 'web-delete-hover-desktop-light');
    await mine.getByRole('button', { name: 'Delete your message' }).click();
    const dialog = bob.getByRole('dialog', { name: 'Delete this message?' });
    expect(await dialog.innerText()).toContain('oops, wrong window');
    await screenshot(bob, 'web-delete-desktop-light');
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
    await expect.poll(() => bob.locator('#delete-message').count()).toBe(0);
    await expect.poll(() => mine.count()).toBe(0);
    expect(await bob.locator('#log li.own .deleted').innerText()).toBe('message deleted');
    await expect.poll(() => alice.locator('#log li', { hasText: 'message deleted' }).innerText()).toMatch(/Bob message deleted$/);
    expect(await linesWith(alice, 'oops')).toEqual([]);

    // on a phone, a tap on one's message shows its bin
    await say(alice, 'typo');
    await expect.poll(() => linesWith(bob, 'typo')).toHaveLength(1);
    const typo = alice.locator('#log li.own', { hasText: 'typo' });
    await typo.tap();
    const bin = typo.getByRole('button', { name: 'Delete your message' });
    await expect.poll(() => bin.evaluate((b) => getComputedStyle(b).opacity)).toBe('1');
    await bin.tap();
    await alice.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete for everyone' }).tap();
    await expect.poll(() => linesWith(bob, 'typo')).toEqual([]);

    await alice.reload();
    await alice.fill('#password', PASSWORD);
    await alice.press('#password', 'Enter');
    await expect.poll(() => shown(alice)).toBe('Everyone');
    await expect.poll(() => alice.locator('#log li', { hasText: 'message deleted' }).count()).toBe(2);
    expect(await linesWith(alice, 'oops')).toEqual([]);

    // /delete asks for the last message still there, and Esc keeps it
    await pick(bob, 'Whisper to Carol');
    await say(bob, '/delete');
    await expect.poll(() => bob.getByRole('dialog', { name: 'Delete this message?' }).innerText()).toContain('see you there');
    await bob.keyboard.press('Escape');
    await expect.poll(() => bob.locator('#delete-message').count()).toBe(0);
    // /search, as in the terminal client, opens the search with its hits
    await say(bob, '/search marmalade');
    await expect.poll(() => bob.locator('#search-results li').innerText()).toContain('Dave old message 20: marmalade on toast');
    await bob.keyboard.press('Escape');
  });
});

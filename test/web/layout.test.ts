/**
 * The web client's layout at phone and desktop sizes, light and dark, in a busy room (35 people,
 * 50 messages): the log scrolls inside a page that does not, the text box stays in view, the
 * sidebar (rooms and people) is reachable (a drawer on phones, by keyboard too), and the theme can
 * be switched.
 * Screenshots land in test-artifacts/ (docs/img/ keeps copies for the README).
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { joinAs, logTexts, say, webRig } from '../helpers/browser.js';
import { repoRoot } from '../helpers/spawn.js';

const rig = webRig();

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
/** One page per size and theme, each its own user. */
const VIEWS = [
  { shot: 'gui-desktop-light', me: 'Alice', options: { ...DESKTOP, colorScheme: 'light' } },
  { shot: 'gui-desktop-dark', me: 'Ana', options: { ...DESKTOP, colorScheme: 'dark' } },
  { shot: 'gui-phone-light', me: 'Amy', options: { ...PHONE, colorScheme: 'light' } },
  { shot: 'gui-phone-dark', me: 'Ava', options: { ...PHONE, colorScheme: 'dark' } },
] as const;
/** The other 31 people in the room. */
const OTHERS = [
  'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy',
  'Rupert', 'Sybil', 'Trent', 'Uma', 'Victor', 'Walter', 'Xena', 'Yusuf', 'Zoe', 'Jon Stewart', 'Stephen Colbert',
  'María José', 'Zhang Wei', 'Ngozi', 'Priya', 'Lars', 'Fatima', 'Kenji',
];
/** Small talk first, then the lines that show what the log can do (several lines, a link, an action, mentions). */
const SMALL_TALK = [
  'sounds good to me', 'on it', 'back in five', 'did anyone order the pizza?', 'thanks!', 'agreed',
  'can someone review my change before lunch? It is a small one, I promise: three files, mostly tests.',
  'the coffee machine on the second floor is fixed', 'ha, nice one', 'see you at the stand-up',
];
const SHOWCASE: Array<[from: string, text: string]> = [
  ['Bob', 'Howdy, everyone! The deploy went out at nine; notes at https://example.org/release-notes/2025-06'],
  ['Dave', '/me pours another coffee'],
  ['Erin', 'Heads up: the build on main is red since last night.\nFailing test: presence storm.\nLooking into it now.'],
  ['María José', '¡Hola a todos! Buenos días from Sevilla.'],
  ['Zhang Wei', 'Joining from the Shanghai office today.'],
  ['Jon Stewart', 'Alice, Ana, Amy, Ava: lunch at noon? The usual place.'],
];
const MESSAGES = 50;

const measure = (page: Page) => page.evaluate(() => {
  const log = document.getElementById('log')!;
  const text = document.getElementById('text')!.getBoundingClientRect();
  return {
    logScrolls: log.scrollHeight > log.clientHeight,
    pageScrollHeight: document.scrollingElement!.scrollHeight,
    innerHeight,
    textBox: { top: text.top, bottom: text.bottom },
    background: getComputedStyle(document.body).backgroundColor,
  };
});

describe('web client layout', () => {
  it('fits phone and desktop screens, light and dark, with 35 people and 50 messages', async () => {
    const pages = await Promise.all(VIEWS.map(async (v) => {
      const page = await rig.open(v.options);
      await joinAs(page, v.me);
      return page;
    }));
    const byName = new Map<string, ChatClient>();
    for (const name of OTHERS) {
      const client = await connect('127.0.0.1', rig.server.port);
      rig.peers.push(client);
      await client.register(name);
      byName.set(name, client);
    }
    for (const page of pages) await expect.poll(() => page.locator('#count').innerText()).toBe('(35)');

    // small talk from everyone (arriving in any order), then the showcase lines one after another
    const smallTalk = MESSAGES - SHOWCASE.length - VIEWS.length;
    for (let i = 0; i < smallTalk; i++) byName.get(OTHERS[(i * 7) % OTHERS.length]!)!.send('All', SMALL_TALK[i % SMALL_TALK.length]!);
    const shown = (page: Page) => page.locator('#log li:not(.notice, .edge)').count();
    for (const page of pages) await expect.poll(() => shown(page)).toBe(smallTalk);
    for (const [i, [from, text]] of SHOWCASE.entries()) {
      byName.get(from)!.send('All', text);
      await expect.poll(() => shown(pages[0]!)).toBe(smallTalk + i + 1);
    }
    for (const v of VIEWS) byName.get('Carol')!.send(v.me, `psst ${v.me}, got a minute?`);
    // a whisper waits in its own conversation, its sender's badge saying so
    for (const page of pages) await expect.poll(() => page.locator('#users li[data-name="Carol"] .badge').innerText()).toBe('1');
    for (const [i, v] of VIEWS.entries()) {
      await say(pages[i]!, `Count me in! (${v.me})`);
      for (const page of pages) await expect.poll(() => logTexts(page)).toContainEqual(expect.stringContaining(`Count me in! (${v.me})`));
    }
    for (const page of pages) expect(await shown(page)).toBe(MESSAGES);

    mkdirSync(`${repoRoot}/test-artifacts`, { recursive: true });
    for (const [i, v] of VIEWS.entries()) {
      const page = pages[i]!;
      const m = await measure(page);
      expect(m.logScrolls).toBe(true); // the log scrolls…
      expect(m.pageScrollHeight).toBeLessThanOrEqual(m.innerHeight); // …inside a page that does not
      expect(m.textBox.top).toBeGreaterThanOrEqual(0);
      expect(m.textBox.bottom).toBeLessThanOrEqual(m.innerHeight);
      expect(m.background).toBe(v.options.colorScheme === 'dark' ? 'rgb(23, 23, 26)' : 'rgb(246, 244, 239)');
      expect(await page.locator('#log li.mention').count()).toBe(1);
      await page.screenshot({ path: `${repoRoot}/test-artifacts/${v.shot}.png` });
    }

    // on a phone the sidebar is a drawer, opened from the header, listing everyone
    for (const [i, v] of VIEWS.entries()) {
      if (v.options.isMobile) {
        const page = pages[i]!;
        expect(await page.locator('#sidebar').isVisible()).toBe(false);
        await page.click('#sidebar-toggle');
        await expect.poll(() => page.locator('#sidebar').isVisible()).toBe(true);
        const names = await page.locator('#users li').allInnerTexts();
        expect(names).toHaveLength(35);
        expect(names).toEqual(expect.arrayContaining([`${v.me} (you)`, 'Jon Stewart', 'Zhang Wei', 'Carol\n1']));
        await page.screenshot({ path: `${repoRoot}/test-artifacts/${v.shot}-people.png` });
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('#sidebar').isVisible()).toBe(false);
      }
    }
  });

  it('lets the sidebar be used with the keyboard, with labels for screen readers', async () => {
    const page = await rig.open(PHONE);
    await joinAs(page, 'Kim');
    const toggle = page.getByRole('button', { name: 'Rooms and people' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('complementary', { name: 'Conversations' }).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Talk to everyone');
    // past the rooms' + and one's own line (its profile button) to the next person: Tab reaches each button in turn
    const label = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await page.keyboard.press('Tab');
    expect(await label()).toBe('Find, join or create a room');
    for (let tabs = 0; tabs < 4 && !(await label())?.startsWith('Whisper to '); tabs++) await page.keyboard.press('Tab');
    const focused = await label();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#target-label').innerText()).toBe(focused!);
    expect(await page.locator('#sidebar').isVisible()).toBe(false); // picking someone closes the drawer…
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text'); // …and the next thing is to type
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('switches between light and dark, and remembers the choice', async () => {
    const page = await rig.open({ ...DESKTOP, colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(246, 244, 239)');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    expect(await background()).toBe('rgb(23, 23, 26)');
    await page.reload();
    expect(await background()).toBe('rgb(23, 23, 26)');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    expect(await background()).toBe('rgb(246, 244, 239)');
  });
});

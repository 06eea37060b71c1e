/**
 * Accounts and profiles in the web client (issue 15 §6): keeping a guest's name, logging in (and
 * the plain words of a refusal), creating an account, the profile in settings and on a person's
 * card, changing the password, deleting the account, and logging in again after a reconnect.
 * Passwords stay in password inputs and in memory: never in the page's text nor in its storage.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import { joinAs, logTexts, openChatPage, pickName, webRig } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';
import { repoRoot } from '../helpers/spawn.js';

const rig = webRig();
// each test has names of its own: a name another test just let go may not be free yet
afterEach(async () => {
  for (const p of rig.peers.splice(0)) p.close();
  for (const context of rig.browser.contexts()) await context.close();
});

const PASSWORD = 'correct horse battery';
/** The server makes the next login on an account wait 1 s after a failed one. */
const AFTER_A_FAILURE_MS = 1100;
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const inChat = (page: Page) => page.locator('#chat').waitFor();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings: your profile and password' }).click();
  await page.getByRole('dialog', { name: /^Settings for / }).waitFor();
}

/** Logs in from the name form, switching it to logging in first. */
async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.locator('#mode-login, #mode-guest').first().waitFor(); // offered once the server said it keeps accounts
  if (await page.locator('#mode-login').isVisible()) await page.click('#mode-login');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
}

/** Joins as a guest and keeps the name with a password, in the settings (closed after). */
async function registerAs(page: Page, name: string, password: string): Promise<void> {
  await joinAs(page, name);
  await openSettings(page);
  await keepName(page, password, password);
  await page.locator('#profile').waitFor(); // the settings now are a registered user's
  await page.keyboard.press('Escape');
}

async function keepName(page: Page, password: string, again: string): Promise<void> {
  await page.fill('#keep-password', password);
  await page.fill('#keep-password-again', again);
  await page.click('#keep-name button[type=submit]');
}

/** Fills the profile in the settings (open) and saves it. */
async function saveProfile(page: Page, p: { displayName: string; status: string; statusMessage: string; about: string }): Promise<void> {
  await page.fill('#display-name', p.displayName);
  await page.getByRole('radio', { name: p.status }).check();
  await page.fill('#status-message', p.statusMessage);
  await page.fill('#about', p.about);
  await page.click('#profile button[type=submit]');
  await expect.poll(() => text(page, '#profile-done')).toBe('Your profile is saved.');
}

/** Where a password shows outside the password inputs: the page's markup or text, other inputs, the storage. */
function passwordLeaks(page: Page, password: string): Promise<string[]> {
  return page.evaluate((secret) => {
    const leaks: string[] = [];
    if (document.documentElement.outerHTML.includes(secret)) leaks.push('markup');
    if (document.body.innerText.includes(secret)) leaks.push('text');
    for (const field of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))) {
      if (field.type !== 'password' && field.value.includes(secret)) leaks.push(`#${field.id}`);
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        if (`${key} ${storage.getItem(key)}`.includes(secret)) leaks.push('storage');
      }
    }
    return leaks;
  }, password);
}

// many steps in several browsers each, on a machine running other tests
describe('web client: accounts', { timeout: 45_000 }, () => {
  it('keeps a guest\'s name; the name is then refused to guests, and its owner logs in with the password', async () => {
    const dora = await rig.open();
    await joinAs(dora, 'Dora');
    await openSettings(dora);
    await keepName(dora, 'short', 'short');
    await expect.poll(() => text(dora, '#keep-name-error')).toBe('A password must be at least 8 characters long.');
    await keepName(dora, PASSWORD, `${PASSWORD}!`);
    await expect.poll(() => text(dora, '#keep-name-error')).toBe('The two passwords are not the same: type the new password twice.');
    expect(await dora.getAttribute('#keep-password', 'autocomplete')).toBe('new-password');
    await keepName(dora, PASSWORD, PASSWORD);
    await dora.locator('#profile').waitFor(); // the settings now are a registered user's
    expect(await passwordLeaks(dora, PASSWORD)).toEqual([]);
    await dora.keyboard.press('Escape');
    await expect.poll(() => logTexts(dora)).toContainEqual(expect.stringContaining('The name Dora is yours now'));

    await dora.reload(); // the password was in memory only: the reloaded page is a stranger
    expect(await passwordLeaks(dora, PASSWORD)).toEqual([]);
    const other = await rig.open();
    await pickName(other, 'dora');
    await expect.poll(() => text(other, '#login-error'))
      .toBe('That name is registered: if it is yours, log in with its password; otherwise pick another name.');
    expect(await other.inputValue('#name')).toBe('dora'); // the log-in form, the name filled in
    expect(await other.getAttribute('#password', 'type')).toBe('password');
    expect(await other.getAttribute('#password', 'autocomplete')).toBe('current-password');
    expect(await other.evaluate(() => document.activeElement?.id)).toBe('password');

    await other.fill('#password', 'wrong password');
    await other.press('#password', 'Enter');
    await expect.poll(() => text(other, '#login-error')).toBe('The name or the password is wrong.');
    expect(await other.inputValue('#password')).toBe(''); // a refused password is not kept
    await pause(AFTER_A_FAILURE_MS);
    await logIn(other, 'dora', PASSWORD);
    await inChat(other);
    await expect.poll(() => logTexts(other)).toContainEqual(expect.stringContaining('You logged in as Dora.'));
    expect((await other.locator('#log').innerText())).not.toMatch(/LOGIN_|NAME_REGISTERED/);
    expect(await passwordLeaks(other, PASSWORD)).toEqual([]);

    await logIn(dora, 'Dora', PASSWORD); // the reloaded page, while the name is in use in the other
    await expect.poll(() => text(dora, '#login-error'))
      .toBe('You are online with that name elsewhere (another tab or device): leave there, then log in here.');
  });

  it('edits the profile in settings; another user opens it from the people list with the keyboard', async () => {
    const eve = await rig.open();
    await registerAs(eve, 'Eve', PASSWORD);
    await openSettings(eve);
    await saveProfile(eve, { displayName: 'Eve Online', status: 'Busy', statusMessage: 'in a meeting until 3', about: 'Likes trains.\nAnd tea.' });
    await eve.keyboard.press('Escape');
    await expect.poll(() => eve.locator('#settings').count()).toBe(0);
    expect(await eve.evaluate(() => document.activeElement?.id)).toBe('settings-toggle');

    const finn = await rig.open();
    await joinAs(finn, 'Finn');
    const info = finn.getByRole('button', { name: 'Profile of Eve' });
    await info.focus();
    await finn.keyboard.press('Enter');
    const card = finn.getByRole('dialog', { name: 'Eve' });
    await card.waitFor();
    await expect.poll(() => text(finn, '#fact-status')).toBe('Busy: in a meeting until 3');
    expect(await text(finn, '#fact-display-name')).toBe('Eve Online');
    expect(await text(finn, '#fact-online')).toBe('Online now');
    expect(await text(finn, '#fact-registered')).toBe('Registered name');
    expect(await text(finn, '#fact-about')).toBe('Likes trains.\nAnd tea.');
    await finn.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
    expect(await finn.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Profile of Eve');

    // a guest has no profile: the card says so, and a guest's settings offer to keep the name
    await eve.getByRole('button', { name: 'Profile of Finn' }).click();
    await expect.poll(() => text(eve, '#fact-registered')).toBe('Guest: the name is not registered');
    expect(await eve.locator('#fact-status').count()).toBe(0);
  });

  it('changes the password, and the new one logs in; a deleted account\'s name is free for guests', async () => {
    const NEW = 'a new and longer password';
    const gus = await rig.open();
    await registerAs(gus, 'Gus', PASSWORD);
    await openSettings(gus);
    await gus.fill('#current-password', 'not my password');
    await gus.fill('#new-password', NEW);
    await gus.fill('#new-password-again', NEW);
    await gus.click('#password-change button[type=submit]');
    await expect.poll(() => text(gus, '#password-change-error')).toBe('That is not your current password.');
    await pause(AFTER_A_FAILURE_MS);
    await gus.fill('#current-password', PASSWORD);
    await gus.click('#password-change button[type=submit]');
    await expect.poll(() => text(gus, '#password-change-done')).toBe('Your password is changed.');
    expect(await gus.inputValue('#new-password')).toBe('');
    expect(await passwordLeaks(gus, NEW)).toEqual([]);
    await gus.context().close();

    const again = await rig.open();
    await logIn(again, 'Gus', PASSWORD);
    await expect.poll(() => text(again, '#login-error')).toBe('The name or the password is wrong.');
    await pause(AFTER_A_FAILURE_MS);
    await logIn(again, 'Gus', NEW);
    await inChat(again);

    await openSettings(again);
    await again.fill('#delete-password', NEW);
    await again.click('#delete-account button[type=submit]');
    await again.locator('#keep-name').waitFor(); // a guest again, who may keep the name anew
    await expect.poll(() => logTexts(again)).toContainEqual(expect.stringContaining('Your account is deleted: you are a guest now'));
    await again.context().close();

    const guest = await rig.open();
    await joinAs(guest, 'gus');
    await expect.poll(() => logTexts(guest)).toContainEqual(expect.stringContaining('You joined as gus (a guest).'));
  });

  it('says how long to wait after wrong passwords, in plain words', async () => {
    const server = await startTestServer({ httpPort: 0, loginDelayMs: 60_000 });
    try {
      const owner = await connect('127.0.0.1', server.port);
      rig.peers.push(owner);
      await owner.requestCapabilities(['accounts']);
      await owner.createAccount(PASSWORD, 'Ivy');
      owner.close();
      const page = await openChatPage(rig.browser, `http://127.0.0.1:${server.httpAddress!.port}/`);
      await logIn(page, 'Ivy', 'not the password');
      await expect.poll(() => text(page, '#login-error')).toBe('The name or the password is wrong.');
      await logIn(page, 'Ivy', PASSWORD);
      await expect.poll(() => text(page, '#login-error')).toBe('Too many wrong passwords: wait 60 seconds, then try again.');
    } finally {
      await server.close();
    }
  });

  it('on a server for members only, a new user creates an account from the name form and is in', async () => {
    const server = await startTestServer({ httpPort: 0, accounts: 'required' });
    try {
      const page = await openChatPage(rig.browser, `http://127.0.0.1:${server.httpAddress!.port}/`);
      await pickName(page, 'Jo');
      await expect.poll(() => text(page, '#login-error')).toBe('This server admits only users with an account: log in, or create one.');
      await page.click('#mode-create');
      await page.fill('#name', 'Jo');
      await page.fill('#password', PASSWORD);
      await page.fill('#password-again', 'not the same');
      await page.click('#login button[type=submit]');
      await expect.poll(() => text(page, '#login-error')).toBe('The two passwords are not the same: type the new password twice.');
      await page.fill('#password', PASSWORD);
      await page.fill('#password-again', PASSWORD);
      await page.click('#login button[type=submit]');
      await inChat(page);
      await expect.poll(() => logTexts(page)).toContainEqual(expect.stringContaining('You logged in as Jo'));
      expect(server.core.names()).toEqual(['Jo']);
      expect(await passwordLeaks(page, PASSWORD)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('logs in again by itself after the server restarts, and says so', async () => {
    const data = mkdtempSync(join(tmpdir(), 'howdy-web-accounts-'));
    let server = await startTestServer({ httpPort: 0, data, ephemeral: false });
    const { port } = server;
    const httpPort = server.httpAddress!.port;
    try {
      const hal = await openChatPage(rig.browser, `http://127.0.0.1:${httpPort}/`);
      await registerAs(hal, 'Hal', PASSWORD);
      await server.close();
      await expect.poll(() => text(hal, '#status')).toMatch(/^disconnected/);
      server = await startTestServer({ port, httpPort, data, ephemeral: false });
      await expect.poll(() => logTexts(hal), { timeout: 15_000 }).toContainEqual(expect.stringContaining('Reconnected, and logged in again as Hal.'));
      const peer = await connect('127.0.0.1', port);
      rig.peers.push(peer);
      await peer.requestCapabilities(['accounts']);
      expect(await peer.register('hal')).toMatchObject({ accepted: false }); // a guest may not take it…
      expect(await peer.whois('hal')).toMatchObject({ name: 'Hal', online: true, registered: true }); // …Hal has it, logged in
      expect(await passwordLeaks(hal, PASSWORD)).toEqual([]);
    } finally {
      await server.close();
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('web client: accounts at phone and desktop sizes', { timeout: 45_000 }, () => {
  it('shows the log-in form on a phone (dark) and a profile card on a desktop (light), within the screen', async () => {
    mkdirSync(`${repoRoot}/test-artifacts`, { recursive: true });
    const owner = await rig.open();
    await registerAs(owner, 'Jon Stewart', PASSWORD);
    await openSettings(owner);
    await saveProfile(owner, { displayName: 'Jon', status: 'Away', statusMessage: 'back after lunch', about: 'Host, comedian, occasional chat user. Ask me about the Daily Show.' });

    const phone = await rig.open({ ...PHONE, colorScheme: 'dark' });
    await pickName(phone, 'jon stewart');
    await expect.poll(() => text(phone, '#login-error')).toContain('That name is registered');
    await phone.fill('#password', 'hunter22');
    const widths = await phone.evaluate(() => ({ page: document.scrollingElement!.scrollWidth, form: document.getElementById('login')!.getBoundingClientRect().right }));
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.form).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: `${repoRoot}/test-artifacts/web-login-phone-dark.png` });

    const desktop = await rig.open({ ...DESKTOP, colorScheme: 'light' });
    await joinAs(desktop, 'Stephen');
    await desktop.getByRole('button', { name: 'Profile of Jon Stewart' }).click();
    await expect.poll(() => text(desktop, '#fact-status')).toBe('Away: back after lunch');
    await desktop.screenshot({ path: `${repoRoot}/test-artifacts/web-profile-desktop-light.png` });

    // the settings fit a phone: nothing wider than the screen, and the dialog scrolls within it
    const small = await rig.open({ ...PHONE, colorScheme: 'light' });
    await registerAs(small, 'Kit', PASSWORD);
    await openSettings(small);
    await small.screenshot({ path: `${repoRoot}/test-artifacts/web-settings-phone-light.png` });
    const box = (await small.locator('#settings').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
  });
});

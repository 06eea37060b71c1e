/**
 * Statuses in the web client's people list (docs/protocol.md §10.3), in real browsers: Alice sets
 * herself away in Settings and everyone's list shows it at once (a hollow dot, "away", her message
 * below and as the tooltip), a newcomer sees it on arrival, a user of another client going busy
 * shows live, and coming back clears it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import { joinAs, screenshot, signUp, webRig } from '../helpers/browser.js';

const rig = webRig();
const PASSWORD = 'correct horse battery';

/** A person's line in the people list: its classes, what it shows, its tooltip. */
async function person(page: Page, name: string): Promise<{ classes: string; shown: string; title: string | null }> {
  const li = page.locator(`#users li[data-name="${name}"]`);
  return { classes: (await li.getAttribute('class')) ?? '', shown: (await li.locator('.who').innerText()).replace(/\s+/g, ' '), title: (await li.locator('.who').getAttribute('title')) || null };
}

async function setStatus(page: Page, status: 'Available' | 'Away' | 'Busy', message: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings: your profile and password' }).click();
  await page.locator('#profile').waitFor();
  await page.getByRole('radio', { name: status }).check();
  await page.fill('#status-message', message);
  await page.click('#profile button[type=submit]');
  await expect.poll(() => page.locator('#profile-done').innerText()).toBe('Your profile is saved.');
  await page.keyboard.press('Escape');
}

describe('statuses in the web client', () => {
  it("shows who is away or busy in everyone's people list, live, and to a newcomer at once", async () => {
    const alice = await rig.open({ viewport: { width: 1100, height: 640 } });
    await signUp(alice, 'Alice', PASSWORD);
    const bob = await rig.open({ viewport: { width: 1100, height: 640 } });
    await joinAs(bob, 'Bob');
    await expect.poll(() => person(bob, 'Alice')).toEqual({ classes: '', shown: 'Alice', title: null });

    await setStatus(alice, 'Away', 'lunch, back at 2');
    await expect.poll(() => person(bob, 'Alice')).toEqual({ classes: 'away', shown: 'Alice away lunch, back at 2', title: 'away: lunch, back at 2' });
    expect(await person(alice, 'Alice')).toEqual({ classes: 'me away', shown: 'Alice (you) away lunch, back at 2', title: 'away: lunch, back at 2' });

    // another client's user: busy, live
    const carol = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(carol);
    await carol.requestCapabilities(['accounts']);
    await carol.createAccount(PASSWORD, 'Carol');
    await expect.poll(() => person(bob, 'Carol')).toEqual({ classes: '', shown: 'Carol', title: null });
    await carol.setProfile({ status: 'busy', statusMessage: 'on a call' });
    await expect.poll(() => person(bob, 'Carol')).toEqual({ classes: 'busy', shown: 'Carol busy on a call', title: 'busy: on a call' });
    await expect.poll(() => person(alice, 'Carol')).toMatchObject({ classes: 'busy' });

    const dan = await rig.open();
    await joinAs(dan, 'Dan');
    await expect.poll(() => person(dan, 'Alice')).toMatchObject({ classes: 'away', title: 'away: lunch, back at 2' });
    await expect.poll(() => person(dan, 'Carol')).toMatchObject({ classes: 'busy' });
    await screenshot(bob, 'web-status');

    await setStatus(alice, 'Available', '');
    await expect.poll(() => person(bob, 'Alice')).toEqual({ classes: '', shown: 'Alice', title: null });
    await expect.poll(() => person(dan, 'Alice')).toEqual({ classes: '', shown: 'Alice', title: null });
  });
});

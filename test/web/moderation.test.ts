/**
 * Moderation in the web client (docs/protocol.md §10.6), in a real browser: an admin's Moderation
 * panel lists who is online, kicks and bans users connected over TCP (who are told why), lifts the
 * ban; live charts of the server's metrics; the composer takes the same commands; a user without a role has no Moderation entry.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChatClient } from '../../src/client/client.js';
import { connect } from '../../src/client/tcp.js';
import { joinAs, logIn, logTexts, say, screenshot, webRig } from '../helpers/browser.js';

const rig = webRig();
const PASSWORD = 'correct horse battery';

/** An account made over TCP, given `role` by the server's store. */
async function staffAccount(name: string, role: 'admin' | 'moderator'): Promise<void> {
  const c = await connect('127.0.0.1', rig.server.port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(PASSWORD, name);
  c.close();
  await rig.server.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
}

/** A guest over TCP (HCP/2), its close reason kept. */
async function tcpGuest(name: string): Promise<{ client: ChatClient; closed: Promise<string> }> {
  const client = await connect('127.0.0.1', rig.server.port);
  rig.peers.push(client);
  const closed = client.once('close').then((e) => e.reason);
  expect(await client.register(name)).toMatchObject({ accepted: true });
  return { client, closed };
}

const userRow = (page: Page, name: string) => page.locator(`#mod-users li[data-name="${name}"]`);

describe('the Moderation panel', () => {
  it('an admin kicks a TCP user (told why, disconnected), bans another and lifts the ban; the composer takes /users', async () => {
    await staffAccount('boss', 'admin');
    const page = await rig.open({ viewport: { width: 1280, height: 800 } });
    await logIn(page, 'boss', PASSWORD);
    const bob = await tcpGuest('bob');
    const carl = await tcpGuest('carl');

    await page.click('#moderation-toggle');
    const dialog = page.locator('#moderation-dialog');
    await expect.poll(() => userRow(page, 'bob').innerText()).toMatch(/bob[\s\S]*127\.0\.0\.1 · since \d\d:\d\d · tcp\/framed/);
    await expect.poll(() => userRow(page, 'boss').innerText()).toMatch(/boss \(you\)\s*admin/);
    expect(await userRow(page, 'boss').getByRole('button').count()).toBe(0); // no actions on oneself

    await dialog.getByRole('button', { name: 'Kick bob' }).click();
    await page.fill('#mod-kick-text', 'spamming');
    await screenshot(page, 'web-moderation');
    await page.click('#mod-kick button[type=submit]');
    expect(await bob.closed).toBe('you were kicked by boss: spamming');
    await expect.poll(() => userRow(page, 'bob').count()).toBe(0); // the list asked again

    await dialog.getByRole('button', { name: 'Ban carl' }).click();
    await page.selectOption('#mod-ban-length', { label: 'an hour' });
    await page.fill('#mod-ban-text', 'flooding');
    await page.click('#mod-ban button[type=submit]');
    expect(await carl.closed).toMatch(/^banned until \d{4}-\d\d-\d\dT[\d:.]+Z: flooding$/);
    // a banned name is refused when it comes back
    const again = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(again);
    expect(await again.register('carl')).toMatchObject({ accepted: false, reason: expect.stringMatching(/^banned until/) });

    await page.getByRole('tab', { name: 'Bans' }).click();
    const ban = page.locator('#mod-bans li', { hasText: 'carl' });
    await expect.poll(() => ban.innerText()).toMatch(/carl\s*name[\s\S]*until \d{4}-\d\d-\d\d \d\d:\d\d UTC · by boss · flooding/);
    await ban.getByRole('button', { name: 'Unban carl' }).click();
    await page.locator('#no-bans').waitFor();
    expect(await again.register('carl')).toMatchObject({ accepted: true });

    await page.getByRole('tab', { name: 'Announce' }).click();
    await page.fill('#announce-text', 'Back in five');
    const told = again.once('message');
    await page.click('#announce button[type=submit]');
    expect(await told).toMatchObject({ from: 'Server', to: 'All', text: 'Back in five' });

    // live charts of /metrics, sampled every 2 s: the connections open (this page, carl's), messages as they come
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const value = (metric: string) => page.locator(`[data-metric=${metric}] .metric-value`).innerText();
    await expect.poll(() => value('connections')).toBe('2');
    expect(await page.locator('#mod-metrics canvas').count()).toBe(4);
    const talk = setInterval(() => again.send('All', 'busy busy'), 50);
    try {
      await expect.poll(() => value('messagesPerSecond'), { timeout: 8000 }).toMatch(/^[1-9][\d.]*\/s$/);
    } finally {
      clearInterval(talk);
    }
    expect(await value('lagMs')).toMatch(/^[\d.]+ ms$/);
    await screenshot(page, 'web-moderation-metrics');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // the composer: the same commands, the results in the log; a refusal under the text box (a
    // busy machine may take more than the poll's default second to answer and draw them)
    await say(page, '/users');
    await expect.poll(async () => (await logTexts(page)).join('\n'), { timeout: 10_000 }).toMatch(/NAME +ADDRESS +SINCE \(UTC\)/);
    await say(page, '/kick nobody');
    await expect.poll(() => page.locator('#send-error').innerText(), { timeout: 10_000 }).toMatch(/nobody/i);
  });

  it("what the affected users see: a message deleted, an announcement, a mute, rooms taken over and closed, a kick that is not undone by a reconnect", async () => {
    await staffAccount('chief', 'admin');
    const admin = await rig.open({ viewport: { width: 1280, height: 800 } });
    await logIn(admin, 'chief', PASSWORD);
    const wendy = await rig.open({ viewport: { width: 1280, height: 800 } });
    await joinAs(wendy, 'wendy');
    const classic = await connect('127.0.0.1', rig.server.port, { classic: true });
    rig.peers.push(classic);
    expect(await classic.register('oldie')).toMatchObject({ accepted: true });
    const wait = { timeout: 10_000 };

    // delete: the admin's delete action is on wendy's message too; it goes in her page
    await say(wendy, 'something rude');
    const rude = admin.locator('#log li', { hasText: 'something rude' });
    await rude.hover();
    await rude.getByRole('button', { name: "Delete wendy's message" }).click();
    await admin.getByRole('dialog', { name: "Delete wendy's message?" }).getByRole('button', { name: 'Delete for everyone' }).click();
    await expect.poll(() => wendy.locator('#log li.own .deleted').count(), wait).toBe(1);
    expect(await logTexts(wendy)).not.toContain(expect.stringContaining('something rude'));

    const panel = async (tab: string) => {
      if (!(await admin.locator('#moderation-dialog').isVisible())) await admin.click('#moderation-toggle');
      await admin.getByRole('tab', { name: tab }).click();
    };
    // announce: the classic socket gets a MESSAGE from Server, the web user the notice
    await panel('Announce');
    await admin.fill('#announce-text', 'Maintenance at noon');
    const told = classic.once('message');
    await admin.click('#announce button[type=submit]');
    expect(await told).toMatchObject({ from: 'Server', to: 'All', text: 'Maintenance at noon' });
    await expect.poll(() => wendy.locator('.motd').innerText(), wait).toContain('Maintenance at noon');

    // mute: wendy's messages are refused in plain words
    await panel('People online');
    await admin.locator('#moderation-dialog').getByRole('button', { name: 'Mute wendy' }).click();
    await admin.click('#mod-mute button[type=submit]');
    await expect.poll(() => admin.locator('#mod-users li[data-name="wendy"]').innerText(), wait).toMatch(/muted/);
    await say(wendy, 'anyone there?');
    await expect.poll(async () => (await logTexts(wendy)).join('\n'), wait).toMatch(/You are muted until \d{4}-\d\d-\d\d \d\d:\d\d UTC; your message was not sent\./);

    // rooms: taken over, then closed (asked once more), as their owner sees
    const olga = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(olga);
    await olga.requestCapabilities(['accounts', 'rooms']);
    await olga.createAccount(PASSWORD, 'olga');
    await olga.createRoom('#den');
    await panel('Rooms');
    const den = admin.locator('#mod-rooms li[data-room="#den"]');
    const roles = olga.once('room');
    await den.getByRole('button', { name: 'Take over #den' }).click();
    expect(await roles).toMatchObject({ room: '#den', event: 'role' });
    const closed = new Promise((resolve) => olga.on('room', (e) => e.event === 'delete' && resolve(e)));
    await den.getByRole('button', { name: 'Close #den' }).click();
    await den.getByRole('button', { name: 'Close #den for good' }).click();
    expect(await closed).toMatchObject({ room: '#den', by: 'chief' });
    await expect.poll(() => den.count(), wait).toBe(0);
    await admin.fill('#mod-room-name', 'nowhere');
    await admin.locator('#mod-room').getByRole('button', { name: 'Close it for good' }).click();
    await expect.poll(() => admin.locator('#mod-room-error').innerText(), wait).toMatch(/#nowhere/);

    // kick: wendy's page says why and stays out, until she joins again by hand
    await panel('People online');
    await admin.locator('#moderation-dialog').getByRole('button', { name: 'Kick wendy' }).click();
    await admin.fill('#mod-kick-text', 'spam');
    await admin.click('#mod-kick button[type=submit]');
    await expect.poll(() => wendy.locator('#removed').innerText(), wait).toMatch(/^You were kicked by chief: spam\./);
    expect(await wendy.locator('#status').innerText()).toBe('disconnected: you were kicked');
    await screenshot(wendy, 'web-kicked');
    await new Promise((r) => setTimeout(r, 2500)); // past the first reconnect (1 s) and the second (2 s) of a drop
    expect(classic.users).not.toContain('wendy');
    expect(await wendy.locator('#removed').count()).toBe(1);
    await wendy.click('#join-again');
    await expect.poll(async () => (await logTexts(wendy)).join('\n'), wait).toContain('Reconnected as wendy.');
    await expect.poll(() => classic.users, wait).toContain('wendy');
  });

  it('a user without a role has no Moderation entry, and the commands are refused in plain words', async () => {
    const page = await rig.open({ viewport: { width: 1280, height: 800 } });
    await joinAs(page, 'visitor');
    await say(page, '/users');
    await expect.poll(() => page.locator('#send-error').innerText()).toBe('Not allowed: only a logged-in admin or moderator may do that.');
    expect(await page.locator('#moderation-toggle').count()).toBe(0);
  });
});

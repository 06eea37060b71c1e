/**
 * Rooms in the web client (docs/protocol.md §10.4), driven as people use them, in real browsers:
 * Alice (registered) creates rooms, Bob (a guest, in a browser context of his own) finds and joins
 * one, they talk there while Carol in the lobby hears nothing of it; unread badges, the topic edited
 * in place, a private room Bob is added to, the members panel, the owner deleting a room, the
 * rooms back after logging in elsewhere, and the sidebar's drawer on a phone.
 *
 * The tests of this file follow one story: each goes on from where the one before left off.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { dropConnection, joinAs, logIn, logTexts, pick, recordSockets, say, screenshot, signUp, webRig } from '../helpers/browser.js';

const rig = webRig();

const PASSWORD = 'correct horse battery';
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true };

const text = (page: Page, selector: string) => page.locator(selector).innerText();
/** The rooms in the sidebar, as shown. */
const sidebarRooms = (page: Page) => page.locator('#rooms li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-name')));
const badge = (page: Page, name: string) => page.locator(`#sidebar li[data-name="${name}"] .badge`);
const shown = (page: Page) => text(page, '#conversation-title');

/** Opens the dialog of the + by Rooms, on the tab asked for. */
async function openRooms(page: Page, tab: 'Find a room' | 'Create a room'): Promise<void> {
  await page.getByRole('button', { name: 'Find, join or create a room' }).click();
  await page.getByRole('tab', { name: tab }).click();
}

async function createRoom(page: Page, name: string, topic: string, { private: isPrivate = false } = {}): Promise<void> {
  await openRooms(page, 'Create a room');
  await page.fill('#room-name', name);
  await page.fill('#room-topic', topic);
  if (isPrivate) await page.check('#room-private-new');
  await page.press('#room-topic', 'Enter');
  await expect.poll(() => shown(page)).toBe(name);
}

/** The names in the browse list of the rooms dialog (open). */
const browsable = (page: Page) => page.locator('#room-browser li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-room')));

/** A registered user over TCP, with rooms: its room events kept as "event name role". */
async function registeredPeer(name: string): Promise<{ client: ChatClient; events: string[] }> {
  const client = await connect('127.0.0.1', rig.server.port);
  rig.peers.push(client);
  await client.requestCapabilities(['accounts', 'rooms']);
  await client.createAccount(PASSWORD, name);
  const events: string[] = [];
  client.on('room', (e) => void events.push(`${e.room} ${e.event} ${e.name ?? ''} ${e.role ?? ''}`.trim()));
  return { client, events };
}

/** The story's people: Alice and Bob in browsers, Carol a terminal-side user in the lobby (with rooms, in none), Dave registered. */
const story = {} as { alice: Page; bob: Page; carol: ChatClient; carolGot: string[]; dave: { client: ChatClient; events: string[] } };

describe('web client: rooms', { timeout: 30_000 }, () => {
  it('Alice creates a room; Bob, a guest, finds it and joins; they talk there, and the lobby hears none of it', async () => {
    const alice = await rig.open({ ...DESKTOP, colorScheme: 'light' });
    await signUp(alice, 'Alice', PASSWORD);
    await createRoom(alice, '#tea', 'Oolong, sencha and gossip');
    expect(await sidebarRooms(alice)).toEqual(['#tea']);
    expect(await alice.evaluate(() => document.activeElement?.id)).toBe('text'); // the next thing is to type
    expect(await text(alice, '#target-label')).toBe('To #tea');
    expect(await logTexts(alice)).toEqual([expect.stringContaining('You created #tea: you are its owner.')]);

    const bob = await rig.open({ ...DESKTOP, colorScheme: 'dark' });
    await joinAs(bob, 'Bob');
    const carol = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(carol);
    await carol.requestCapabilities(['rooms']);
    await carol.register('Carol');
    const carolGot: string[] = [];
    carol.on('message', (m) => void (m.own || carolGot.push(`${m.from}>${m.to}: ${m.text}`)));
    Object.assign(story, { alice, bob, carol, carolGot });

    // a guest finds rooms, and is told why he cannot create one
    await openRooms(bob, 'Create a room');
    expect(await text(bob, '#create-room-guest')).toContain('Only registered users create rooms, and you are a guest.');
    await bob.keyboard.press('ArrowLeft'); // the tabs, from the keyboard
    await expect.poll(() => browsable(bob)).toEqual(['#tea']);
    expect(await text(bob, '#room-browser li')).toMatch(/#tea · 1 member\s+Oolong, sencha and gossip/);
    await screenshot(bob, 'web-rooms-find-desktop-dark');
    await bob.getByRole('button', { name: 'Join #tea' }).click();
    await expect.poll(() => shown(bob)).toBe('#tea');
    expect(await text(bob, '#topic')).toBe('Oolong, sencha and gossip');
    expect(await text(bob, '#members-toggle')).toBe('2 members');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Bob joined.'));
    await expect.poll(() => text(alice, '#members-toggle')).toBe('2 members');

    await say(bob, 'Howdy, Alice! Kettle on?');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Bob Howdy, Alice! Kettle on?'));
    await say(alice, 'Always. Welcome, Bob.');
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('Alice Always. Welcome, Bob.'));

    // the lobby is a conversation of its own
    await pick(bob, 'Talk to everyone');
    expect(await text(bob, '#target-label')).toBe('To everyone');
    expect((await logTexts(bob)).join('\n')).not.toContain('Kettle on?');
    await say(bob, 'anyone else for tea?');
    await expect.poll(() => carolGot).toContain('Bob>All: anyone else for tea?');
    expect(carolGot.join('\n')).not.toMatch(/Kettle|Welcome/); // the room's messages were sent before, and never reached her
  });

  it('counts a room\'s messages while another conversation is shown, and clears the count when it is', async () => {
    const { alice, bob } = story;
    await say(alice, 'The oolong is ready.');
    await say(alice, 'And there are biscuits.');
    await expect.poll(() => badge(bob, '#tea').innerText()).toBe('2');
    expect(await badge(bob, '#tea').getAttribute('aria-label')).toBe('2 unread: messages in #tea. Mark as read');
    expect((await logTexts(bob)).join('\n')).not.toContain('oolong is ready');
    await pick(bob, 'Room #tea');
    await expect.poll(() => badge(bob, '#tea').count()).toBe(0);
    expect(await logTexts(bob)).toContainEqual(expect.stringContaining('Alice And there are biscuits.'));
    expect(await text(bob, '#target-label')).toBe('To #tea');
  });

  it('lets the owner edit the topic in place, seen live by Bob, who may only read it', async () => {
    const { alice, bob } = story;
    await alice.getByRole('button', { name: /^Topic: .*Edit the topic$/ }).click();
    await alice.fill('#topic-input', 'Second flush Darjeeling');
    await alice.press('#topic-input', 'Enter');
    await expect.poll(() => text(bob, '#topic')).toBe('Second flush Darjeeling');
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('Alice set the topic to “Second flush Darjeeling”.'));
    // Alice's own page is told by the same notice, which may reach Bob's first
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('You set the topic to “Second flush Darjeeling”.'));
    await expect.poll(() => alice.evaluate(() => document.activeElement?.id)).toBe('topic');
    // Esc gives up an edit
    await alice.keyboard.press('Enter');
    await alice.fill('#topic-input', 'not this');
    await alice.press('#topic-input', 'Escape');
    expect(await text(alice, '#topic')).toContain('Second flush Darjeeling');

    // a plain member reads it, and the shared slash command is refused in plain words
    expect(await bob.locator('button#topic').count()).toBe(0);
    await say(bob, '/topic Builder\'s tea only');
    await expect.poll(() => text(bob, '#send-error')).toBe('Only the owner and operators of #tea may do that.');
    expect(await bob.inputValue('#text')).toBe('/topic Builder\'s tea only'); // nothing typed is lost
    await say(bob, '/topic');
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('The topic of #tea: Second flush Darjeeling'));
    await screenshot(bob, 'web-rooms-desktop-dark');
  });

  it('keeps a private room out of sight until its owner adds Bob by name, then it is in his sidebar', async () => {
    const { alice, bob } = story;
    await createRoom(alice, '#plans', 'The surprise party', { private: true });
    await openRooms(bob, 'Find a room');
    await expect.poll(() => browsable(bob)).toEqual(['#tea']);
    await bob.keyboard.press('Escape');
    await expect.poll(() => bob.locator('#rooms-dialog').count()).toBe(0);

    await alice.getByRole('button', { name: 'Members of #plans: 1 member' }).click();
    await alice.fill('#add-member-name', 'bob');
    await alice.press('#add-member-name', 'Enter');
    await expect.poll(() => text(alice, '#add-member-done')).toBe('bob is in #plans now.');
    await expect.poll(() => alice.locator('#member-list li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Alice \(you\)\s+the owner · online$/), expect.stringMatching(/^Bob\s+a plain member · online · a guest\s+Remove Bob$/),
    ]);
    expect(await alice.getByRole('button', { name: 'Make Bob an operator' }).count()).toBe(0); // a guest holds no role
    await screenshot(alice, 'web-rooms-members-desktop-light');
    await alice.keyboard.press('Escape');
    expect(await alice.evaluate(() => document.activeElement?.id)).toBe('members-toggle');
    expect(await logTexts(alice)).toContainEqual(expect.stringContaining('You added bob.'));

    await expect.poll(() => sidebarRooms(bob)).toEqual(['#plans', '#tea']);
    expect(await text(bob, '#rooms li[data-name="#plans"]')).toContain('private');
    await pick(bob, 'Room #plans, private');
    expect(await logTexts(bob)).toEqual([expect.stringContaining('You were added by Alice.')]);
    await pick(alice, 'Room #tea');
    await say(bob, 'Count me in for the party!');
    await expect.poll(() => badge(alice, '#plans').innerText()).toBe('1');
    await alice.focus('#text');
    await screenshot(alice, 'web-rooms-desktop-light');
  });

  it('shows the rooms both are in on a profile card', async () => {
    const { bob } = story;
    await bob.getByRole('button', { name: 'Profile of Alice' }).click();
    await expect.poll(() => text(bob, '#fact-rooms')).toBe('#plans, #tea');
    await bob.keyboard.press('Escape');
  });

  it('tells the owner to hand a room over or delete it; deleted, it leaves Bob\'s sidebar with a line saying so', async () => {
    const { alice, bob } = story;
    await pick(alice, 'Room #plans, private');
    expect(await logTexts(alice)).toContainEqual(expect.stringContaining('Bob Count me in for the party!'));
    await alice.getByRole('button', { name: 'More for #plans' }).click();
    await expect.poll(() => alice.evaluate(() => document.activeElement?.textContent)).toBe('Members and settings');
    await alice.keyboard.press('ArrowDown');
    await alice.keyboard.press('Enter');
    const leave = alice.getByRole('dialog', { name: 'Leave or delete #plans' });
    expect(await leave.innerText()).toContain('You own #plans, so you cannot just leave it.');
    await screenshot(alice, 'web-rooms-leave-desktop-light');
    await leave.getByRole('button', { name: 'Delete #plans' }).click();
    await expect.poll(() => shown(alice)).toBe('Everyone');
    expect(await sidebarRooms(alice)).toEqual(['#tea']);
    expect(await logTexts(alice)).toContainEqual(expect.stringContaining('#plans: You deleted the room.'));

    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('The room was deleted by Alice.'));
    expect(await sidebarRooms(bob)).toEqual(['#tea']);
    expect(await text(bob, '#target-label')).toBe('To #plans (you are not in it)');
    await pick(bob, 'Room #tea');
    await pick(alice, 'Room #tea');
  });

  it('leaves and joins again with the shared slash commands', async () => {
    const { alice, bob } = story;
    await say(bob, '/part');
    await expect.poll(() => sidebarRooms(bob)).toEqual([]);
    expect(await shown(bob)).toBe('Everyone');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Bob left.'));
    await say(bob, '/join tea');
    await expect.poll(() => shown(bob)).toBe('#tea');
    expect(await sidebarRooms(bob)).toEqual(['#tea']);
  });

  it('shows Alice\'s rooms again when she logs in from another browser, and after her connection drops', async () => {
    await story.alice.context().close();
    const alice = await rig.open({ ...PHONE, colorScheme: 'dark' }, recordSockets);
    story.alice = alice;
    await logIn(alice, 'Alice', PASSWORD);
    await alice.click('#sidebar-toggle');
    await expect.poll(() => sidebarRooms(alice)).toEqual(['#tea']);
    await alice.keyboard.press('Escape');

    // while she is away, Dave adds her to a room of his: back, she is in it
    story.dave = await registeredPeer('Dave');
    await story.dave.client.createRoom('#garden', { topic: 'Tomatoes' });
    await dropConnection(alice);
    await expect.poll(() => text(alice, '#status')).toMatch(/^disconnected/);
    await story.dave.client.inviteToRoom('#garden', 'Alice');
    await expect.poll(() => logTexts(alice), { timeout: 10_000 }).toContainEqual(expect.stringContaining('Reconnected, and logged in again as Alice.'));
    await alice.click('#sidebar-toggle');
    await expect.poll(() => sidebarRooms(alice)).toEqual(['#garden', '#tea']);
  });

  it('lets the owner name an operator and hand the room over, from the members panel', async () => {
    const { alice, dave } = story;
    await pick(alice, 'Room #tea');
    await alice.getByRole('button', { name: /^Members of #tea/ }).click();
    await alice.fill('#add-member-name', 'Dave');
    await alice.press('#add-member-name', 'Enter');
    await alice.getByRole('button', { name: 'Make Dave an operator' }).click();
    await expect.poll(() => dave.events).toContain('#tea role Dave operator');
    await alice.getByRole('button', { name: 'Make Dave the owner…' }).click();
    await screenshot(alice, 'web-rooms-members-phone-dark');
    await alice.getByRole('button', { name: 'Hand it over' }).click();
    await expect.poll(() => dave.events).toContain('#tea role Dave owner');
    await expect.poll(() => alice.locator('#member-list li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Dave\s+the owner · online$/), expect.stringMatching(/^Alice \(you\)\s+an operator · online$/),
      expect.stringMatching(/^Bob\s+a plain member · online · a guest\s+Remove Bob$/), // an operator removes plain members only
    ]);
    await alice.keyboard.press('Escape');
    expect(await logTexts(alice)).toContainEqual(expect.stringContaining('You handed the room over to Dave.'));
    await alice.getByRole('button', { name: 'More for #tea' }).click();
    expect(await alice.getByRole('menuitem', { name: 'Leave the room…' }).count()).toBe(1); // an operator may leave
    await alice.keyboard.press('Escape');
    expect(await alice.locator('button#topic').count()).toBe(1); // and still sets the topic
  });

  it('works at phone width: the sidebar is a drawer, and picking a room there shows it', async () => {
    const { alice, bob, dave } = story;
    await pick(alice, 'Talk to everyone');
    await say(bob, 'Alice, the kettle is on.');
    dave.client.send('#garden', 'The first tomatoes are in!');
    await expect.poll(() => alice.getByRole('button', { name: 'Rooms and people: 2 unread' }).count()).toBe(1);
    await alice.click('#sidebar-toggle');
    expect(await badge(alice, '#garden').innerText()).toBe('1');
    await screenshot(alice, 'web-rooms-phone-dark-drawer');
    await pick(alice, 'Room #tea');
    await expect.poll(() => alice.locator('#sidebar').isVisible()).toBe(false);
    expect(await shown(alice)).toBe('#tea');
    expect(await alice.evaluate(() => document.activeElement?.id)).toBe('text');
    await say(bob, 'Welcome back, Alice!');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Bob Welcome back, Alice!'));
    const fits = await alice.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth && document.getElementById('text')!.getBoundingClientRect().bottom <= innerHeight);
    expect(fits).toBe(true);
    await screenshot(alice, 'web-rooms-phone-dark');

    // the drawer from the keyboard: Esc closes it, back on its button
    await alice.focus('#sidebar-toggle');
    await alice.keyboard.press('Enter');
    await expect.poll(() => alice.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Talk to everyone');
    await alice.keyboard.press('Escape');
    await expect.poll(() => alice.locator('#sidebar').isVisible()).toBe(false);
    expect(await alice.evaluate(() => document.activeElement?.id)).toBe('sidebar-toggle');

    const light = await rig.open({ ...PHONE, colorScheme: 'light' });
    await joinAs(light, 'Dee');
    await light.click('#sidebar-toggle');
    await openRooms(light, 'Find a room');
    await light.keyboard.press('Escape'); // closes the dialog, not the drawer under it
    await expect.poll(() => light.locator('#rooms-dialog').count()).toBe(0);
    expect(await light.locator('#sidebar').isVisible()).toBe(true);
    expect(await light.evaluate(() => document.activeElement?.id)).toBe('rooms-add');
    await openRooms(light, 'Find a room');
    await light.getByRole('button', { name: 'Join #tea' }).click();
    await expect.poll(() => shown(light)).toBe('#tea');
    expect(await light.locator('#sidebar').isVisible()).toBe(false);
    await say(light, 'Howdy, tea people!');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Dee Howdy, tea people!'));
    await screenshot(light, 'web-rooms-phone-light');
  });
});

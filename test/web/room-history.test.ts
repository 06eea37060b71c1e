/**
 * A room's history for newcomers in the web client (docs/protocol.md §10.4 HISTORY, §11), in a real
 * browser: the owner unticks "Newcomers see earlier messages" in the members panel; a member over
 * TCP is told, and a newcomer reads the room only from its join; ticked again, all of it.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { logTexts, say, signUp, webRig } from '../helpers/browser.js';

const rig = webRig();
const PASSWORD = 'correct horse battery';

/** A registered user over TCP, with rooms and history: its room events kept as "room event history by". */
async function registeredPeer(name: string): Promise<{ client: ChatClient; events: string[] }> {
  const client = await connect('127.0.0.1', rig.server.port);
  rig.peers.push(client);
  await client.requestCapabilities(['accounts', 'rooms', 'history']);
  await client.createAccount(PASSWORD, name);
  const events: string[] = [];
  client.on('room', (e) => void events.push(`${e.room} ${e.event} ${e.history ?? ''} ${e.by ?? ''}`.trim()));
  return { client, events };
}
const texts = async (client: ChatClient, room: string) => (await client.history(room)).messages.map((m) => m.text);

describe('web client: what newcomers read of a room', { timeout: 30_000 }, () => {
  it("the owner's checkbox in the members panel chooses; members are told; newcomers read from their join", async () => {
    const alice = await rig.open({ viewport: { width: 1280, height: 800 } });
    await signUp(alice, 'Alice', PASSWORD);
    await say(alice, '/join #den');
    await expect.poll(() => alice.locator('#conversation-title').innerText()).toBe('#den');
    const bob = await registeredPeer('Bob');
    await bob.client.joinRoom('#den');
    await say(alice, 'said before anyone new');
    await expect.poll(() => texts(bob.client, '#den')).toEqual(['said before anyone new']);

    await alice.getByRole('button', { name: /^Members of #den/ }).click();
    const box = alice.locator('#room-history');
    expect(await box.isChecked()).toBe(true); // the default: newcomers read everything
    await box.click(); // the box shows the room's setting: it changes once the server said yes
    await expect.poll(() => bob.events).toContain('#den history joined Alice');
    await expect.poll(() => box.isChecked()).toBe(false);
    await alice.keyboard.press('Escape');
    expect(await logTexts(alice)).toContainEqual(expect.stringContaining("You chose that newcomers see the room's messages only from when they join."));

    const carol = await registeredPeer('Carol');
    await carol.client.joinRoom('#den');
    await say(alice, 'hello Carol');
    await expect.poll(() => texts(carol.client, '#den')).toEqual(['hello Carol']);
    expect(await texts(bob.client, '#den')).toEqual(['said before anyone new', 'hello Carol']); // bob keeps what he read

    await alice.getByRole('button', { name: /^Members of #den/ }).click();
    await alice.locator('#room-history').click();
    await expect.poll(() => bob.events).toContain('#den history all Alice');
    await expect.poll(() => alice.locator('#room-history').isChecked()).toBe(true);
    await expect.poll(() => texts(carol.client, '#den')).toEqual(['said before anyone new', 'hello Carol']);
    await alice.keyboard.press('Escape');

    // a new room can be made so from the start
    await alice.getByRole('button', { name: 'Find, join or create a room' }).click();
    await alice.getByRole('tab', { name: 'Create a room' }).click();
    await alice.fill('#room-name', '#quiet');
    await alice.locator('#room-history-new').uncheck();
    await alice.press('#room-name', 'Enter');
    await expect.poll(() => alice.locator('#conversation-title').innerText()).toBe('#quiet');
    expect((await bob.client.listRooms()).find((r) => r.name === '#quiet')).toMatchObject({ history: 'joined' });
  });
});

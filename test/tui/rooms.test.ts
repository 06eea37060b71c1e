/**
 * Rooms in the terminal client, in a real terminal (tmux) against a real server (docs/protocol.md
 * §10.4): windows for the lobby, each room and each whisper, switched with Alt-N and Ctrl-N/P, with
 * unread marks; room commands; being removed and a room deleted; back in one's rooms after a restart.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { logRows } from '../helpers/screen-layout.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, stop, folder, session: user } = chatRig({ terminals: true });

const SECRET = 'hunter2-Sesame';

/** `howdy chat` logged in to `name`'s account (made here, through the client library, unless `made`). */
async function loggedInChat(port: number, name: string, made = false): Promise<string> {
  if (!made) {
    const c = await connect('127.0.0.1', port);
    await c.requestCapabilities(['accounts']);
    await c.createAccount(SECRET, name);
    c.close();
  }
  const file = join(folder(), 'password');
  writeFileSync(file, `${SECRET}\n`);
  chmodSync(file, 0o600);
  return `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name} --password-file ${file}`;
}

const guestChat = (port: number, name: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;

const header = (screen: string) => screen.split('\n')[0]!;
const inputLine = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

describe('howdy chat with rooms', () => {
  it('creates a room with /join; two users talk in it; windows switch with Alt-N and Ctrl-N/P and show what is unread', async () => {
    const server = await serve();
    const alice = new Terminal('alice', await loggedInChat(server.port, 'alice'), { columns: 80, rows: 24 });
    await alice.waitFor('You logged in as alice');

    alice.type('/join #tea');
    await alice.waitFor('You created #tea: you are its owner.');
    expect(header(alice.screen())).toMatch(/1:All \[2:#tea\]/);
    expect(inputLine(alice.screen())).toMatch(/^\[#tea\]>/);
    alice.type('/topic Oolong and friends');
    await alice.waitFor('#tea: Oolong and friends');
    expect(logRows(await alice.settled(), 24)[0]).toBe('#tea: Oolong and friends'); // the room's header row, the boxes whole

    const bob = await user(server.port, 'bob');
    await bob.joinRoom('#tea');
    await alice.waitFor('bob joined #tea');
    await alice.waitFor('#tea (2)'); // the members beside the log
    expect(bob.rooms[0]).toMatchObject({ name: '#tea', topic: 'Oolong and friends' });
    bob.send('hello tea drinkers', '#tea');
    await alice.waitFor('bob: hello tea drinkers');
    alice.type('welcome, bob');
    await expect.poll(() => bob.got).toEqual(['alice → #tea: welcome, bob']);

    // the lobby is window 1: the room's talk is not there
    alice.press('M-1');
    await alice.waitFor('[All]>');
    expect(header(alice.screen())).toMatch(/\[1:All\] 2:#tea/);
    expect(alice.screen()).not.toContain('hello tea drinkers');
    // something said in the room while the lobby is shown marks it
    bob.send('are you there?', '#tea');
    await alice.waitFor('2:#tea*');
    expect(alice.screen()).not.toContain('are you there?');
    alice.press('C-n');
    await alice.waitFor('bob: are you there?');
    expect(header(alice.screen())).toMatch(/1:All \[2:#tea\]/);
    alice.press('C-p');
    await alice.waitFor(/\[1:All\] 2:#tea\s*\n/);

    // a whisper opens its window (shown where the user is too); Ctrl-N goes round
    bob.send('psst', 'alice');
    await alice.waitFor('bob → you: psst');
    expect(header(alice.screen())).toMatch(/\[1:All\] 2:#tea 3:bob\*/);
    alice.press('M-3');
    await alice.waitFor('[→ bob]>');
    alice.type('just between us');
    await expect.poll(() => bob.got.at(-1)).toBe('alice → bob: just between us');
    alice.press('C-n');
    await alice.waitFor('[All]>');

    alice.type('/rooms');
    await alice.waitFor('#tea (2 members, joined, owner): Oolong');
    alice.type('/members #tea');
    await alice.waitFor('bob: member, online, a guest');
    alice.type('/whois bob');
    await alice.waitFor('rooms in common: #tea');
    alice.type('/part #tea');
    await alice.waitFor('You own #tea: /handover NAME gives it to');
    // the lobby's talk stays in the lobby
    alice.type('hi everyone');
    await expect.poll(() => bob.got.at(-1)).toBe('alice → All: hi everyone');
  });

  it('a guest removed from a room sees it, cannot talk there, closes it with /part; added again, then the room deleted', async () => {
    const server = await serve();
    const amy = await user(server.port, 'amy', 'amy secret');
    await amy.createRoom('#den', { topic: 'quiet' });
    const dave = new Terminal('dave', guestChat(server.port, 'dave'), { columns: 60, rows: 20 });
    await dave.waitFor('You joined as dave');
    dave.type('/join den');
    await dave.waitFor('You joined #den (2 members).');
    await dave.waitFor('~ amy'); // the owner, marked
    expect(logRows(await dave.settled(), 20)[0]).toBe('#den: quiet');
    dave.type('hi amy');
    await expect.poll(() => amy.got).toEqual(['dave → #den: hi amy']);

    await amy.removeFromRoom('#den', 'dave');
    await dave.waitFor('amy removed you from #den');
    await dave.waitFor('[#den (not in it)]>');
    dave.type('let me back');
    await dave.waitFor('! you are not in #den');
    expect(inputLine(dave.screen())).toContain('let me back'); // nothing sent: the line is kept
    expect(amy.got).toEqual(['dave → #den: hi amy']);
    dave.press('C-u');
    dave.type('/part');
    await dave.waitFor('Closed the window of #den');
    await expect.poll(() => header(dave.screen())).not.toContain('#den');

    await amy.inviteToRoom('#den', 'dave');
    await dave.waitFor('amy added you to #den'); // told in the lobby, where dave is
    await dave.waitFor('(window 2)');
    await expect.poll(() => header(dave.screen())).toMatch(/\[1:All\] 2:#den/);
    await amy.deleteRoom('#den');
    dave.press('M-2');
    await dave.waitFor('amy deleted #den');
    await dave.waitFor('#den (you are not in it)');
  });

  it('a logged-in user is back in their room after the server restarts, and in a new client', async () => {
    const data = folder('howdy-rooms-');
    const first = await serve({ data, ephemeral: false });
    const port = first.port;
    const command = await loggedInChat(port, 'alice');
    const alice = new Terminal('alice', command, { columns: 80, rows: 24 });
    await alice.waitFor('You logged in as alice');
    alice.type('/join #tea');
    await alice.waitFor('You created #tea');

    await stop(first);
    await alice.waitFor('Connection lost');
    await serve({ port, data, ephemeral: false });
    await alice.waitFor('Reconnected, and logged in again as alice.');
    const bob = await user(port, 'bob');
    await bob.joinRoom('#tea');
    bob.send('still here after the restart?', '#tea');
    await alice.waitFor('bob: still here after the restart?');
    alice.type('yes, still in #tea');
    await expect.poll(() => bob.got).toEqual(['alice → #tea: yes, still in #tea']);

    alice.type('/quit');
    await expect.poll(() => alice.alive()).toBe(false);
    const again = new Terminal('again', await loggedInChat(port, 'alice', true), { columns: 80, rows: 24 });
    await again.waitFor('You logged in as alice');
    await again.waitFor(/\[1:All\] 2:#tea/); // its window opened without a /join
    again.press('M-2');
    await again.waitFor('#tea (2)');
  });
});

/** The terminal client in a real terminal (tmux): two terminal users and a raw classic-socket user. */
import { afterAll, describe, expect, it } from 'vitest';
import { MsgType } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Terminal } from '../helpers/tmux.js';

let server: TestServer | undefined;
afterAll(async () => {
  await Terminal.killAll();
  await server?.close();
});

const chat = (port: number, name: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;
const lastLine = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

describe('howdy chat (terminal client)', () => {
  it('two terminal users and a raw socket user exchange broadcasts and whispers', async () => {
    server = await startTestServer();
    const alice = new Terminal('alice', chat(server.port, 'alice'));
    await alice.waitFor('You joined as alice');
    const bob = new Terminal('bob', chat(server.port, 'bob'), { columns: 90, rows: 24 });
    await bob.waitFor('You joined as bob');
    await alice.waitFor('* bob joined');
    const carol = await join(ClassicPeer.open(server.port), 'carol');
    await alice.waitFor('* carol joined');
    const list = await alice.waitFor(/Online \(3\)/);
    expect(list).toMatch(/│\s+alice \(you\)\s+│/); // the user's own name is marked in the list
    expect(list).toMatch(/│\s+bob\s+│/);

    // broadcast from a terminal
    alice.type('Howdy everyone');
    await alice.waitFor('You: Howdy everyone');
    await bob.waitFor('alice: Howdy everyone');
    expect(await carol.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'alice', to: 'All', text: 'Howdy everyone' });

    // whisper with /w, the name completed by Tab
    bob.type('/w al', false);
    bob.press('Tab');
    await bob.waitFor('/w alice');
    bob.type('just for you');
    await bob.waitFor('You → alice: just for you');
    await alice.waitFor('bob → you: just for you');

    // the raw socket user talks to all and whispers to bob; alice types meanwhile
    alice.type('half a thou', false);
    carol.send({ type: MsgType.MESSAGE, from: 'carol', to: 'All', text: 'hi from a raw socket' });
    await alice.waitFor('carol: hi from a raw socket');
    expect(lastLine(alice.screen())).toContain('half a thou');
    alice.type('ght');
    await bob.waitFor('alice: half a thought');
    carol.send({ type: MsgType.MESSAGE, from: 'carol', to: 'bob', text: 'psst bob' });
    await bob.waitFor('carol → you: psst bob');
    expect(alice.screen()).not.toContain('psst bob');
    expect(carol.received.filter((m) => m.type === MsgType.MESSAGE && m.text.includes('just for you'))).toEqual([]);

    // a selected whisper target, /all, /who, history with Up
    alice.type('/w carol');
    await alice.waitFor('[→ carol]>');
    alice.type('via target');
    expect(await carol.take(MsgType.MESSAGE, (m) => m.to === 'carol')).toMatchObject({ from: 'alice', text: 'via target' });
    alice.type('/all');
    await alice.waitFor('[All]>');
    alice.press('C-n'); // select the next user: bob
    await alice.waitFor('[→ bob]>');
    alice.press('C-p'); // and back to All
    await alice.waitFor('[All]>');
    alice.type('/who');
    await alice.waitFor('Online (3): alice, bob, carol');
    alice.press('Up');
    await alice.waitFor(/\[All\]> \/who/);
    alice.press('C-u'); // clear the recalled line
    alice.type('', false);

    // resize: the layout follows
    alice.resize(70, 20);
    await alice.waitFor(/^.{0,70}\n/);
    expect(alice.screen().split('\n').every((l) => l.length <= 70)).toBe(true);
    await alice.waitFor('Online (3)');

    // scroll-back: PgUp shows older lines, PgDn returns to the newest
    for (let i = 0; i < 40; i++) {
      carol.send({ type: MsgType.MESSAGE, from: 'carol', to: 'All', text: `line ${i}` });
      await new Promise((r) => setTimeout(r, 2)); // classic: one message per read
    }
    await alice.waitFor('carol: line 39');
    alice.press('PPage');
    await alice.waitFor('more rows below, PgDn');
    expect(alice.screen()).not.toContain('line 39');
    alice.press('NPage');
    await alice.waitFor('carol: line 39');

    // bob quits; the others are told
    bob.type('/quit');
    await alice.waitFor('* bob left');
    await expect.poll(() => bob.alive()).toBe(false);
    expect((await carol.take(MsgType.UPDATE, (u) => u.names.length === 2)).names).toEqual(['alice', 'carol']);

    // the server goes away: a clear line
    await server.close();
    server = undefined;
    await alice.waitFor('Connection lost');
  });

  it('degrades to plain ASCII on a dumb terminal', async () => {
    server = await startTestServer();
    const dumb = new Terminal('dumb', `env TERM=dumb ${chat(server.port, 'dana')}`, { columns: 80, rows: 12 });
    const screen = await dumb.waitFor('You joined as dana');
    expect(screen).toMatch(/\+-{10,}/);
    expect(screen).not.toMatch(/[┌─│]/);
  });

  it('draws the chat live in a shell that has CI set (CI runners, dev containers)', async () => {
    server = await startTestServer();
    const term = new Terminal('ci', `env CI=true CONTINUOUS_INTEGRATION=1 ${chat(server.port, 'erin')}`, { columns: 80, rows: 12 });
    await term.waitFor('You joined as erin');
    term.type('still here');
    await term.waitFor('You: still here');
  });

  it('keeps a long online list to what fits, with the user in it and a count of the rest', async () => {
    server = await startTestServer();
    const crowd = [];
    for (let i = 0; i < 20; i++) crowd.push(await join(FramedPeer.open(server.port), `crowd${i}`));
    const term = new Terminal('crowd', chat(server.port, 'erin'), { columns: 80, rows: 12 });
    const screen = await term.waitFor('… and 15 more');
    expect(screen).toMatch(/erin \(you\)/);
    expect(screen).toMatch(/Online \(21\)/);
    expect(screen).toMatch(/crowd4\s/);
    expect(screen).not.toMatch(/crowd5\s/);
    for (const p of crowd) p.socket.destroy();
  });
});

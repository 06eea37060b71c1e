/**
 * History in the terminal client, in real terminals (tmux) against a real server (docs/protocol.md
 * §11): PgUp past the top loads older messages page by page; after the server restarts, the missed
 * messages show once, in order; /search; /delete seen in another terminal.
 */
import { describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import type { ChatSession } from '../../src/client/session.js';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { logRows } from '../helpers/screen-layout.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, stop, folder, session: user } = chatRig({ terminals: true });

const chat = (port: number, name: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;
const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

/** A user who says `texts` to everyone at once (a client granted history, so it knows when the server took them all). */
async function sayAll(port: number, name: string, texts: readonly string[]): Promise<ChatClient> {
  const c = await connect('127.0.0.1', port);
  await c.requestCapabilities(['history']);
  await c.register(name);
  let echoed = 0;
  const all = new Promise<void>((resolve) => c.on('message', (m) => m.own && ++echoed === texts.length && resolve()));
  for (const text of texts) c.send('All', text);
  await all;
  return c;
}

/** What `talker` said that the terminal shows ("talker: t3"), in the order the log shows it. */
const saidIn = (rows: readonly string[]) => rows.flatMap((r) => /talker: (t\d+)$/.exec(r)?.[1] ?? []);

/** `talker` says t0, t1 … to everyone every `everyMs` until stopped (skipping while it reconnects); `sent`: what the server took, in order. */
function talk(talker: ChatSession, everyMs = 150) {
  const sent: string[] = [];
  talker.on('message', (m) => m.own && sent.push(m.text));
  let n = 0;
  const timer = setInterval(() => {
    try {
      talker.send(`t${n}`, 'All');
      n++;
    } catch {
      // not joined just now
    }
  }, everyMs);
  return { sent, stop: () => clearInterval(timer) };
}

describe('howdy chat with history', () => {
  it('PgUp past the top of the log loads older messages, page by page, until a line says the beginning is reached (60×20)', async () => {
    const server = await serve();
    const old = numbered('old ', 70);
    const bob = await sayAll(server.port, 'bob', old);
    const rows = 20;
    const alice = new Terminal('alice', chat(server.port, 'alice'), { columns: 60, rows });
    await alice.waitFor('You joined as alice');
    expect(alice.screen()).not.toContain('old ');

    const seen: string[] = [];
    let screen = await alice.settled();
    for (let page = 0; page < 40 && !screen.includes('— beginning of the conversation —'); page++) {
      alice.press('PPage');
      const before = screen;
      await expect.poll(() => alice.screen() !== before).toBe(true);
      screen = await alice.settled();
      seen.push(...logRows(screen, rows).flatMap((r) => /bob: (old \d+)$/.exec(r)?.[1] ?? []));
    }
    const top = logRows(screen, rows);
    expect(top[0]).toBe('— beginning of the conversation —');
    expect(top[1]).toMatch(/^\d\d:\d\d bob: old 01$/);
    expect([...new Set(seen)].sort()).toEqual(old); // every old message on some page, drawn whole
    alice.press('PPage'); // nothing older: nothing asked, nothing changes
    await alice.settled();
    expect(logRows(alice.screen(), rows)).toEqual(top);
    bob.close();
  });

  it('after the server restarts, shows the messages said while it was away once each, in order, with a line saying how many', async () => {
    const data = folder('howdy-history-');
    const first = await serve({ data, ephemeral: false });
    const port = first.port;
    const rows = 50;
    const alice = new Terminal('alice', chat(port, 'alice'), { columns: 100, rows });
    await alice.waitFor('You joined as alice');
    const talker = await user(port, 'talker', 'talker secret'); // back within 0.2 s of the restart; the terminal after 1 s
    const talking = talk(talker);
    await alice.waitFor('talker: t3');
    await stop(first);
    await serve({ port, data, ephemeral: false });
    await alice.waitFor('Reconnected as alice.');
    const caughtUp = await alice.waitFor(/— caught up: (\d+) messages? —/);
    expect(Number(/caught up: (\d+)/.exec(caughtUp)![1])).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 600));
    talking.stop();
    await alice.waitFor(`talker: ${talking.sent.at(-1)}`);
    expect(saidIn(logRows(await alice.settled(), rows))).toEqual(talking.sent);
  });

  it('/search finds a word in what the user may read; /delete takes a message back in every terminal that shows it', async () => {
    const server = await serve();
    const alice = new Terminal('alice', chat(server.port, 'alice'), { columns: 80, rows: 24 });
    await alice.waitFor('You joined as alice');
    const bob = new Terminal('bob', chat(server.port, 'bob'), { columns: 80, rows: 24 });
    await bob.waitFor('You joined as bob');
    await alice.waitFor('bob joined');

    bob.type('the kettle is on');
    await alice.waitFor('bob: the kettle is on');
    bob.type('/w alice kettle for two?');
    await alice.waitFor('bob → you: kettle for two?');
    await new Promise((r) => setTimeout(r, 300)); // the search index is fed apart (§11)
    alice.type('/search kettle');
    const found = logRows(await alice.waitFor('[All] '), 24).slice(-3);
    expect(found).toEqual([ // newest first: the whisper is a hit too
      expect.stringMatching(/^\d\d:\d\d \* Search "kettle": 2 messages, newest first$/),
      expect.stringMatching(/^\[bob\] \d\d:\d\d bob: kettle for two\?$/),
      expect.stringMatching(/^\[All\] \d\d:\d\d bob: the kettle is on$/),
    ]);

    alice.type('oops, wrong window');
    await bob.waitFor('alice: oops, wrong window');
    alice.type('/delete');
    await bob.waitFor(/alice: \(deleted\)/);
    await alice.waitFor(/You: \(deleted\)/);
    expect(bob.screen()).not.toContain('oops');
    expect(alice.screen()).not.toContain('oops, wrong');
    alice.type('/delete');
    await alice.waitFor('You have no message here to delete.');
  });
});

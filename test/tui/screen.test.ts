/**
 * The terminal client as a person sees it in a real terminal (tmux): the log's layout at ordinary
 * sizes, reconnecting, pasting, colours, and a whisper target who leaves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import { connect } from '../../src/client/tcp.js';
import { logRows } from '../helpers/screen-layout.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Terminal } from '../helpers/tmux.js';

let servers: TestServer[] = [];
let clients: ChatClient[] = [];
afterEach(async () => {
  await Terminal.killAll();
  clients.forEach((c) => c.close());
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients = [];
});

async function serve(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

const chat = (port: number, name: string, env = '') =>
  `env ${env} ${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;

/** Another user, through the client library; `texts` collects what they receive. */
async function user(port: number, name: string): Promise<ChatClient & { texts: string[] }> {
  const c = Object.assign(await connect('127.0.0.1', port), { texts: [] as string[] });
  clients.push(c);
  c.on('message', (m) => c.texts.push(m.text));
  expect(await c.register(name)).toMatchObject({ accepted: true });
  return c;
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
  describe(`howdy chat at ${columns}×${rows}`, () => {
    it('shows the newest message whole at the bottom, wraps by display rows, scrolls back to every line', async () => {
      const server = await serve();
      const alice = new Terminal('alice', chat(server.port, 'alice'), { columns, rows });
      await alice.waitFor('You joined as alice');
      const bob = await user(server.port, 'bob');
      await alice.waitFor('* bob joined');

      const sent: string[] = [];
      for (let i = 1; i <= 20; i++) {
        const text =
          i % 5 === 4 ? `later ${i}: an ordinary sentence that is long enough to wrap onto a second row or more at this width`
          : i % 5 === 1 ? `later ${i}: 中文字符很宽的字符 wide 漢字 and more 中文字符很宽的字符`
          : i % 5 === 2 ? `later ${i}: thumbs 👍🏽 family 👨‍👩‍👧 heart ❤️ end`
          : `later ${i}`;
        bob.send('All', text);
        sent.push(text);
      }
      await alice.waitFor('later 20');
      expect(logRows(await alice.settled(), rows).at(-1)).toContain('later 20');

      alice.type('my own words');
      await alice.waitFor('You: my own words');
      expect(logRows(await alice.settled(), rows).at(-1)).toContain('You: my own words');

      // 2 000 characters of numbered words: the end shows, nothing drawn over
      const words = numbered('w', 400);
      const long = `${words.join(' ')} the-end`;
      expect(long.length).toBeGreaterThanOrEqual(2000);
      bob.send('All', long);
      await alice.waitFor('the-end');
      expect(logRows(await alice.settled(), rows).at(-1)).toMatch(/w399 the-end$/);
      bob.send('All', 'after the long one');
      await alice.waitFor('bob: after the long one');
      let screen = await alice.settled();
      expect(logRows(screen, rows).at(-1)).toContain('bob: after the long one');

      // scroll back to the top, a page at a time: every row shows on some page, drawn whole
      const seen = new Set<string>();
      for (let page = 0; page < 40; page++) {
        for (const row of logRows(screen, rows)) seen.add(row);
        if (screen.includes('Connected to')) break;
        alice.press('PPage');
        const before = screen;
        await expect.poll(() => alice.screen() !== before).toBe(true);
        screen = await alice.settled();
      }
      expect(screen).toMatch(/↑ \d+ more rows below/);
      const shown = [...seen].join('\n');
      // emoji sequences show in the form every terminal draws as wide as it is measured
      const asShown = (word: string) => ({ '👍🏽': '👍', '👨‍👩‍👧': '👨👩👧', '❤️': '❤' })[word] ?? word;
      for (const text of sent) for (const word of text.split(' ')) expect(shown).toContain(asShown(word));
      for (const w of words) expect(shown).toContain(w);
    });
  });
}

describe('howdy chat keeps going', () => {
  it('reconnects under the same name after the server restarts, and its messages are delivered', async () => {
    const first = await serve();
    const port = first.port;
    const alice = new Terminal('alice', chat(port, 'alice'), { columns: 80, rows: 24 });
    await alice.waitFor('You joined as alice');
    await first.close();
    servers = [];
    await alice.waitFor('Connection lost');
    const second = await serve({ port });
    await alice.waitFor('Reconnected as alice.');
    await alice.waitFor('Howdy alice @');
    const bob = await user(second.port, 'bob');
    await alice.waitFor('* bob joined');
    alice.type('back again');
    await expect.poll(() => bob.texts).toEqual(['back again']);
  });

  it('sends a bracketed paste of 250 lines as one message split only at the text limit, and the sender stays', async () => {
    const server = await serve();
    const alice = new Terminal('alice', chat(server.port, 'alice'), { columns: 80, rows: 24 });
    await alice.waitFor('You joined as alice');
    const bob = await user(server.port, 'bob');
    await alice.waitFor('* bob joined');
    const lines = numbered('pasted line ', 250).map((l) => `${l}: some words to make it a line`);
    alice.paste(lines.join('\n'));
    await alice.waitFor('Send 250 lines to everyone? Enter sends, Esc cancels');
    expect(bob.texts).toEqual([]);
    alice.press('Enter');
    const bytes = Buffer.byteLength(lines.join('\n'));
    const needed = Math.ceil(bytes / 3967);
    await expect.poll(() => bob.texts.length, { timeout: 5000 }).toBe(needed);
    expect(bob.texts.join('\n')).toBe(lines.join('\n')); // cut at line breaks, in order, nothing lost
    expect(server.logs.filter((l) => /dropped|refused/.test(l.msg))).toEqual([]);
    alice.type('still here');
    await expect.poll(() => bob.texts.at(-1)).toBe('still here');

    // Esc cancels a paste: nothing is sent
    alice.paste('one\ntwo\nthree\nfour');
    await alice.waitFor('Send 4 lines');
    alice.press('Escape');
    await alice.waitFor('[All]>');
    alice.type('after the cancel');
    await expect.poll(() => bob.texts.at(-1)).toBe('after the cancel');
    expect(bob.texts.join('\n')).not.toContain('four');
  });

  it('draws in colour in a terminal, and without colour when NO_COLOR is set', async () => {
    const server = await serve();
    const colourCode = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[0-9;]+)m/;
    // the test runner's own environment may have NO_COLOR or CI: the child's is set here
    const coloured = new Terminal('coloured', chat(server.port, 'alice', '-u NO_COLOR -u FORCE_COLOR CI=true'), { columns: 80, rows: 24 });
    await coloured.waitFor('You joined as alice');
    expect(coloured.screen({ escapes: true })).toMatch(colourCode);
    const plain = new Terminal('plain', chat(server.port, 'bob', '-u FORCE_COLOR NO_COLOR=1'), { columns: 80, rows: 24 });
    await plain.waitFor('You joined as bob');
    expect(plain.screen({ escapes: true })).not.toMatch(colourCode);
  });

  it('keeps a whisper target who leaves: the message is refused with the reason and reaches nobody', async () => {
    const server = await serve();
    const alice = new Terminal('alice', chat(server.port, 'alice'), { columns: 80, rows: 24 });
    await alice.waitFor('You joined as alice');
    const bob = await user(server.port, 'bob');
    const carol = await user(server.port, 'carol');
    await alice.waitFor('* carol joined');
    alice.type('/w bob');
    await alice.waitFor('[→ bob]>');
    bob.close();
    await alice.waitFor('[→ bob (left)]>');
    alice.type('for bob only');
    await alice.waitFor('bob left; /all to talk to everyone');
    expect(alice.screen()).toMatch(/\[→ bob \(left\)\]> for bob only/); // the line is kept, not lost
    alice.press('C-u');
    alice.type('/all to everyone');
    await expect.poll(() => carol.texts).toEqual(['to everyone']);
  });
});

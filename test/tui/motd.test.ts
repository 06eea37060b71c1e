/** The message of the day in the terminal client: a notice at the top of the lobby (docs/protocol.md §10.5). */
import { afterAll, describe, expect, it } from 'vitest';
import { ClassicPeer, join } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Terminal } from '../helpers/tmux.js';

let server: TestServer | undefined;
afterAll(async () => {
  await Terminal.killAll();
  await server?.close();
});

const chat = (port: number, name: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;

describe('howdy chat: the message of the day', () => {
  it('shows it at the top of the lobby, apart from the log, and not in a whisper window', async () => {
    server = await startTestServer({ motd: 'Welcome to Howdy!\nBe nice.' });
    const bob = await join(ClassicPeer.open(server.port), 'bob');
    const ann = new Terminal('ann-motd', chat(server.port, 'ann'));
    await ann.waitFor('You joined as ann');
    const screen = await ann.waitFor('§ Welcome to Howdy!');
    const rows = screen.split('\n');
    const top = rows.findIndex((r) => r.includes('§ Welcome to Howdy!'));
    expect(top).toBe(2); // the first row inside the log's box, under the status bar and the border
    expect(rows[top + 1]).toMatch(/│\s+Be nice\.\s+│/);
    expect(rows.findIndex((r) => r.includes('You joined as ann'))).toBeGreaterThan(top + 1);
    ann.type('/w bob');
    await ann.waitFor('[→ bob]>');
    expect(ann.screen()).not.toContain('Welcome to Howdy!');
    bob.end();
  });
});

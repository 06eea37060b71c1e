/**
 * What a room's newcomers read (docs/protocol.md §10.4 HISTORY, §11) in the terminal client, in a
 * real terminal (tmux) against a real server: /history shows it, /history joined|all changes it
 * (owners and operators), a change by another is told in the room's window, a bad word is refused.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, folder, session: user } = chatRig({ terminals: true });
const SECRET = 'hunter2-Sesame';

/** `howdy chat` logged in to a new account `name`. */
async function loggedInChat(port: number, name: string): Promise<string> {
  const c = await connect('127.0.0.1', port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(SECRET, name);
  c.close();
  const file = join(folder(), 'password');
  writeFileSync(file, `${SECRET}\n`);
  chmodSync(file, 0o600);
  return `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name} --password-file ${file}`;
}

describe('howdy chat: /history in a room', () => {
  it('shows and sets what newcomers read; a change by an operator is told in the window', async () => {
    const server = await serve();
    const alice = new Terminal('alice', await loggedInChat(server.port, 'alice'), { columns: 100, rows: 30 });
    await alice.waitFor('You logged in as alice');
    alice.type('/help');
    await alice.waitFor('/history all|joined');

    alice.type('/join #den');
    await alice.waitFor('You created #den');
    alice.type('/history');
    await alice.waitFor('Newcomers to #den read all of its earlier messages (/history');
    alice.type('/history sometimes');
    await alice.waitFor("usage: /history all|joined, in a room's window");

    const bob = await user(server.port, 'bob', 'battery staple');
    await bob.joinRoom('#den');
    alice.type('/history joined');
    await alice.waitFor('Newcomers to #den read its messages only from when they joined.');
    await expect.poll(() => bob.rooms.find((r) => r.name === '#den')?.history).toBe('joined');

    // a plain member may not; an operator may, and the owner's window tells of it
    await expect(bob.setRoom('#den', { history: 'all' })).rejects.toThrow(/owner and operators/);
    alice.type('/op bob');
    await alice.waitFor('bob is an operator of #den now');
    await bob.setRoom('#den', { history: 'all' });
    await alice.waitFor('bob chose that newcomers read all of #den');
    alice.type('/history');
    await expect.poll(() => alice.screen().split('Newcomers to #den read all of its earlier messages (/history').length).toBe(3); // shown twice now
  }, 60_000);
});

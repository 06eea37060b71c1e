/**
 * Statuses in the terminal client's people list (docs/protocol.md §10.3), in a real terminal
 * (tmux) against a real server: /away, /busy and /back mark the user in everyone's list, live.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { Terminal } from '../helpers/tmux.js';

const { serve } = chatRig({ terminals: true });

const chat = (port: number, args: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} ${args}`;
const SECRET = 'hunter2-Sesame';
/** The people list's line of `name`: the part of each screen row right of the log's border. */
const listLine = (screen: string, name: string) => screen.split('\n').map((row) => row.split('│').at(-2)?.trim() ?? '').find((cell) => cell.startsWith(name));

describe('statuses in howdy chat', () => {
  it('/away, /busy and /back mark the user in the people lists, theirs and everyone else\'s, live; a newcomer sees the mark at once', async () => {
    const server = await serve();
    const c = await connect('127.0.0.1', server.port);
    await c.requestCapabilities(['accounts']);
    await c.createAccount(SECRET, 'alice');
    c.close();

    const alice = new Terminal('alice', chat(server.port, '--name alice --login'));
    await alice.waitFor('Password for alice (hidden');
    alice.type(SECRET);
    await alice.waitFor('You logged in as alice');
    const bob = new Terminal('bob', chat(server.port, '--name bob'));
    await bob.waitFor('You joined as bob');
    await bob.waitFor('Online (2)');

    alice.type('/away lunch');
    await alice.waitFor('Your status: away: lunch.');
    await alice.waitFor('alice (you) (away)');
    await bob.waitFor(/│ +alice \(away\) +│/);
    expect(listLine(bob.screen(), 'bob')).toBe('bob (you)');

    const carol = new Terminal('carol', chat(server.port, '--name carol'));
    await carol.waitFor('You joined as carol');
    await carol.waitFor(/│ +alice \(away\) +│/);

    alice.type('/busy deploying');
    await bob.waitFor(/│ +alice \(busy\) +│/);
    await carol.waitFor(/│ +alice \(busy\) +│/);
    alice.type('/back');
    await alice.waitFor('Your status: available.');
    await bob.waitFor(/│ +alice +│/);
    expect(listLine(bob.screen(), 'alice')).toBe('alice');
    expect(listLine(alice.screen(), 'alice')).toBe('alice (you)');
  });
});

/**
 * Blocking in the terminal client (docs/protocol.md §10.7), in a real terminal (tmux) against a
 * real server: /block stops the blocked user's lobby messages, others' still come; /blocks lists,
 * /unblock undoes it.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { Terminal } from '../helpers/tmux.js';

const { serve } = chatRig({ terminals: true });

const chat = (port: number, args: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} ${args}`;

describe('blocking in howdy chat', () => {
  it('/block NAME: their lobby messages stop showing, others\' still show; /blocks lists them; /unblock brings them back', async () => {
    const server = await serve();
    const alice = new Terminal('alice', chat(server.port, '--name alice'));
    await alice.waitFor('You joined as alice');
    const bob = await connect('127.0.0.1', server.port);
    expect(await bob.register('bob')).toMatchObject({ accepted: true });
    const carol = await connect('127.0.0.1', server.port);
    expect(await carol.register('carol')).toMatchObject({ accepted: true });
    await alice.waitFor('Online (3)');

    alice.type('/block bob');
    await alice.waitFor('You block bob: their messages no longer reach you');
    bob.send('All', 'spam from bob');
    carol.send('All', 'hello from carol');
    await alice.waitFor('hello from carol');
    expect(alice.screen()).not.toContain('spam from bob');

    alice.type('/blocks');
    await alice.waitFor('bob (a guest, while online)');
    alice.type('/block alice');
    await alice.waitFor('Not blocked: you cannot block yourself.');
    alice.type('/unblock bob');
    await alice.waitFor('You no longer block bob.');
    bob.send('All', 'bob is back');
    await alice.waitFor('bob is back');
    bob.close();
    carol.close();
  });
});

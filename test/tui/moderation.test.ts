/**
 * Moderation from the terminal client, in a real terminal (tmux) against a real server
 * (docs/protocol.md §10.6): an admin's /help, /users, /mute, /warn, /kick, /ban, /bans, /unban, and
 * what the user acted on sees of it, in plain words.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, folder } = chatRig({ terminals: true });

const SECRET = 'hunter2-Sesame';

/** `howdy chat` logged in to a new account `name`, which the server's store gives `role` first. */
async function staffChat(server: Awaited<ReturnType<typeof serve>>, name: string, role: 'admin' | 'moderator'): Promise<string> {
  const c = await connect('127.0.0.1', server.port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(SECRET, name);
  c.close();
  await server.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
  const file = join(folder(), 'password');
  writeFileSync(file, `${SECRET}\n`);
  chmodSync(file, 0o600);
  return `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${server.port} --name ${name} --password-file ${file}`;
}

const guestChat = (port: number, name: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name}`;

describe('howdy chat, moderating', () => {
  it('an admin lists users, mutes, warns and kicks a user from the terminal; the user sees why each time', async () => {
    const server = await serve();
    const admin = new Terminal('admin', await staffChat(server, 'boss', 'admin'), { columns: 120, rows: 40 });
    await admin.waitFor('You logged in as boss');
    const bob = new Terminal('bob', guestChat(server.port, 'bob'), { columns: 120, rows: 40 });
    await bob.waitFor('You joined as bob');

    // a guest is refused, in plain words; their /help has no moderation
    bob.type('/users');
    await bob.waitFor('Not allowed: only a logged-in admin or moderator may do that.');
    bob.type('/help');
    await bob.waitFor('PgUp, PgDn'); // the last of /help
    expect(bob.screen()).not.toContain('/bans');
    // the admin's lists them
    admin.type('/help');
    await admin.waitFor('/announce text');

    admin.type('/users');
    await admin.waitFor(/NAME +ADDRESS +SINCE \(UTC\) +VIA +ROLE/);
    await admin.waitFor(/boss +127\.0\.0\.1 +\d{4}-\d\d-\d\d \d\d:\d\d +tcp\/framed +admin/);
    await admin.waitFor(/bob +127\.0\.0\.1 +\d{4}-\d\d-\d\d \d\d:\d\d +tcp\/framed/);

    admin.type('/mute bob 5');
    await admin.waitFor(/You muted bob until \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
    await bob.waitFor(/Server → you: boss muted you until \d{4}-\d\d-\d\d \d\d:\d\d UTC/); // not an ISO time
    bob.type('anyone there?');
    await bob.waitFor(/! You are muted until \d{4}-\d\d-\d\d \d\d:\d\d UTC; your message was not sent\./);
    admin.type('/mute bob 0');
    await admin.waitFor('You unmuted bob.');
    await bob.waitFor('Server → you: boss unmuted you');

    admin.type('/warn bob mind your language');
    await admin.waitFor('You warned bob: mind your language');
    await bob.waitFor('Warning from boss: mind your language');

    admin.type('/kick bob spamming the lobby');
    await admin.waitFor('You kicked bob: spamming the lobby.');
    await bob.waitFor('You were kicked by boss: spamming the lobby.');
    await bob.waitFor('You are disconnected and will stay so: /reconnect joins again, /quit leaves.');
    await bob.waitFor('disconnected: /reconnect to join again');
    await new Promise((r) => setTimeout(r, 1500)); // past the first retry (1 s) of a drop
    expect(bob.screen()).not.toMatch(/Connected to .*\n[\s\S]*Connected to/); // one connection only
    admin.type('/users');
    await admin.waitFor(/Online \(1\):/);
    bob.type('/reconnect');
    await bob.waitFor('Reconnected as bob.');
    await admin.waitFor('bob joined');
  });

  it("an admin deletes another user's message, takes a room over and closes it; a guest is refused", async () => {
    const server = await serve();
    const admin = new Terminal('admin', await staffChat(server, 'boss', 'admin'), { columns: 120, rows: 40 });
    await admin.waitFor('You logged in as boss');
    const dan = new Terminal('dan', guestChat(server.port, 'dan'), { columns: 120, rows: 40 });
    await dan.waitFor('You joined as dan');
    const owner = await connect('127.0.0.1', server.port);
    await owner.requestCapabilities(['accounts', 'rooms']);
    await owner.createAccount(SECRET, 'olga');
    await owner.createRoom('#den');

    admin.type('welcome');
    await dan.waitFor('boss: welcome');
    dan.type('something rude');
    await admin.waitFor('dan: something rude');
    dan.type('/mdelete boss');
    await dan.waitFor('Not allowed: only a logged-in admin or moderator may do that.');
    admin.type('/mdelete dan');
    await dan.waitFor('You: (deleted)');
    await admin.waitFor('dan: (deleted)');
    expect(dan.screen()).toContain('boss: welcome');

    dan.type('/takeover #den');
    await dan.waitFor(/Not allowed: .*/);
    admin.type('/takeover #den');
    await admin.waitFor('You took #den over: you are its owner now.');
    const closed = new Promise((resolve) => owner.on('room', (e) => e.event === 'delete' && resolve(e)));
    admin.type('/close den');
    await admin.waitFor('You closed #den.');
    expect(await closed).toMatchObject({ room: '#den', by: 'boss' });
    owner.close();
  });

  it('an admin bans a name (the user is put out, told for how long), lists the bans and lifts one', async () => {
    const server = await serve();
    const admin = new Terminal('admin', await staffChat(server, 'boss', 'admin'), { columns: 120, rows: 40 });
    await admin.waitFor('You logged in as boss');
    const carl = new Terminal('carl', guestChat(server.port, 'carl'), { columns: 120, rows: 40 });
    await carl.waitFor('You joined as carl');

    admin.type('/ban carl 2h flooding');
    await admin.waitFor(/You banned carl until \d{4}-\d\d-\d\d \d\d:\d\d UTC: ban #(\d+) \(\/unban \1 lifts it\)\./);
    await carl.waitFor(/You are banned until \d{4}-\d\d-\d\d \d\d:\d\d UTC: flooding\./);
    admin.type('/ban 203.0.113.0/24');
    await admin.waitFor('You banned the address 203.0.113.0/24 for ever');
    admin.type('/bans');
    await admin.waitFor('Bans in force (2): /unban ID lifts one');
    await admin.waitFor(/#\d+ name carl until .* UTC, by boss: flooding/);
    await admin.waitFor(/#\d+ address 203\.0\.113\.0\/24 for ever, by boss/);
    const id = /#(\d+) address 203/.exec(admin.screen())![1];
    admin.type(`/unban ${id}`);
    await admin.waitFor(`You lifted ban #${id}.`);
    admin.type('/unban 999');
    await admin.waitFor(/! .*999/);
  });
});

/**
 * Accounts in the terminal client, in a real terminal (tmux) against a real server: registering
 * with a hidden password, taking the name back with /login, profiles, the password never shown nor
 * kept in the history, logging in again after a restart, and --password-file.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { exited, howdy } from '../helpers/spawn.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, stop, folder } = chatRig({ terminals: true });

const chat = (port: number, args: string) => `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} ${args}`;
const inputLine = (screen: string) => screen.trimEnd().split('\n').at(-1)!;
const SECRET = 'hunter2-Sesame';

/** Types each line in turn, waiting each time for what the screen should then show. */
async function converse(term: Terminal, steps: Array<[typed: string, shown: string]>): Promise<void> {
  for (const [typed, shown] of steps) {
    term.type(typed);
    await term.waitFor(shown);
  }
}

/** Registers `name` with `password` through the client library, and leaves. */
async function registered(port: number, name: string, password: string): Promise<void> {
  const c = await connect('127.0.0.1', port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(password, name);
  c.close();
}

describe('howdy chat with accounts', () => {
  it('registers with a hidden password, /login takes the name back, /whois shows the status, a restart logs in again', async () => {
    const data = folder('howdy-accounts-');
    const first = await serve({ data, ephemeral: false });
    const port = first.port;

    const guest = new Terminal('guest', chat(port, '--name alice'));
    await guest.waitFor('You joined as alice');
    guest.type('/register');
    await guest.waitFor('Password for your account (hidden, Esc cancels):');
    guest.type(SECRET, false);
    await guest.waitFor('•'.repeat(SECRET.length));
    expect(guest.screen()).not.toContain(SECRET);
    guest.press('Enter');
    await guest.waitFor('The same again');
    guest.type(SECRET);
    await guest.waitFor('"alice" is registered to you now');
    expect(guest.screen()).not.toContain(SECRET);
    guest.type('/quit');
    await expect.poll(() => guest.alive()).toBe(false);
    expect(JSON.stringify(first.logs)).not.toContain(SECRET);

    const owner = new Terminal('owner', chat(port, '--name alice'));
    await owner.waitFor('"alice" is a registered name. If it is yours, type /login alice');
    owner.type('/login alice');
    await owner.waitFor('Password for alice (hidden');
    owner.type(SECRET);
    await owner.waitFor('You logged in as alice');
    await owner.waitFor('Howdy alice @');
    owner.type('/status away lunch');
    await owner.waitFor('Your status: away: lunch.');
    owner.type('/whois ALICE');
    const whois = await owner.waitFor('alice: online, registered');
    expect(whois).toContain('  status: away: lunch');
    expect(whois).toContain('display name: alice');

    // Up arrow goes back through what was typed: the commands, never the password
    const recalled: string[] = [];
    for (let i = 0; i < 4; i++) {
      owner.press('Up');
      await new Promise((r) => setTimeout(r, 150));
      recalled.push(inputLine(await owner.settled()));
    }
    expect(recalled.join('\n')).toContain('/login alice');
    expect(recalled.join('\n')).not.toContain(SECRET);
    owner.press('C-u');

    await stop(first);
    await owner.waitFor('Connection lost');
    await serve({ port, data, ephemeral: false });
    await owner.waitFor('Reconnected, and logged in again as alice.');
    owner.type('/whois alice');
    // the account and its profile were kept, and the name is still alice's
    await expect.poll(() => owner.screen().split('  status: away: lunch').length).toBe(3);
    expect(owner.screen()).not.toContain(SECRET);
  });

  it('--password-file logs in with a file only its owner can read', async () => {
    const server = await serve();
    await registered(server.port, 'bob', SECRET);
    const file = join(folder(), 'password');
    writeFileSync(file, `${SECRET}\nnot the password\n`);
    chmodSync(file, 0o600);
    const bob = new Terminal('bob', chat(server.port, `--name bob --password-file ${file}`));
    await bob.waitFor('You logged in as bob');
    expect(bob.screen()).not.toContain(SECRET);
  });

  it('--password-file refuses a file that others can read, as ssh does', async () => {
    const server = await serve();
    const file = join(folder(), 'password');
    writeFileSync(file, `${SECRET}\n`);
    chmodSync(file, 0o644);
    const child = howdy(['chat', `127.0.0.1:${server.port}`, '--name', 'bob', '--password-file', file]);
    expect(await exited(child)).toBe(1);
    expect(child.output()).toContain(`permissions 0644 for '${file}' are too open: a password file must be readable by you alone (chmod 600 ${file})`);
  });

  it('--login asks for the password in the input line before joining', async () => {
    const server = await serve();
    await registered(server.port, 'carol', SECRET);
    const carol = new Terminal('carol', chat(server.port, '--name carol --login'));
    await carol.waitFor('Password for carol (hidden');
    carol.type(SECRET, false);
    await carol.waitFor('•'.repeat(SECRET.length));
    carol.press('Enter');
    await carol.waitFor('You logged in as carol');
    expect(carol.screen()).not.toContain(SECRET);
  });

  it('on a server that admits only users who log in, /register NAME at the name prompt creates the account and joins', async () => {
    const server = await serve({ accounts: 'required' });
    const gina = new Terminal('gina', chat(server.port, ''));
    await gina.waitFor('name>');
    gina.type('gina');
    await gina.waitFor('/register gina to create one');
    gina.type('/register gina');
    await gina.waitFor('Password for the new account gina');
    gina.type(SECRET);
    await gina.waitFor('The same again');
    gina.type(SECRET);
    await gina.waitFor('You logged in as gina');
    expect(gina.screen()).not.toContain(SECRET);
    expect(server.core.names()).toEqual(['gina']);
  });

  it('Esc cancels /register; a classic connection says the server has no accounts', async () => {
    const server = await serve();
    const dave = new Terminal('dave', chat(server.port, '--name dave'));
    await dave.waitFor('You joined as dave');
    dave.type('/register');
    await dave.waitFor('Password for your account');
    dave.type('half typed', false);
    dave.press('Escape');
    await dave.waitFor('Cancelled: nothing was changed.');
    expect(inputLine(await dave.settled())).toMatch(/^\[All\]>( _)?$/); // the half-typed password went nowhere
    dave.type('/whois dave');
    await dave.waitFor('dave: online, a guest (not registered)');

    const erin = new Terminal('erin', chat(server.port, '--name erin --classic'));
    await erin.waitFor('You joined as erin');
    erin.type('/register');
    await erin.waitFor('This server speaks classic HCP/1: it has no accounts.');
  });

  it('/profile sets the display name, /password changes the password, /unregister (confirmed) makes a guest', async () => {
    const server = await serve();
    await registered(server.port, 'frank', SECRET);
    const frank = new Terminal('frank', chat(server.port, '--name frank --login'));
    await frank.waitFor('Password for frank');
    frank.type(SECRET);
    await frank.waitFor('You logged in as frank');
    await converse(frank, [
      ['/profile name Frank Zappa', 'Your display name is now "Frank Zappa".'],
      ['/profile', 'display name: Frank Zappa'],
      ['/password', 'Current password (hidden'],
      [SECRET, 'New password (hidden'],
      ['new-Secret-9', 'The same again'],
      ['new-Secret-9', 'Your password is changed.'],
      ['/unregister', 'Delete the account "frank" for good? Type yes'],
      ['yes', 'Password (hidden'],
      ['new-Secret-9', 'The account "frank" is deleted: you stay online as a guest.'],
      ['/whois frank', 'frank: online, a guest (not registered)'],
    ]);
    const screen = frank.screen();
    expect(screen).not.toContain(SECRET);
    expect(screen).not.toContain('new-Secret-9');
  });
});

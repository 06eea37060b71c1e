/**
 * Reports from the terminal client, in a real terminal (tmux) against a real server (docs/protocol.md
 * §10.6): a guest reports a user's last message with /report NAME reason; the admin online is told,
 * lists it with /reports, closes it, reads /audit and gives a role with /grant.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';
import { Terminal } from '../helpers/tmux.js';

const { serve, folder } = chatRig({ terminals: true });

const SECRET = 'hunter2-Sesame';

/** A new account `name`, given `role` by the server's store when one is named. */
async function account(server: Awaited<ReturnType<typeof serve>>, name: string, role?: 'admin'): Promise<void> {
  const c = await connect('127.0.0.1', server.port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(SECRET, name);
  c.close();
  if (role) await server.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
}

/** `howdy chat` logged in to the account `name`. */
function accountChat(port: number, name: string): string {
  const file = join(folder(), 'password');
  writeFileSync(file, `${SECRET}\n`);
  chmodSync(file, 0o600);
  return `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${port} --name ${name} --password-file ${file}`;
}

describe('howdy chat, reports', () => {
  it('/report NAME reason reports their last message here; the admin is told, lists it with /reports, closes it, reads /audit, and /grant makes a moderator', async () => {
    const server = await serve();
    await account(server, 'boss', 'admin');
    await account(server, 'carol');
    const admin = new Terminal('admin', accountChat(server.port, 'boss'), { columns: 140, rows: 40 });
    await admin.waitFor('You logged in as boss');
    const amy = new Terminal('amy', `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${server.port} --name amy`, { columns: 140, rows: 40 });
    await amy.waitFor('You joined as amy');
    const bob = await connect('127.0.0.1', server.port);
    await bob.requestCapabilities(['history']);
    await bob.register('bob');
    bob.send('All', 'first, harmless');
    bob.send('All', 'buy cheap pills');
    await amy.waitFor('bob: buy cheap pills');

    amy.type('/report carl');
    await amy.waitFor('There is no message of carl here to report.');
    amy.type('/report bob spam');
    await amy.waitFor('You reported the message to the moderators (report #1).');
    await admin.waitFor('Server → you: Report #1 by amy: bob to All: "buy cheap pills" (spam)');

    amy.type('/reports'); // a guest may not list them
    await amy.waitFor('Not allowed: only a logged-in admin or moderator may do that.');
    admin.type('/reports');
    await admin.waitFor('Reports (1 open): /close-report ID closes one');
    await admin.waitFor(/#1 \d{4}-\d\d-\d\d \d\d:\d\d UTC OPEN: amy reported bob to All: "buy cheap pills" \(spam\)/);
    admin.type('/close-report 1');
    await admin.waitFor('You closed report #1.');
    admin.type('/audit');
    await admin.waitFor('Audit trail, newest first:');
    await admin.waitFor(/#\d+ \d{4}-\d\d-\d\d \d\d:\d\d UTC boss report-close report 1: message \d+ from bob/);
    admin.type('/grant carol moderator');
    await admin.waitFor('carol is now a moderator.');
    bob.close();
  });
});

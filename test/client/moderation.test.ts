/** The client library's moderation calls (docs/protocol.md §10.6) against a real server: what the UIs do not cover. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import { ChatSession, type SessionState } from '../../src/client/session.js';
import { connect } from '../../src/client/tcp.js';
import { ErrorCode, HcpError } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

const CAPS = ['accounts', 'rooms', 'history', 'moderation'];

/** A new account's client, logged in, with `role` if given. */
async function account(name: string, role?: 'admin' | 'moderator'): Promise<ChatClient> {
  const c = await connect('127.0.0.1', server!.port);
  clients.push(c);
  await c.requestCapabilities(CAPS);
  await c.createAccount('correct horse', name);
  if (role) await server!.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
  return c;
}

describe('ChatClient moderation', () => {
  it("deletes anyone's message, closes and takes over rooms; others are refused FORBIDDEN", async () => {
    server = await startTestServer();
    const boss = await account('boss', 'admin');
    const bob = await account('bob');
    await expect(bob.onlineUsers()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect((await boss.onlineUsers()).map((u) => [u.name, u.role])).toEqual([['boss', 'admin'], ['bob', undefined]]);

    const echoed = bob.once('message');
    bob.send('All', 'something rude');
    const { id } = (await echoed) as { id: number };
    const deleted = bob.once('deleted');
    await boss.deleteAny(id);
    expect(await deleted).toEqual({ id, conversation: 'All' });

    await bob.createRoom('#den');
    await bob.createRoom('#cave');
    const roles = bob.once('room');
    await boss.moderateRoom('#den', 'takeover');
    expect(await roles).toMatchObject({ room: '#den', event: 'role' });
    const closed = new Promise((resolve) => bob.on('room', (e) => e.event === 'delete' && resolve(e)));
    await boss.moderateRoom('#cave', 'close');
    expect(await closed).toMatchObject({ room: '#cave', event: 'delete', by: 'boss' });
    const refused = await boss.moderateRoom('#nowhere', 'close').catch((e: HcpError) => e.code);
    expect(refused).toBe(ErrorCode.NO_SUCH_ROOM);
  });
});

describe('ChatSession put out by staff', () => {
  /** A guest's session (fast retries: a reconnect, if it came, would come within the test's wait). */
  function guestSession(name: string): ChatSession {
    const s = new ChatSession(() => connect('127.0.0.1', server!.port), { firstRetryMs: 50, rejoinWaitMs: 50 });
    clients.push(s);
    s.start();
    s.join(name);
    return s;
  }
  const stateOf = (s: ChatSession, kind: SessionState['kind']) =>
    new Promise<SessionState>((resolve) => {
      if (s.state.kind === kind) return resolve(s.state);
      const off = s.on('state', (state) => state.kind === kind && (off(), resolve(state)));
    });
  const online = async (boss: ChatClient) => (await boss.onlineUsers()).map((u) => u.name);

  it('kicked or banned, it does not reconnect; joined again by hand, a ban refuses it with the reason; a banned address is refused at connect', async () => {
    server = await startTestServer();
    const boss = await account('boss', 'admin');
    const bob = guestSession('bob');
    await stateOf(bob, 'joined');

    await boss.kick('bob', 'spam');
    expect(await stateOf(bob, 'removed')).toEqual({ kind: 'removed', code: ErrorCode.KICKED, reason: 'you were kicked by boss: spam' });
    await new Promise((r) => setTimeout(r, 500)); // ten times the first retry
    expect(bob.state.kind).toBe('removed');
    expect(await online(boss)).toEqual(['boss']);
    expect(() => bob.send('hello?')).toThrow(/you were kicked by boss: spam/);

    const back = new Promise((resolve) => bob.once('joined').then(resolve));
    bob.rejoin();
    expect(await back).toEqual({ name: 'bob', again: true });
    expect(await online(boss)).toEqual(['boss', 'bob']);

    await boss.ban({ kind: 'name', value: 'bob', reason: 'flooding', seconds: 3600 });
    expect(await stateOf(bob, 'removed')).toMatchObject({ code: ErrorCode.BANNED, reason: expect.stringMatching(/^banned until .*: flooding$/) });
    const refused = bob.once('refused');
    bob.rejoin();
    expect(await refused).toMatchObject({ name: 'bob', code: ErrorCode.BANNED, reason: expect.stringMatching(/^banned until .*: flooding$/) });
    expect(bob.state.kind).toBe('naming'); // connected, asked for another name

    // by the server's admin (`howdy admin`): over a connection, the ban would expel the admin too, all of us on loopback
    await server.core.moderation!.ban({ name: 'cli', role: 'admin' }, { kind: 'address', value: '127.0.0.1', reason: 'abuse' });
    const carl = guestSession('carl');
    expect(await stateOf(carl, 'removed')).toMatchObject({ code: ErrorCode.BANNED, reason: expect.stringMatching(/abuse/) });
  });
});

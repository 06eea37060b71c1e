/** The client library's moderation calls (docs/protocol.md §10.6) against a real server: what the UIs do not cover. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import { connect } from '../../src/client/tcp.js';
import { ErrorCode, HcpError } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const clients: ChatClient[] = [];
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

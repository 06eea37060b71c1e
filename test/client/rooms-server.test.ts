/** The client library's rooms against a real server (docs/protocol.md §10.4): sessions of a registered user and a guest. */
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/client/rooms.js';
import type { ChatSession, SessionEvents } from '../../src/client/session.js';
import { ErrorCode } from '../../src/protocol/index.js';
import { chatRig } from '../helpers/chat-rig.js';

const { serve, stop, folder, session: joined } = chatRig();

function collect<K extends keyof SessionEvents>(s: ChatSession, type: K): Array<SessionEvents[K]> {
  const got: Array<SessionEvents[K]> = [];
  s.on(type, (e) => got.push(e));
  return got;
}

describe('rooms through the client library', () => {
  it('a registered user creates a room, a guest joins; they talk in it, events tell the rest, and a removal ends the guest\'s target', async () => {
    const server = await serve();
    const alice = await joined(server.port, 'alice', 'alice secret');
    const bob = await joined(server.port, 'bob');
    const bobEvents = collect(bob, 'room');
    const aliceEvents = collect(alice, 'room');

    expect(await alice.enterRoom('#Tea')).toEqual({ room: { name: '#Tea', topic: '', private: false, members: 1, joined: true, role: 'owner' }, created: true });
    await expect(bob.enterRoom('#new')).rejects.toMatchObject({ code: ErrorCode.NO_SUCH_ROOM }); // guests create no rooms
    expect(await bob.enterRoom('#tea')).toMatchObject({ room: { name: '#Tea', members: 2, joined: true, role: 'member' }, created: false });
    await expect.poll(() => aliceEvents).toEqual([{ room: '#Tea', event: 'join', name: 'bob', role: 'member' }]);
    expect(alice.rooms[0]!.members).toBe(2);

    const aliceGot = collect(alice, 'message');
    bob.setTarget('#TEA');
    bob.send('hi room');
    await expect.poll(() => aliceGot).toMatchObject([{ from: 'bob', to: '#Tea', text: 'hi room', own: false, id: expect.any(Number) }]);
    expect(alice.lastWhisperer).toBeUndefined();

    await alice.setRoom('#tea', { topic: 'Oolong' });
    await expect.poll(() => bob.rooms[0]?.topic).toBe('Oolong');
    expect((await alice.roomMembers('#tea')).map((m) => [m.name, m.role, m.online, m.registered])).toEqual([
      ['alice', 'owner', true, true], ['bob', 'member', true, false],
    ]);
    expect((await alice.whois('bob')).commonRoom).toEqual(['#Tea']);
    await expect(alice.partRoom('#tea')).rejects.toMatchObject({ code: ErrorCode.ROOM_FORBIDDEN });

    const gone = bob.once('target');
    await alice.removeFromRoom('#tea', 'bob');
    expect(await gone).toEqual({ target: '#Tea', present: false });
    expect(bob.rooms).toEqual([]);
    expect(bobEvents.at(-1)).toEqual<RoomEvent>({ room: '#Tea', event: 'part', name: 'bob', by: 'alice' });
    expect(() => bob.send('still here?')).toThrow('you are not in #Tea (any more); /all to talk to everyone');
  });

  it('someone adding a registered user to a private room puts it in their rooms; a deletion takes it out', async () => {
    const server = await serve();
    const alice = await joined(server.port, 'alice', 'alice secret');
    const carol = await joined(server.port, 'carol', 'carol secret');
    await alice.createRoom('#den', { private: true, topic: 'quiet' });
    expect(await carol.listRooms()).toEqual([]); // private: it does not exist for her
    await alice.inviteToRoom('#den', 'carol');
    await expect.poll(() => carol.rooms).toEqual([{ name: '#den', topic: 'quiet', private: true, members: 2, joined: true, role: 'member' }]);
    await alice.setRoomRole('#den', 'carol', 'owner');
    expect(alice.rooms[0]!.role).toBe('operator');
    await expect.poll(() => carol.rooms[0]?.role).toBe('owner');
    await carol.deleteRoom('#den');
    await expect.poll(() => alice.rooms).toEqual([]);
    expect(carol.rooms).toEqual([]);
  });

  it("a registered user's rooms are back after a restart of the server, without asking", async () => {
    const data = folder('howdy-rooms-');
    const first = await serve({ data, ephemeral: false });
    const port = first.port;
    const alice = await joined(port, 'alice', 'alice secret');
    await alice.createRoom('#tea');
    await stop(first);
    const back = alice.once('joined');
    await serve({ port, data, ephemeral: false });
    expect(await back).toEqual({ name: 'alice', again: true, loggedIn: true });
    await expect.poll(() => alice.rooms.map((r) => [r.name, r.role])).toEqual([['#tea', 'owner']]);
    const dave = await joined(port, 'dave');
    await dave.joinRoom('#tea');
    const got = alice.once('message');
    dave.send('after the restart', '#tea');
    expect(await got).toMatchObject({ from: 'dave', to: '#tea', text: 'after the restart' });
  });
});

/**
 * The session's rooms (docs/protocol.md §10.4) against a scripted server: which rooms the user is
 * in, kept from replies and events; a room as the target; who whispered last.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatSession, type SessionEvents } from '../../src/client/session.js';
import { ErrorCode, MsgType, type ExtensionFields, type HcpMessage } from '../../src/protocol/index.js';
import { ScriptedServer } from '../helpers/scripted-server.js';

const sessions: ChatSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.close()));

const teaFields: ExtensionFields = { room: '#tea', topic: 'Oolong', private: false, members: 2, joined: true, role: 'member' };

/** A server granting what is asked among `grants`, with `rooms` listed by ROOM_LIST; bob is online. */
function server(rooms: () => ExtensionFields[], grants = ['accounts', 'rooms']): ScriptedServer {
  return new ScriptedServer((msg, s) => {
    if (msg.type === MsgType.CAPS) s.reply(msg, { caps: (msg.fields.caps ?? []).filter((c) => grants.includes(c)) });
    if (msg.type === MsgType.PROPOSAL) {
      s.deliver({ type: MsgType.ACK, name: msg.name });
      s.deliver({ type: MsgType.UPDATE, names: ['bob', msg.name] });
    }
    if (msg.type === MsgType.ROOM_LIST) s.reply(msg, { entry: rooms() });
    if (msg.type === MsgType.ROOM_JOIN) s.reply(msg, { ...teaFields, room: '#tea' });
    if (msg.type === MsgType.ROOM_PART) s.reply(msg);
  });
}

async function joined(s: ScriptedServer, name = 'alice'): Promise<ChatSession> {
  const session = new ChatSession(async () => s.open(), { firstRetryMs: 10 });
  sessions.push(session);
  session.start();
  session.join(name);
  await session.once('joined');
  await settled();
  return session;
}

/** Once the scripted server has answered all it was asked (it answers in microtasks). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 5));
const roomEvent = (fields: ExtensionFields): HcpMessage => ({ type: MsgType.ROOM_EVENT, fields });
const sentMessages = (s: ScriptedServer) => s.requests(MsgType.MESSAGE);

describe('the session keeps the rooms the user is in', () => {
  it('asks for capabilities accounts, rooms, history, notices and moderation, then ROOM_LIST once joined, keeping the rooms joined', async () => {
    const s = server(() => [teaFields, { room: '#open', members: 4, joined: false }]);
    const alice = await joined(s);
    expect(s.requests(MsgType.CAPS)).toEqual([expect.objectContaining({ fields: { caps: ['accounts', 'rooms', 'history', 'notices', 'moderation'] } })]);
    expect(alice.roomsEnabled).toBe(true);
    expect(alice.rooms).toEqual([{ name: '#tea', topic: 'Oolong', private: false, members: 2, joined: true, role: 'member' }]);
  });

  it('follows events: topics, someone adding the user (the list asked again), a removal, a deletion', async () => {
    let listed = [teaFields];
    const s = server(() => listed);
    const alice = await joined(s);
    const changes: SessionEvents['rooms'][] = [];
    alice.on('rooms', (r) => changes.push(r));

    s.deliver(roomEvent({ room: '#tea', event: 'topic', topic: 'Sencha', by: 'bob' }));
    expect(alice.rooms[0]!.topic).toBe('Sencha');

    listed = [teaFields, { room: '#dev', topic: 'code', private: true, members: 2, joined: true, role: 'member' }];
    const added = alice.once('rooms');
    s.deliver(roomEvent({ room: '#dev', event: 'join', name: 'alice', role: 'member', by: 'bob' }));
    expect((await added).map((r) => r.name)).toEqual(['#tea', '#dev']);

    s.deliver(roomEvent({ room: '#tea', event: 'part', name: 'alice', by: 'bob' }));
    expect(alice.rooms.map((r) => r.name)).toEqual(['#dev']);
    s.deliver(roomEvent({ room: '#dev', event: 'delete', by: 'bob' }));
    expect(alice.rooms).toEqual([]);
    expect(changes).toHaveLength(4);
  });

  it('a room deleted while the list of rooms is on its way stays gone, though the answer, made before, still holds it', async () => {
    let listed = [teaFields];
    let deleting = false;
    // the server answers with what it listed before the deletion, after telling of the deletion
    const s: ScriptedServer = server(() => {
      if (deleting) s.deliver(roomEvent({ room: '#dev', event: 'delete', by: 'bob' }));
      return listed;
    });
    const alice = await joined(s);
    listed = [teaFields, { room: '#dev', topic: 'code', private: true, members: 2, joined: true, role: 'member' }];
    deleting = true;
    s.deliver(roomEvent({ room: '#dev', event: 'join', name: 'alice', role: 'member', by: 'bob' }));
    await settled();
    expect(s.requests(MsgType.ROOM_LIST)).toHaveLength(2);
    expect(alice.rooms.map((r) => r.name)).toEqual(['#tea']);
    // added again later: the list is believed again
    deleting = false;
    s.deliver(roomEvent({ room: '#dev', event: 'join', name: 'alice', role: 'member', by: 'bob' }));
    await settled();
    expect(alice.rooms.map((r) => r.name)).toEqual(['#tea', '#dev']);
  });

  it('asks with the rooms capability and refuses room requests the server did not grant', async () => {
    const s = server(() => [], ['accounts']);
    const alice = await joined(s);
    expect(alice.roomsEnabled).toBe(false);
    expect(s.requests(MsgType.ROOM_LIST)).toEqual([]);
    await expect(alice.joinRoom('#tea')).rejects.toMatchObject({ code: ErrorCode.REQUEST_INVALID, message: 'the server did not grant the rooms capability' });
    expect(() => alice.setTarget('#tea')).toThrow('you are not in #tea: /join #tea first');
  });

  it('talks to a room the user is in as the server named it; a room the user is removed from stays the target and nothing is sent', async () => {
    const s = server(() => [teaFields]);
    const alice = await joined(s);
    alice.setTarget('#TEA');
    expect(alice.target).toBe('#tea');
    alice.send('hi tea');
    expect(sentMessages(s)).toEqual([{ type: MsgType.MESSAGE, from: 'alice', to: '#tea', text: 'hi tea' }]);

    const gone = alice.once('target');
    s.deliver(roomEvent({ room: '#tea', event: 'part', name: 'alice', by: 'bob' }));
    expect(await gone).toEqual({ target: '#tea', present: false });
    expect(alice.target).toBe('#tea');
    expect(() => alice.send('still there?')).toThrow(expect.objectContaining({ code: ErrorCode.NOT_IN_ROOM, message: 'you are not in #tea (any more); /all to talk to everyone' }));
    expect(() => alice.send('elsewhere', '#dev')).toThrow('you are not in #dev: /join #dev first');
    expect(sentMessages(s)).toHaveLength(1);
  });

  it("a room's message is no whisper: /r answers only whispers", async () => {
    const s = server(() => [teaFields]);
    const alice = await joined(s);
    s.deliver({ type: MsgType.MESSAGE, from: 'bob', to: '#tea', text: 'in the room' });
    expect(alice.lastWhisperer).toBeUndefined();
    s.deliver({ type: MsgType.MESSAGE, from: 'bob', to: 'alice', text: 'psst' });
    expect(alice.lastWhisperer).toBe('bob');
  });

  it('joins and parts; after a reconnect a guest joins again the public rooms it was in', async () => {
    let listed: ExtensionFields[] = [];
    const s = server(() => listed);
    const alice = await joined(s);
    expect(await alice.joinRoom('#Tea')).toMatchObject({ name: '#tea', joined: true });
    expect(alice.rooms.map((r) => r.name)).toEqual(['#tea']);

    listed = [{ ...teaFields, joined: false, role: undefined }]; // a guest's membership ended with its connection
    const back = alice.once('joined');
    s.drop();
    await back;
    await expect.poll(() => s.requests(MsgType.ROOM_JOIN).length).toBe(2);
    await expect.poll(() => alice.rooms.map((r) => r.name)).toEqual(['#tea']);

    await alice.partRoom('#tea');
    expect(alice.rooms).toEqual([]);
  });
});

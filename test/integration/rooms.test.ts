/**
 * Rooms over real sockets, as a client written from docs/protocol.md §10.4 alone would use them
 * (raw frames), on a real SQLite store: create, join, talk, part; private rooms nobody else can
 * find; roles; memberships kept across a restart; every refusal with its code; classic peers and
 * clients without the capability hear nothing of rooms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields, type RequestType } from '../../src/protocol/index.js';
import type { ServerOptions } from '../../src/server/options.js';
import { ClassicPeer, FramedPeer, join, textsOf, type AnyPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal, type UserOptions } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const peers: AnyPeer[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.end();
  await server?.close();
  server = undefined;
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

async function start(options: Partial<ServerOptions> = {}, data?: string): Promise<TestServer> {
  server = await startTestServer({ loginDelayMs: 50, ...options, ...(data !== undefined && { data, ephemeral: false }) });
  return server;
}

/** A framed peer granted accounts and rooms (or `caps`), then named. */
async function user(name: string, options: UserOptions = {}): Promise<FramedPeer> {
  const peer = await framedUser(server!.port, name, options);
  peers.push(peer);
  return peer;
}

const events = (peer: FramedPeer) => peer.received.flatMap((m) => (m.type === MsgType.ROOM_EVENT ? [m.fields] : []));
const roomMessages = (peer: AnyPeer) => peer.received.flatMap((m) => (m.type === MsgType.MESSAGE && m.to.startsWith('#') ? [`${m.from}>${m.to}: ${m.text}`] : []));

describe('rooms', () => {
  it('a registered user creates a room; a guest finds and joins it; members talk in it; others hear nothing of it', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    expect(await ask(alice, MsgType.ROOM_CREATE, { room: '#Tea', topic: 'Oolong' })).toEqual({ room: '#Tea', topic: 'Oolong', private: false, members: 1, joined: true, role: 'owner' });
    const bob = await user('bob');
    const carol = await user('carol');
    const old = await join(ClassicPeer.open(server!.port), 'dave');
    peers.push(old);
    const plain = await user('erin', { caps: [] }); // an HCP/2 client that asked for nothing

    expect(await ask(bob, MsgType.ROOM_LIST)).toEqual({ entry: [{ room: '#Tea', topic: 'Oolong', private: false, members: 1, joined: false }] });
    expect(await ask(bob, MsgType.ROOM_JOIN, { room: '#tea' })).toEqual({ room: '#Tea', topic: 'Oolong', private: false, members: 2, joined: true, role: 'member' });
    await alice.until(() => events(alice).length === 1, 'the join event');
    expect(events(alice)).toEqual([{ room: '#Tea', event: 'join', name: 'bob', role: 'member' }]);

    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: '#TEA', text: 'hello tea' });
    alice.send({ type: MsgType.MESSAGE, from: 'alice', to: '#Tea', text: 'hi bob' });
    alice.send({ type: MsgType.MESSAGE, from: 'alice', to: 'All', text: 'hello lobby' });
    await alice.until(() => roomMessages(alice).length === 1, 'the room message');
    await bob.until(() => roomMessages(bob).length === 1, 'the room message');
    for (const p of [carol, old, plain, bob]) await p.until(() => textsOf(p).includes('hello lobby'), 'the lobby message');
    expect(roomMessages(alice)).toEqual(['bob>#Tea: hello tea']); // the room's name as created
    expect(roomMessages(bob)).toEqual(['alice>#Tea: hi bob']);
    for (const p of [carol, old, plain]) expect(textsOf(p)).toEqual(['hello lobby']);
    expect(events(carol)).toEqual([]);
    expect(events(plain)).toEqual([]);

    expect(await ask(bob, MsgType.ROOM_MEMBERS, { room: '#tea' })).toEqual({
      entry: [
        { name: 'alice', role: 'owner', online: true, registered: true },
        { name: 'bob', role: 'member', online: true, registered: false },
      ],
    });
    expect(await ask(bob, MsgType.ROOM_PART, { room: '#tea' })).toEqual({});
    await alice.until(() => events(alice).length === 2, 'the part event');
    expect(events(alice)[1]).toEqual({ room: '#Tea', event: 'part', name: 'bob' });
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: '#Tea', text: 'still here?' });
    expect(await bob.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.NOT_IN_ROOM });
    // a client without the capability: a room is a name nobody has
    plain.send({ type: MsgType.MESSAGE, from: 'erin', to: '#Tea', text: 'knock' });
    expect(await plain.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.UNKNOWN_RECEIVER });
    expect(await refusal(ask(plain, MsgType.ROOM_LIST))).toBe(ErrorCode.REQUEST_INVALID);
    expect(roomMessages(alice)).toEqual(['bob>#Tea: hello tea']);
  });

  it('a private room exists only for its members; the owner adds and removes them; roles decide who may do what', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    const bob = await user('bob', { password: 'battery staple' });
    const carol = await user('carol');
    await ask(alice, MsgType.ROOM_CREATE, { room: '#secret', private: true });

    expect(await ask(bob, MsgType.ROOM_LIST)).toEqual({});
    for (const type of [MsgType.ROOM_JOIN, MsgType.ROOM_MEMBERS, MsgType.ROOM_PART] as const) {
      expect(await refusal(ask(bob, type, { room: '#SECRET' }))).toBe(ErrorCode.NO_SUCH_ROOM);
    }
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: '#secret', text: 'let me in' });
    expect(await bob.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.NO_SUCH_ROOM });

    expect(await ask(alice, MsgType.ROOM_INVITE, { room: '#secret', name: 'BOB' })).toEqual({});
    await bob.until(() => events(bob).length === 1, 'being added');
    expect(events(bob)).toEqual([{ room: '#secret', event: 'join', name: 'bob', role: 'member', by: 'alice' }]);
    expect((await ask(bob, MsgType.ROOM_LIST)).entry).toEqual([{ room: '#secret', topic: '', private: true, members: 2, joined: true, role: 'member' }]);
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: '#secret', text: 'thanks' });
    await alice.until(() => roomMessages(alice).length === 1, 'the message');

    // a plain member may not manage the room; an operator may, but not remove the owner
    expect(await refusal(ask(bob, MsgType.ROOM_SET, { room: '#secret', topic: 'mine now' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    expect(await refusal(ask(bob, MsgType.ROOM_INVITE, { room: '#secret', name: 'carol' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    expect(await refusal(ask(bob, MsgType.ROOM_DELETE, { room: '#secret' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    await ask(alice, MsgType.ROOM_ROLE, { room: '#secret', name: 'bob', role: 'operator' });
    await bob.until(() => events(bob).some((e) => e.event === 'role'), 'the role event');
    expect(await ask(bob, MsgType.ROOM_SET, { room: '#secret', topic: 'plans' })).toMatchObject({ topic: 'plans', role: 'operator' });
    await alice.until(() => events(alice).some((e) => e.event === 'topic'), 'the topic event');
    expect(events(alice).find((e) => e.event === 'topic')).toEqual({ room: '#secret', event: 'topic', topic: 'plans', by: 'bob' });
    expect(await refusal(ask(bob, MsgType.ROOM_REMOVE, { room: '#secret', name: 'alice' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    expect(await refusal(ask(bob, MsgType.ROOM_ROLE, { room: '#secret', name: 'bob', role: 'owner' }))).toBe(ErrorCode.ROOM_FORBIDDEN);

    // a guest online with rooms can be added; it holds no role
    await ask(bob, MsgType.ROOM_INVITE, { room: '#secret', name: 'carol' });
    await carol.until(() => events(carol).length === 1, 'being added');
    expect(await refusal(ask(alice, MsgType.ROOM_ROLE, { room: '#secret', name: 'carol', role: 'operator' }))).toBe(ErrorCode.ROOM_INVALID);
    await ask(bob, MsgType.ROOM_REMOVE, { room: '#secret', name: 'carol' });
    await carol.until(() => events(carol).length === 2, 'being removed');
    expect(events(carol)[1]).toEqual({ room: '#secret', event: 'part', name: 'carol', by: 'bob' });
    expect(await refusal(ask(carol, MsgType.ROOM_JOIN, { room: '#secret' }))).toBe(ErrorCode.NO_SUCH_ROOM);

    // the owner cannot walk away from the room; it hands it over, or deletes it
    expect(await refusal(ask(alice, MsgType.ROOM_PART, { room: '#secret' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    await ask(alice, MsgType.ROOM_DELETE, { room: '#secret' });
    await bob.until(() => events(bob).some((e) => e.event === 'delete'), 'the deletion');
    expect(events(bob).at(-1)).toEqual({ room: '#secret', event: 'delete', by: 'alice' });
    expect(await refusal(ask(bob, MsgType.ROOM_JOIN, { room: '#secret' }))).toBe(ErrorCode.NO_SUCH_ROOM);
  });

  it('rooms, topics, roles and memberships outlive a restart: members are back in their rooms without asking', async () => {
    const data = mkdtempSync(joinPath(tmpdir(), 'howdy-rooms-'));
    folders.push(data);
    await start({}, data);
    let alice = await user('alice', { password: 'correct horse' });
    let bob = await user('bob', { password: 'battery staple' });
    await ask(alice, MsgType.ROOM_CREATE, { room: '#club', topic: 'members only', private: true });
    await ask(alice, MsgType.ROOM_INVITE, { room: '#club', name: 'bob' });
    await ask(alice, MsgType.ROOM_ROLE, { room: '#club', name: 'bob', role: 'operator' });
    await ask(bob, MsgType.ROOM_CREATE, { room: '#open' });
    await server!.close();
    peers.splice(0).forEach((p) => p.end());

    await start({}, data);
    alice = await user('alice', { password: 'correct horse', create: false });
    bob = await user('bob', { password: 'battery staple', create: false });
    expect((await ask(alice, MsgType.ROOM_LIST)).entry).toEqual([
      { room: '#club', topic: 'members only', private: true, members: 2, joined: true, role: 'owner' },
      { room: '#open', topic: '', private: false, members: 1, joined: false },
    ]);
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: '#club', text: 'back again' });
    await alice.until(() => roomMessages(alice).length === 1, 'the message');
    expect(roomMessages(alice)).toEqual(['bob>#club: back again']);
    expect((await ask(alice, MsgType.ROOM_MEMBERS, { room: '#club' })).entry).toEqual([
      { name: 'alice', role: 'owner', online: true, registered: true },
      { name: 'bob', role: 'operator', online: true, registered: true },
    ]);
    expect(await ask(alice, MsgType.WHOIS, { name: 'bob' })).toMatchObject({ name: 'bob', commonRoom: ['#club'] });
  });

  it('a guest leaves its rooms with its connection; a deleted account takes its memberships and the rooms it owned', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    const bob = await user('bob', { password: 'battery staple' });
    const carol = await user('carol');
    await ask(alice, MsgType.ROOM_CREATE, { room: '#a' });
    await ask(bob, MsgType.ROOM_CREATE, { room: '#b' });
    await ask(bob, MsgType.ROOM_JOIN, { room: '#a' });
    await ask(carol, MsgType.ROOM_JOIN, { room: '#a' });
    await ask(alice, MsgType.ROOM_JOIN, { room: '#b' });
    carol.end();
    await alice.until(() => events(alice).some((e) => e.event === 'part'), 'the guest parting');
    expect(events(alice).filter((e) => e.event === 'part')).toEqual([{ room: '#a', event: 'part', name: 'carol' }]);

    await ask(bob, MsgType.ACCOUNT_DELETE, { password: 'battery staple' });
    await alice.until(() => events(alice).length >= 5, 'the deletion and the part');
    expect(events(alice).slice(-2)).toEqual([
      { room: '#a', event: 'part', name: 'bob' },
      { room: '#b', event: 'delete', by: 'bob' },
    ]);
    expect((await ask(alice, MsgType.ROOM_LIST)).entry).toEqual([{ room: '#a', topic: '', private: false, members: 1, joined: true, role: 'owner' }]);
    expect(await ask(bob, MsgType.ROOM_LIST)).toEqual({ entry: [{ room: '#a', topic: '', private: false, members: 1, joined: false }] });
  });

  it('bad requests are refused with their code and change nothing', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    const guest = await user('bob');
    const code = (type: RequestType, fields: ExtensionFields, who = alice) => refusal(ask(who, type, fields));
    expect(await code(MsgType.ROOM_CREATE, { room: '#guests' }, guest)).toBe(ErrorCode.NOT_LOGGED_IN);
    expect(await code(MsgType.ROOM_CREATE, { room: 'tea' })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_CREATE, { room: '#' })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_CREATE, { room: '#a\u0007b' })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_CREATE, { room: `#${'x'.repeat(64)}` })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_CREATE, { room: '#tea', topic: 't'.repeat(301) })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_CREATE, {})).toBe(ErrorCode.MALFORMED);
    await ask(alice, MsgType.ROOM_CREATE, { room: '#tea' });
    expect(await code(MsgType.ROOM_CREATE, { room: '#TEA' })).toBe(ErrorCode.ROOM_EXISTS);
    expect(await code(MsgType.ROOM_SET, { room: '#tea', topic: 'a\nb' })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_ROLE, { room: '#tea', name: 'alice', role: 'king' })).toBe(ErrorCode.ROOM_INVALID);
    expect(await code(MsgType.ROOM_INVITE, { room: '#tea', name: 'nobody' })).toBe(ErrorCode.NO_SUCH_USER);
    expect(await code(MsgType.ROOM_REMOVE, { room: '#tea', name: 'bob' })).toBe(ErrorCode.NOT_IN_ROOM);
    expect(await code(MsgType.ROOM_JOIN, { room: '#coffee' })).toBe(ErrorCode.NO_SUCH_ROOM);
    // a ROOM field cut short: MALFORMED, naming the request
    alice.write(Uint8Array.of(0, 0, 0, 0x0d, MsgType.ROOM_JOIN, 0x01, 0, 4, 0, 0, 0, 0x63, 0x0d, 0, 9, 0x23, 0x74));
    expect(await alice.take(MsgType.ERROR, (e) => e.id === 0x63)).toMatchObject({ code: ErrorCode.MALFORMED });
    // nobody may take a room's kind of name
    const hash = await FramedPeer.open(server!.port);
    peers.push(hash);
    hash.send({ type: MsgType.PROPOSAL, name: '#tea' });
    expect(await hash.take(MsgType.NAK)).toMatchObject({ name: '#tea' });
    expect(await hash.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.NAME_RESERVED });
    // and after all that, the room is as it was
    expect(await ask(guest, MsgType.ROOM_LIST)).toEqual({ entry: [{ room: '#tea', topic: '', private: false, members: 1, joined: false }] });
  });

  it('busy rooms side by side: each member gets every message of its room and of the lobby once, in order, and nothing of other rooms', async () => {
    await start();
    const rooms = ['#r1', '#r2', '#r3'];
    const owners = await Promise.all(rooms.map((_, i) => user(`owner${i}`, { password: 'correct horse' })));
    await Promise.all(rooms.map((room, i) => ask(owners[i]!, MsgType.ROOM_CREATE, { room })));
    const members = [...owners];
    for (let i = 0; i < 6; i++) {
      const guest = await user(`guest${i}`);
      await ask(guest, MsgType.ROOM_JOIN, { room: rooms[i % 3]! });
      members.push(guest);
    }
    const roomOf = (i: number) => rooms[i % 3]!;
    const name = (i: number) => (i < 3 ? `owner${i}` : `guest${i - 3}`);
    // every member writes in bursts, to its room and now and then to the lobby, all at once
    const N = 40;
    for (let k = 0; k < N; k++) {
      members.forEach((m, i) => {
        m.send({ type: MsgType.MESSAGE, from: name(i), to: k % 5 === 0 ? 'All' : roomOf(i), text: `${name(i)}:${k}` });
      });
    }
    const expected = (i: number) =>
      members.flatMap((_, j) => (j === i ? [] : Array.from({ length: N }, (_, k) => k).filter((k) => k % 5 === 0 || roomOf(j) === roomOf(i)).map((k) => `${name(j)}:${k}`)));
    for (const [i, m] of members.entries()) {
      await m.until(() => textsOf(m).length >= expected(i).length, `the messages of ${name(i)}`);
      const got = textsOf(m);
      expect([...got].sort()).toEqual([...expected(i)].sort()); // each once, none of other rooms
      for (const [j] of members.entries()) {
        const fromJ = got.filter((t) => t.startsWith(`${name(j)}:`));
        expect(fromJ).toEqual(expected(i).filter((t) => t.startsWith(`${name(j)}:`))); // in the order sent
      }
    }
  });

  it('a store that fails refuses the change that needed it, changes nothing, and the rooms go on', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    const bob = await user('bob', { password: 'battery staple' });
    await ask(alice, MsgType.ROOM_CREATE, { room: '#tea' });
    await ask(bob, MsgType.ROOM_JOIN, { room: '#tea' });
    await server!.store.close(); // the engine goes away under the server
    expect(await refusal(ask(alice, MsgType.ROOM_CREATE, { room: '#coffee' }))).toBe(ErrorCode.STORE_FAILED);
    expect(await refusal(ask(alice, MsgType.ROOM_SET, { room: '#tea', topic: 'lost?' }))).toBe(ErrorCode.STORE_FAILED);
    expect(await refusal(ask(bob, MsgType.ROOM_PART, { room: '#tea' }))).toBe(ErrorCode.STORE_FAILED);
    expect(await ask(bob, MsgType.ROOM_LIST)).toEqual({ entry: [{ room: '#tea', topic: '', private: false, members: 2, joined: true, role: 'member' }] });
    expect(events(bob)).toEqual([]); // nobody was told of a change that was not kept
    alice.send({ type: MsgType.MESSAGE, from: 'alice', to: '#tea', text: 'still talking' });
    await bob.until(() => roomMessages(bob).length === 1, 'the message');
  });
});

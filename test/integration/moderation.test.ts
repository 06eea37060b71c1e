/** Moderation (docs/protocol.md §10.6): roles, kick, mute, bans, announce, delete, rooms, and the audit trail, over raw frames. */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, PREFACE, type ExtensionFields, type HcpMessage } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, type AnyPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const peers: AnyPeer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.end();
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

const PASSWORD = 'correct horse';
/** A 64-byte NUL-padded name field, built by hand. */
const field = (name: string) => {
  const out = Buffer.alloc(64);
  Buffer.from(name).copy(out);
  return out;
};
/** A classic MESSAGE's bytes, from Server to `to`. */
const fromServer = (to: string, text: string) => Buffer.concat([Buffer.of(0x05), field('Server'), field(to), Buffer.from(text)]);
/** Waits for (and removes) the first event frame of `type` whose fields match. */
async function event(peer: FramedPeer, type: number, match: (f: ExtensionFields) => boolean = () => true): Promise<{ type: number; fields: ExtensionFields }> {
  const hit = (m: HcpMessage) => m.type === type && 'fields' in m && match(m.fields);
  await peer.until(() => peer.received.some(hit), `an event of type ${type}`);
  const i = peer.received.findIndex(hit);
  return peer.received.splice(i, 1)[0] as { type: number; fields: ExtensionFields };
}
const add = <P extends AnyPeer>(p: P): P => (peers.push(p), p);

/** An account with `role`, logged in on a framed connection granted `moderation` (and history). */
async function staff(name: string, role: 'admin' | 'moderator'): Promise<FramedPeer> {
  const peer = add(await framedUser(server!.port, name, { password: PASSWORD, caps: ['accounts', 'rooms', 'history', 'moderation'] }));
  await server!.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
  return peer;
}

/** A raw TCP connection from a loopback address of our choice (all of 127/8 is this machine). */
function rawFrom(localAddress: string): Promise<{ socket: Socket; bytes: () => Buffer; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const socket = connect({ port: server!.port, host: '127.0.0.1', localAddress }, () => resolve({ socket, bytes: () => got, closed }));
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('data', (d) => (got = Buffer.concat([got, d])));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

describe('moderation', () => {
  it('a moderator kicks a framed user (ERROR KICKED, closed) and a classic one (a MESSAGE from Server, byte for byte, then the close)', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    const bob = add(await framedUser(server.port, 'bob'));
    const carl = add(await join(ClassicPeer.open(server.port), 'carl'));
    expect(await ask(mod, MsgType.MOD_KICK, { name: 'bob', text: 'spam' })).toEqual({});
    const told = await bob.take(MsgType.ERROR);
    expect(told).toMatchObject({ code: ErrorCode.KICKED, fatal: true, reason: 'you were kicked by mod: spam' });
    await bob.waitClosed();
    await ask(mod, MsgType.MOD_KICK, { name: 'CARL', text: 'flooding' });
    await carl.waitClosed();
    const expected = fromServer('carl', 'you were kicked by mod: flooding');
    expect(carl.bytes.subarray(carl.bytes.length - expected.length)).toEqual(expected);
    expect(await refusal(ask(mod, MsgType.MOD_KICK, { name: 'nobody' }))).toBe(ErrorCode.NO_SUCH_USER);
  });

  it('a muted user\'s messages are refused (framed: ERROR MUTED; classic: told by Server) and reach nobody, until unmuted', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    const bob = add(await framedUser(server.port, 'bob'));
    const carl = add(await join(ClassicPeer.open(server.port), 'carl'));
    const amy = add(await join(FramedPeer.open(server.port), 'amy'));
    const muted = await ask(mod, MsgType.MOD_MUTE, { name: 'bob', duration: 60, text: 'calm down' });
    expect(muted.until).toBeGreaterThan(Date.now() + 50_000);
    await ask(mod, MsgType.MOD_MUTE, { name: 'carl', duration: 60 });
    await bob.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'bob' && m.text.startsWith('mod muted you until'));
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: 'All', text: 'shouting' });
    const refused = await bob.take(MsgType.ERROR);
    expect(refused).toMatchObject({ code: ErrorCode.MUTED, fatal: false });
    expect(refused.reason).toMatch(/^you are muted until .*: calm down; your message was not sent$/);
    carl.send({ type: MsgType.MESSAGE, from: 'carl', to: 'All', text: 'shouting too' });
    await carl.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'carl' && m.text.startsWith('you are muted until'));
    await ask(mod, MsgType.MOD_MUTE, { name: 'bob', duration: 0 });
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: 'All', text: 'sorry' });
    await amy.take(MsgType.MESSAGE, (m) => m.from === 'bob');
    expect(amy.received.filter((m) => m.type === MsgType.MESSAGE).map((m) => (m as { text: string }).text)).toEqual([]);
    const users = await ask(mod, MsgType.MOD_USERS);
    const carlEntry = users.entry!.find((e) => e.name === 'carl')!;
    expect(carlEntry).toMatchObject({ address: '127.0.0.1', transport: 'tcp/classic' });
    expect(carlEntry.until).toBeGreaterThan(Date.now());
    expect(carlEntry.since).toBeLessThanOrEqual(Date.now());
    expect(users.entry!.find((e) => e.name === 'mod')).toMatchObject({ role: 'moderator', transport: 'tcp/framed' });
  });

  it('a moderator may not ban, announce or close rooms; a user without a role may do nothing (FORBIDDEN)', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    expect(await refusal(ask(mod, MsgType.MOD_BAN, { kind: 'name', name: 'bob' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await refusal(ask(mod, MsgType.MOD_ANNOUNCE, { text: 'hi' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await refusal(ask(mod, MsgType.MOD_ROOM, { room: '#tea', action: 'close' }))).toBe(ErrorCode.FORBIDDEN);
    const joe = add(await framedUser(server.port, 'joe', { password: PASSWORD, caps: ['accounts', 'moderation'] }));
    expect(await refusal(ask(joe, MsgType.MOD_USERS))).toBe(ErrorCode.FORBIDDEN);
    const admin = await staff('boss', 'admin');
    expect(await refusal(ask(mod, MsgType.MOD_KICK, { name: 'boss' }))).toBe(ErrorCode.FORBIDDEN); // nor act on an admin
    expect(admin.closed).toBe(false);
    const guest = add(await framedUser(server.port, 'gus', { caps: ['moderation'] }));
    expect(await refusal(ask(guest, MsgType.MOD_USERS))).toBe(ErrorCode.FORBIDDEN);
  });

  it('an admin bans an address: who is on it is expelled, and a new connection from it is refused; others still connect', async () => {
    server = await startTestServer({ limitLoopback: true, maxConnectionsPerAddress: 10 });
    const admin = await staff('boss', 'admin');
    const before = await rawFrom('127.0.0.2');
    const ban = await ask(admin, MsgType.MOD_BAN, { kind: 'address', address: '127.0.0.2/32', text: 'abuse' });
    expect(ban).toMatchObject({ kind: 'address', address: '127.0.0.2/32', by: 'boss', text: 'abuse' });
    expect(ban.until).toBeUndefined(); // for ever
    await before.closed;
    const classic = await rawFrom('127.0.0.2');
    classic.socket.write(Buffer.concat([Buffer.of(0x01), field('sneaky')]));
    await classic.closed;
    expect(classic.bytes().length).toBe(0); // a classic peer knows no ERROR: it is closed
    const framed = await rawFrom('127.0.0.2');
    framed.socket.write(PREFACE);
    await framed.closed;
    expect(framed.bytes().subarray(8 + 5, 8 + 7)).toEqual(Buffer.of(0x08, 0x02)); // BANNED, after the preface
    expect(server.logs.some((l) => l.msg === 'connection refused' && l.code === 'BANNED')).toBe(true);
    add(await join(ClassicPeer.open(server.port), 'fine')); // from 127.0.0.1
    await ask(admin, MsgType.MOD_UNBAN, { banId: ban.banId! });
    const after = await rawFrom('127.0.0.2');
    after.socket.write(Buffer.concat([Buffer.of(0x01), field('back')]));
    await new Promise<void>((r) => after.socket.once('data', () => r()));
    expect(after.bytes()[0]).toBe(MsgType.ACK);
  });

  it('a ban by name refuses its registration (NAK and BANNED); the bans are listed; unban lets it in', async () => {
    server = await startTestServer();
    const admin = await staff('boss', 'admin');
    const troll = add(await framedUser(server.port, 'troll'));
    const ban = await ask(admin, MsgType.MOD_BAN, { kind: 'name', name: 'Troll', duration: 3600, text: 'trolling' });
    expect(ban.until).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await troll.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.BANNED, fatal: true });
    await troll.waitClosed();
    const again = add(await FramedPeer.open(server.port));
    again.send({ type: MsgType.PROPOSAL, name: 'TROLL' });
    await again.take(MsgType.NAK);
    expect((await again.take(MsgType.ERROR)).code).toBe(ErrorCode.BANNED);
    const classic = add(await ClassicPeer.open(server.port));
    classic.send({ type: MsgType.PROPOSAL, name: 'troll' });
    await classic.take(MsgType.NAK);
    expect((await ask(admin, MsgType.MOD_BANS)).entry).toEqual([expect.objectContaining({ banId: ban.banId, kind: 'name', name: 'troll', by: 'boss', text: 'trolling' })]);
    expect(await refusal(ask(admin, MsgType.MOD_UNBAN, { banId: 999 }))).toBe(ErrorCode.NO_SUCH_BAN);
    await ask(admin, MsgType.MOD_UNBAN, { banId: ban.banId! });
    expect((await ask(admin, MsgType.MOD_BANS)).entry).toBeUndefined();
    again.send({ type: MsgType.PROPOSAL, name: 'troll' });
    await again.take(MsgType.ACK);
    expect(await refusal(ask(admin, MsgType.MOD_BAN, { kind: 'address', address: '300.1.1.1' }))).toBe(ErrorCode.MOD_INVALID);
  });

  it('an announcement reaches everyone from Server: classic and framed peers a MESSAGE to All, peers granted notices a NOTICE', async () => {
    server = await startTestServer();
    const admin = await staff('boss', 'admin');
    const carl = add(await join(ClassicPeer.open(server.port), 'carl'));
    const plain = add(await join(FramedPeer.open(server.port), 'fred'));
    const noticed = add(await framedUser(server.port, 'nina', { caps: ['notices'] }));
    await ask(admin, MsgType.MOD_ANNOUNCE, { text: 'Restart at noon.' });
    const expected = fromServer('All', 'Restart at noon.');
    await carl.until(() => carl.bytes.includes(expected), 'the announcement');
    await plain.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'All' && m.text === 'Restart at noon.');
    expect(await event(noticed, MsgType.NOTICE)).toEqual({ type: MsgType.NOTICE, fields: { text: 'Restart at noon.' } });
    expect(await refusal(ask(admin, MsgType.MOD_ANNOUNCE, { text: 'bell\u0007' }))).toBe(ErrorCode.MOD_INVALID);
  });

  it('a moderator deletes anyone\'s message (gone live and from history); an admin takes over and closes a room', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    const admin = await staff('boss', 'admin');
    const bob = add(await framedUser(server.port, 'bob', { password: PASSWORD, caps: ['accounts', 'rooms', 'history'] }));
    bob.send({ type: MsgType.MESSAGE, from: 'bob', to: 'All', text: 'rude words' });
    const stamped = await event(mod, MsgType.STAMPED, (f) => f.text === 'rude words');
    await ask(mod, MsgType.MOD_DELETE, { msgId: stamped.fields.msgId! });
    expect(await event(bob, MsgType.DELETED)).toMatchObject({ fields: { msgId: stamped.fields.msgId, conversation: 'All' } });
    const page = await ask(bob, MsgType.HISTORY, { conversation: 'All' });
    expect(page.entry!.find((e) => e.msgId === stamped.fields.msgId)).toMatchObject({ deleted: true, text: '' });
    await ask(bob, MsgType.ROOM_CREATE, { room: '#den' });
    await ask(admin, MsgType.MOD_ROOM, { room: '#den', action: 'takeover' });
    expect(await event(bob, MsgType.ROOM_EVENT, (f) => f.role === 'owner')).toMatchObject({ fields: { room: '#den', event: 'role', name: 'boss', by: 'boss' } });
    expect(await refusal(ask(bob, MsgType.ROOM_DELETE, { room: '#den' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    await ask(admin, MsgType.MOD_ROOM, { room: '#den', action: 'close' });
    expect(await event(bob, MsgType.ROOM_EVENT, (f) => f.event === 'delete')).toMatchObject({ fields: { room: '#den', by: 'boss' } });
  });

  it('every action is written to the audit trail: who did what to whom, when', async () => {
    server = await startTestServer();
    const admin = await staff('boss', 'admin');
    add(await framedUser(server.port, 'bob'));
    const started = Date.now();
    await ask(admin, MsgType.MOD_WARN, { name: 'bob', text: 'be nice' });
    await ask(admin, MsgType.MOD_KICK, { name: 'bob', text: 'not nice' });
    await ask(admin, MsgType.MOD_ANNOUNCE, { text: 'hello' });
    const log = await server.store.moderation.auditLog(10);
    expect(log.map(({ actor, action, target, detail }) => ({ actor, action, target, detail }))).toEqual([
      { actor: 'boss', action: 'announce', target: 'All', detail: 'hello' },
      { actor: 'boss', action: 'kick', target: 'bob', detail: 'not nice' },
      { actor: 'boss', action: 'warn', target: 'bob', detail: 'be nice' },
      { actor: 'cli', action: 'grant', target: 'boss', detail: 'admin' },
    ]);
    expect(log[0]!.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(server.logs.some((l) => l.msg === 'moderation' && l.action === 'kick' && l.actor === 'boss')).toBe(true);
  });
});

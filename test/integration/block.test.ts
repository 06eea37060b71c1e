/** Blocking (docs/protocol.md §10.7) over real sockets: live messages, whispers, history, the store, refusals. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields, type HcpMessage } from '../../src/protocol/index.js';
import type { ServerOptions } from '../../src/server/options.js';
import { ClassicPeer, join, textsOf, type AnyPeer, type FramedPeer } from '../helpers/clients.js';
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

const PASSWORD = 'correct horse';
async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  return (server = await startTestServer({ loginDelayMs: 50, ...options }));
}
async function user(name: string, options: UserOptions = {}): Promise<FramedPeer> {
  const peer = await framedUser(server!.port, name, { caps: ['accounts', 'rooms', 'history'], ...options });
  peers.push(peer);
  return peer;
}
const say = (peer: AnyPeer, from: string, to: string, text: string) => peer.send({ type: MsgType.MESSAGE, from, to, text });
/** Texts a peer got live, MESSAGE or STAMPED. */
const heard = (peer: AnyPeer): string[] => peer.received.flatMap((m: HcpMessage) =>
  m.type === MsgType.MESSAGE ? [m.text] : m.type === MsgType.STAMPED ? [(m.fields as ExtensionFields).text!] : []);
const texts = (reply: ExtensionFields) => (reply.entry ?? []).map((e) => e.text);
/** Waits until `peer` has heard `last`, then gives all it heard (a marker that orders what came before it). */
async function until(peer: AnyPeer, last: string): Promise<string[]> {
  await peer.until(() => heard(peer).includes(last), `"${last}"`);
  return heard(peer);
}

describe('blocking', () => {
  it('a blocked user\'s lobby, room and whispered messages stop reaching the blocker, not others; the blocked one is told nothing; unblocking restores', async () => {
    await start();
    const alice = await user('alice', { password: PASSWORD }); // rooms are made by accounts
    const bob = await user('bob');
    const carol = await user('carol');
    for (const p of [alice, bob, carol]) await ask(p, p === alice ? MsgType.ROOM_CREATE : MsgType.ROOM_JOIN, { room: '#tea' });

    expect(await ask(alice, MsgType.BLOCK, { name: 'BOB' })).toEqual({ name: 'bob' });
    say(bob, 'bob', 'All', 'lobby from bob');
    say(bob, 'bob', '#tea', 'room from bob');
    say(bob, 'bob', 'alice', 'whisper from bob');
    say(bob, 'bob', 'carol', 'whisper to carol');
    say(carol, 'carol', 'All', 'lobby from carol');
    say(carol, 'carol', '#tea', 'room from carol');
    expect(await until(alice, 'room from carol')).toEqual(['lobby from carol', 'room from carol']);
    expect(await until(carol, 'whisper to carol')).toEqual(expect.arrayContaining(['lobby from bob', 'room from bob', 'whisper to carol']));
    // bob sees his whisper go out as any other (its echo), and no ERROR
    expect(await until(bob, 'whisper from bob')).toContain('whisper from bob');
    expect(bob.received.filter((m) => m.type === MsgType.ERROR)).toEqual([]);

    expect(await ask(alice, MsgType.BLOCKS)).toEqual({ entry: [{ name: 'bob', registered: false }] });
    expect(await ask(alice, MsgType.UNBLOCK, { name: 'bob' })).toEqual({});
    expect(await ask(alice, MsgType.BLOCKS)).toEqual({});
    say(bob, 'bob', 'All', 'bob again');
    say(bob, 'bob', 'alice', 'bob whispers again');
    expect(await until(alice, 'bob whispers again')).toEqual(['lobby from carol', 'room from carol', 'bob again', 'bob whispers again']);
  });

  it('the blocker\'s catch-up, pages and search leave the blocked user\'s messages out; the unheard whisper was never kept', async () => {
    await start();
    const alice = await user('alice', { password: PASSWORD });
    const bob = await user('bob');
    const carol = await user('carol');
    await ask(alice, MsgType.BLOCK, { name: 'bob' });
    say(bob, 'bob', 'All', 'tea time from bob');
    say(bob, 'bob', 'alice', 'psst tea');
    say(carol, 'carol', 'All', 'tea time from carol');
    await until(carol, 'tea time from bob');
    await until(bob, 'tea time from carol');
    alice.end();
    const again = await user('alice', { password: PASSWORD, create: false });
    expect(texts(await ask(again, MsgType.CATCH_UP, { after: 0 }))).toEqual(['tea time from carol']);
    expect(texts(await ask(again, MsgType.HISTORY, { conversation: 'All' }))).toEqual(['tea time from carol']);
    await expect.poll(async () => texts(await ask(again, MsgType.SEARCH, { query: 'tea' })), { timeout: 10_000 }).toEqual(['tea time from carol']);
    // others read it all; bob's whisper to alice is in nobody's history, not even his
    expect(texts(await ask(carol, MsgType.HISTORY, { conversation: 'All' }))).toEqual(['tea time from bob', 'tea time from carol']);
    expect(texts(await ask(bob, MsgType.HISTORY, { conversation: 'alice' }))).toEqual([]);
  });

  it('a page or catch-up of the blocker is full however many of its messages the blocked user said', async () => {
    await start();
    const alice = await user('alice', { password: PASSWORD });
    const bob = await user('bob');
    const carol = await user('carol');
    await ask(alice, MsgType.BLOCK, { name: 'bob' });
    say(carol, 'carol', 'All', 'carol 1');
    say(carol, 'carol', 'All', 'carol 2');
    for (let i = 1; i <= 5; i++) say(bob, 'bob', 'All', `bob ${i}`);
    say(carol, 'carol', 'All', 'carol 3');
    await until(bob, 'carol 3');
    alice.end();
    const again = await user('alice', { password: PASSWORD, create: false });
    // a page of two before the last: bob's five in between are not what cuts it short
    const page = await ask(again, MsgType.HISTORY, { conversation: 'All', limit: 2 });
    expect(texts(page)).toEqual(['carol 2', 'carol 3']);
    expect(page.more).toBe(true);
    const caught = await ask(again, MsgType.CATCH_UP, { after: 0, limit: 2 });
    expect(texts(caught)).toEqual(['carol 1', 'carol 2']);
    expect(caught.more).toBe(true);
  });

  it('messages of a blocked classic peer are kept from the blocker', async () => {
    await start();
    const alice = await user('alice');
    const carol = await user('carol');
    const old = await join(ClassicPeer.open(server!.port), 'oldie');
    peers.push(old);
    await ask(alice, MsgType.BLOCK, { name: 'oldie' });
    say(old, 'oldie', 'All', 'from the past');
    say(old, 'oldie', 'alice', 'whisper from the past');
    say(carol, 'carol', 'All', 'now');
    await until(carol, 'from the past');
    expect(await until(alice, 'now')).toEqual(['now']);
    expect(textsOf(old)).toEqual(['now']); // and nothing from Server about a block
  });

  it('a registered user\'s block of an account is kept over a restart, and holds on the account\'s every connection', async () => {
    const data = mkdtempSync(joinPath(tmpdir(), 'howdy-block-'));
    folders.push(data);
    await start({ data, ephemeral: false });
    const alice = await user('alice', { password: PASSWORD });
    await user('bob', { password: PASSWORD });
    expect(await ask(alice, MsgType.BLOCK, { name: 'bob' })).toEqual({ name: 'bob' });
    for (const p of peers.splice(0)) p.end();
    await server!.close();

    await start({ data, ephemeral: false });
    const bob = await user('bob', { password: PASSWORD, create: false });
    const carol = await user('carol');
    const back = await user('alice', { password: PASSWORD, create: false });
    expect(await ask(back, MsgType.BLOCKS)).toEqual({ entry: [{ name: 'bob', registered: true }] });
    say(bob, 'bob', 'All', 'bob after the restart');
    say(carol, 'carol', 'All', 'carol after the restart');
    await until(carol, 'bob after the restart');
    expect(await until(back, 'carol after the restart')).toEqual(['carol after the restart']);
  });

  it('a blocked guest that registers its name is blocked still, as the account, over a restart too', async () => {
    const data = mkdtempSync(joinPath(tmpdir(), 'howdy-block-'));
    folders.push(data);
    await start({ data, ephemeral: false });
    const alice = await user('alice', { password: PASSWORD });
    const bob = await user('bob');
    await ask(alice, MsgType.BLOCK, { name: 'bob' });
    expect(await ask(bob, MsgType.ACCOUNT_CREATE, { password: PASSWORD })).toEqual({ name: 'bob' });
    expect(await ask(alice, MsgType.BLOCKS)).toEqual({ entry: [{ name: 'bob', registered: true }] });
    const carol = await user('carol');
    say(bob, 'bob', 'All', 'bob registered');
    say(carol, 'carol', 'All', 'carol here');
    await until(carol, 'bob registered');
    expect(await until(alice, 'carol here')).toEqual(['carol here']);
    for (const p of peers.splice(0)) p.end();
    await server!.close();

    await start({ data, ephemeral: false });
    const back = await user('alice', { password: PASSWORD, create: false });
    expect(await ask(back, MsgType.BLOCKS)).toEqual({ entry: [{ name: 'bob', registered: true }] });
  });

  it('refuses what cannot be blocked or unblocked with a typed ERROR, and classic-only peers and base clients cannot ask', async () => {
    await start();
    const alice = await user('alice');
    const plain = await user('plain', { caps: [] });
    expect(await refusal(ask(alice, MsgType.BLOCK, { name: 'Alice' }))).toBe(ErrorCode.BLOCK_INVALID);
    expect(await refusal(ask(alice, MsgType.BLOCK, { name: 'Server' }))).toBe(ErrorCode.BLOCK_INVALID);
    expect(await refusal(ask(alice, MsgType.BLOCK, { name: 'nobody' }))).toBe(ErrorCode.NO_SUCH_USER);
    expect(await refusal(ask(alice, MsgType.BLOCK, {}))).toBe(ErrorCode.MALFORMED);
    expect(await refusal(ask(alice, MsgType.UNBLOCK, { name: 'plain' }))).toBe(ErrorCode.BLOCK_INVALID);
    expect(await refusal(ask(plain, MsgType.BLOCK, { name: 'alice' }))).toBe(ErrorCode.REQUEST_INVALID);
    // a field cut short: MALFORMED with the request's id, and the connection works on
    alice.write(Uint8Array.of(0, 0, 0, 12, MsgType.BLOCK, 0x01, 0, 4, 0, 0, 0, 99, 0x03, 0, 9, 0x61));
    expect(await alice.take(MsgType.ERROR, (e) => e.id === 99)).toMatchObject({ code: ErrorCode.MALFORMED });
    expect(await ask(alice, MsgType.BLOCK, { name: 'plain' })).toEqual({ name: 'plain' });
  });
});

/**
 * What a room's newcomers read of its history (docs/protocol.md §10.4 HISTORY, §11), over real
 * sockets with raw frames: in a `joined` room a newcomer's pages, catch-up and search start at its
 * join (a guest's too; a member who leaves and comes back, at the new join); in an `all` room it
 * reads everything; only owners and operators change the setting, the members are told, and a
 * change lets every member then in the room read all of it. Setting and bounds outlive a restart
 * of a spawned server on a real data folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields } from '../../src/protocol/index.js';
import { FramedPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal, type UserOptions } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { exited, freePort, howdy } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';

let server: TestServer | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server?.close();
  server = undefined;
});

const CAPS = ['accounts', 'rooms', 'history'];
async function user(port: number, name: string, options: UserOptions = {}): Promise<FramedPeer> {
  const peer = await framedUser(port, name, { caps: CAPS, ...options });
  cleanups.push(() => peer.end());
  return peer;
}
const member = (name: string, create = true) => user(server!.port, name, { password: `${name} password`, create });

type Entry = { msgId: number; from: string; to: string; text: string };
const stamped = (peer: FramedPeer): Entry[] => peer.received.flatMap((m) => (m.type === MsgType.STAMPED ? [m.fields as Entry] : []));
const texts = (fields: ExtensionFields) => ((fields.entry ?? []) as Entry[]).map((e) => e.text);
const events = (peer: FramedPeer) => peer.received.flatMap((m) => (m.type === MsgType.ROOM_EVENT ? [m.fields] : []));

/** Says `text` in `to` and waits for the server's echo: the message is in history. */
async function say(peer: FramedPeer, from: string, to: string, text: string): Promise<void> {
  peer.send({ type: MsgType.MESSAGE, from, to, text });
  await peer.until(() => stamped(peer).some((m) => m.text === text), `the echo of "${text}"`);
}
const page = (peer: FramedPeer, conversation: string, fields: ExtensionFields = {}) => ask(peer, MsgType.HISTORY, { conversation, ...fields });
const search = (peer: FramedPeer, query: string, conversation?: string) => ask(peer, MsgType.SEARCH, { query, ...(conversation !== undefined && { conversation }) });
/** The room's texts in a catch-up from the start. */
const caughtUp = async (peer: FramedPeer, room: string) => ((await ask(peer, MsgType.CATCH_UP, { after: 0 })).entry as Entry[]).filter((e) => e.to === room).map((e) => e.text);

describe("a room's history for newcomers", () => {
  it('in a joined room a newcomer reads pages, catch-up and search from its join; in an all room, everything', async () => {
    server = await startTestServer({ loginDelayMs: 50 });
    const alice = await member('alice');
    expect(await ask(alice, MsgType.ROOM_CREATE, { room: '#den', history: 'joined' })).toMatchObject({ room: '#den', history: 'joined', role: 'owner' });
    await ask(alice, MsgType.ROOM_CREATE, { room: '#open' });
    await say(alice, 'alice', '#den', 'early tea one');
    await say(alice, 'alice', '#den', 'early tea two');
    await say(alice, 'alice', '#open', 'open tea early');

    let bob = await member('bob');
    const carol = await user(server.port, 'carol'); // a guest: its place is kept in memory only
    expect(await ask(bob, MsgType.ROOM_JOIN, { room: '#den' })).toMatchObject({ history: 'joined' });
    await ask(carol, MsgType.ROOM_JOIN, { room: '#den' });
    await ask(bob, MsgType.ROOM_JOIN, { room: '#open' });
    expect((await ask(bob, MsgType.ROOM_LIST)).entry).toEqual([
      { room: '#den', topic: '', private: false, history: 'joined', members: 3, joined: true, role: 'member' },
      { room: '#open', topic: '', private: false, members: 2, joined: true, role: 'member' },
    ]);
    await say(alice, 'alice', '#den', 'late tea one');
    await say(alice, 'alice', '#den', 'late tea two');

    for (const newcomer of [bob, carol]) {
      expect(texts(await page(newcomer, '#den'))).toEqual(['late tea one', 'late tea two']);
      expect(texts(await page(newcomer, '#den', { after: 0 }))).toEqual(['late tea one', 'late tea two']);
      // a page cut at its limit says MORE only while there is more it may read
      const newest = await page(newcomer, '#den', { limit: 1 });
      expect([texts(newest), newest.more]).toEqual([['late tea two'], true]);
      const older = await page(newcomer, '#den', { limit: 1, before: (newest.entry![0] as Entry).msgId });
      expect([texts(older), older.more]).toEqual([['late tea one'], undefined]);
    }
    expect(texts(await page(alice, '#den'))).toEqual(['early tea one', 'early tea two', 'late tea one', 'late tea two']);
    expect(texts(await page(bob, '#open'))).toEqual(['open tea early']);

    // search trails the history (§11): the owner's finds all four once they are indexed
    await expect.poll(async () => texts(await search(alice, 'tea', '#den')), { timeout: 10_000 }).toHaveLength(4);
    expect(texts(await search(bob, 'tea'))).toEqual(['late tea two', 'late tea one', 'open tea early']);
    expect(texts(await search(carol, 'tea', '#den'))).toEqual(['late tea two', 'late tea one']);

    // a catch-up is of what came before the connection went live: bob comes back on a new one
    bob.end();
    bob = await member('bob', false);
    expect(await caughtUp(bob, '#den')).toEqual(['late tea one', 'late tea two']);
    expect(await caughtUp(bob, '#open')).toEqual(['open tea early']);

    // one who leaves and comes back reads from the new join
    await ask(bob, MsgType.ROOM_PART, { room: '#den' });
    await say(alice, 'alice', '#den', 'while bob was away');
    await ask(bob, MsgType.ROOM_JOIN, { room: '#den' });
    await say(alice, 'alice', '#den', 'bob is back');
    expect(texts(await page(bob, '#den'))).toEqual(['bob is back']);

    // a deletion is told to those who may read the message: not of one from before the join
    const id = (text: string) => stamped(alice).find((m) => m.text === text)!.msgId;
    const deletedFor = (peer: FramedPeer) => peer.received.flatMap((m) => (m.type === MsgType.DELETED ? [m.fields.msgId] : []));
    await ask(alice, MsgType.DELETE, { msgId: id('while bob was away') });
    await ask(alice, MsgType.DELETE, { msgId: id('bob is back') });
    await bob.until(() => deletedFor(bob).length > 0, 'a DELETED');
    await alice.until(() => deletedFor(alice).length === 2, 'both DELETED');
    expect(deletedFor(bob)).toEqual([id('bob is back')]);
  });

  it('only owners and operators change it; members are told, and a change lets those then in the room read all', async () => {
    server = await startTestServer({ loginDelayMs: 50 });
    const alice = await member('alice');
    const bob = await member('bob');
    await ask(alice, MsgType.ROOM_CREATE, { room: '#den', history: 'joined' });
    await say(alice, 'alice', '#den', 'before bob');
    await ask(bob, MsgType.ROOM_JOIN, { room: '#den' });
    expect(texts(await page(bob, '#den'))).toEqual([]);

    expect(await refusal(ask(bob, MsgType.ROOM_SET, { room: '#den', history: 'all' }))).toBe(ErrorCode.ROOM_FORBIDDEN);
    expect(await refusal(ask(alice, MsgType.ROOM_SET, { room: '#den', history: 'some' }))).toBe(ErrorCode.ROOM_INVALID);
    expect(await refusal(ask(alice, MsgType.ROOM_CREATE, { room: '#odd', history: 'never' }))).toBe(ErrorCode.ROOM_INVALID);
    expect(texts(await page(bob, '#den'))).toEqual([]);

    const reply = await ask(alice, MsgType.ROOM_SET, { room: '#den', history: 'all' });
    expect(reply.history).toBeUndefined(); // `all` is the default, left out
    await bob.until(() => events(bob).some((e) => e.event === 'history'), 'the history event');
    expect(events(bob).at(-1)).toEqual({ room: '#den', event: 'history', history: 'all', by: 'alice' });
    expect(texts(await page(bob, '#den'))).toEqual(['before bob']);

    // back to joined: it applies to those who join from now on; bob keeps what he could read
    await ask(alice, MsgType.ROOM_ROLE, { room: '#den', name: 'bob', role: 'operator' });
    expect(await ask(bob, MsgType.ROOM_SET, { room: '#den', history: 'joined' })).toMatchObject({ history: 'joined' });
    await alice.until(() => events(alice).some((e) => e.event === 'history'), 'the history event');
    expect(events(alice).at(-1)).toEqual({ room: '#den', event: 'history', history: 'joined', by: 'bob' });
    expect(texts(await page(bob, '#den'))).toEqual(['before bob']);
    const dave = await member('dave');
    await ask(dave, MsgType.ROOM_JOIN, { room: '#den' });
    await say(bob, 'bob', '#den', 'hi dave');
    expect(texts(await page(dave, '#den'))).toEqual(['hi dave']);
  });

  it('a resumed guest reads a joined room from where it did before, with what was said while it was away', async () => {
    server = await startTestServer({ loginDelayMs: 50 });
    const alice = await member('alice');
    await ask(alice, MsgType.ROOM_CREATE, { room: '#den', history: 'joined' });
    await say(alice, 'alice', '#den', 'before gus');
    const gus = await user(server.port, 'gus');
    const token = (gus.received.find((m) => m.type === MsgType.SESSION) as { fields: { token: string } }).fields.token;
    await ask(gus, MsgType.ROOM_JOIN, { room: '#den' });
    await say(alice, 'alice', '#den', 'hello gus');
    gus.end();
    await alice.until(() => events(alice).some((e) => e.event === 'part' && e.name === 'gus'), 'gus gone');
    await say(alice, 'alice', '#den', 'while gus was away');

    const back = await FramedPeer.open(server.port);
    cleanups.push(() => back.end());
    await ask(back, MsgType.CAPS, { caps: CAPS });
    expect(await ask(back, MsgType.RESUME, { token })).toEqual({ name: 'gus' });
    expect(texts(await page(back, '#den'))).toEqual(['hello gus', 'while gus was away']);
  });

  it('the setting and each member’s start outlive a restart of the server on its data folder', async () => {
    const data = tempFolder();
    cleanups.push(data.remove);
    const port = await freePort();
    const run = async () => {
      const child = howdy(['server', '--port', String(port), '--no-http', '--log-format', 'json', '--log-level', 'warn', '--data', data.path]);
      cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
      for (let i = 0; i < 200 && child.exitCode === null; i++) {
        try {
          (await FramedPeer.open(port)).end();
          return child;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`the server did not start: ${child.output()}`);
    };
    const login = (name: string, create: boolean) => user(port, name, { password: `${name} password`, create });

    let child = await run();
    let alice = await login('alice', true);
    let bob = await login('bob', true);
    await ask(alice, MsgType.ROOM_CREATE, { room: '#den', history: 'joined' });
    await say(alice, 'alice', '#den', 'before bob');
    await ask(alice, MsgType.ROOM_INVITE, { room: '#den', name: 'bob' });
    await say(alice, 'alice', '#den', 'after bob');
    child.kill('SIGTERM');
    await exited(child);

    child = await run();
    alice = await login('alice', false);
    bob = await login('bob', false);
    expect((await ask(bob, MsgType.ROOM_LIST)).entry).toEqual([{ room: '#den', topic: '', private: false, history: 'joined', members: 2, joined: true, role: 'member' }]);
    expect(texts(await page(bob, '#den'))).toEqual(['after bob']);
    expect(await caughtUp(bob, '#den')).toEqual(['after bob']);
    expect(texts(await page(alice, '#den'))).toEqual(['before bob', 'after bob']);
  }, 60_000);
});


/**
 * History over real sockets (docs/protocol.md §11), as a client written from the document would use
 * it (raw frames), on a real SQLite store: stamped delivery with the sender's echo, pages, catch-up
 * exactly once while others keep talking, a guest's session resumed, search, deletion, and who may
 * read what. Classic peers and clients that did not ask see exactly what they saw before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields } from '../../src/protocol/index.js';
import type { ServerOptions } from '../../src/server/options.js';
import { ClassicPeer, FramedPeer, join, textsOf, type AnyPeer } from '../helpers/clients.js';
import type { HistoryStore, StoredMessage } from '../../src/server/core/ports.js';
import { openStore } from '../../src/server/store/sqlite.js';
import { ask, framedUser, refusal, type UserOptions } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const peers: AnyPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.end();
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ loginDelayMs: 50, ...options });
  return server;
}

const ALL_CAPS = ['accounts', 'rooms', 'history'];
/** A framed peer granted accounts, rooms and history (or `caps`), then named. */
async function user(name: string, options: UserOptions = {}): Promise<FramedPeer> {
  const peer = await framedUser(server!.port, name, { caps: ALL_CAPS, ...options });
  peers.push(peer);
  return peer;
}

type Stamped = { msgId: number; time: number; from: string; to: string; text: string };
const stamped = (peer: FramedPeer): Stamped[] => peer.received.flatMap((m) => (m.type === MsgType.STAMPED ? [m.fields as Stamped] : []));
const say = (peer: FramedPeer, from: string, to: string, text: string) => peer.send({ type: MsgType.MESSAGE, from, to, text });
const entries = (fields: ExtensionFields) => (fields.entry ?? []) as Stamped[];

describe('history', () => {
  it('a client granted history gets every message stamped, its own as an echo; others get what they got before', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const carol = await user('carol', { caps: ['accounts'] });
    const dave = await join(ClassicPeer.open(server!.port), 'dave');
    peers.push(dave);
    const before = Date.now();
    say(alice, 'alice', 'All', 'hello all');
    say(alice, 'alice', 'BOB', 'psst');
    await bob.until(() => stamped(bob).length === 2, 'two stamped messages');
    await alice.until(() => stamped(alice).length === 2, 'the echoes');
    const [lobby, whisper] = stamped(bob);
    expect(lobby).toMatchObject({ from: 'alice', to: 'All', text: 'hello all' });
    expect(whisper).toMatchObject({ from: 'alice', to: 'bob', text: 'psst' });
    expect(whisper!.msgId).toBeGreaterThan(lobby!.msgId);
    expect(lobby!.time).toBeGreaterThanOrEqual(before - 1000);
    expect(stamped(alice)).toEqual([lobby, whisper]); // the echo carries the same id and time
    for (const p of [carol, dave]) await p.until(() => textsOf(p).includes('hello all'), 'the lobby message');
    expect(textsOf(carol)).toEqual(['hello all']); // a MESSAGE, as before; no whisper of others
    expect(textsOf(dave)).toEqual(['hello all']);
    expect(bob.received.some((m) => m.type === MsgType.MESSAGE)).toBe(false);
  });

  it('pages a conversation back and forth; whispers and rooms only for those who may read them; bad requests get HISTORY_INVALID', async () => {
    await start();
    const alice = await user('alice', { password: 'correct horse' });
    const bob = await user('bob');
    const eve = await user('eve');
    for (let i = 1; i <= 7; i++) say(alice, 'alice', 'All', `lobby ${i}`);
    say(alice, 'alice', 'bob', 'for bob only');
    await ask(alice, MsgType.ROOM_CREATE, { room: '#club' });
    say(alice, 'alice', '#club', 'in the club');
    await bob.until(() => stamped(bob).length === 8, 'the messages');

    const newest = await ask(bob, MsgType.HISTORY, { conversation: 'All', limit: 3 });
    expect(entries(newest).map((e) => e.text)).toEqual(['lobby 5', 'lobby 6', 'lobby 7']);
    expect(newest.more).toBe(true);
    const older = await ask(bob, MsgType.HISTORY, { conversation: 'all', before: entries(newest)[0]!.msgId, limit: 10 });
    expect(entries(older).map((e) => e.text)).toEqual(['lobby 1', 'lobby 2', 'lobby 3', 'lobby 4']);
    expect(older.more).toBeUndefined();
    const after = await ask(bob, MsgType.HISTORY, { conversation: 'All', after: entries(older)[1]!.msgId, limit: 2 });
    expect(entries(after).map((e) => e.text)).toEqual(['lobby 3', 'lobby 4']);

    expect(entries(await ask(bob, MsgType.HISTORY, { conversation: 'alice' })).map((e) => e.text)).toEqual(['for bob only']);
    expect(entries(await ask(alice, MsgType.HISTORY, { conversation: 'BOB' })).map((e) => e.text)).toEqual(['for bob only']);
    expect(entries(await ask(eve, MsgType.HISTORY, { conversation: 'alice' }))).toEqual([]); // not eve's whispers
    expect(await refusal(ask(bob, MsgType.HISTORY, { conversation: '#club' }))).toBe(ErrorCode.NOT_IN_ROOM);
    expect(await refusal(ask(bob, MsgType.HISTORY, { conversation: 'nobody' }))).toBe(ErrorCode.NO_SUCH_USER);
    await ask(bob, MsgType.ROOM_JOIN, { room: '#club' });
    expect(entries(await ask(bob, MsgType.HISTORY, { conversation: '#club' })).map((e) => e.text)).toEqual(['in the club']); // said before bob joined

    const last = stamped(bob).at(-1)!.msgId;
    expect(await refusal(ask(bob, MsgType.HISTORY, { conversation: 'All', after: last + 100 }))).toBe(ErrorCode.HISTORY_INVALID);
    expect(await refusal(ask(bob, MsgType.HISTORY, { conversation: 'All', limit: 201 }))).toBe(ErrorCode.HISTORY_INVALID);
    expect(await refusal(ask(bob, MsgType.HISTORY, { conversation: 'All', before: 3, after: 1 }))).toBe(ErrorCode.HISTORY_INVALID);
    expect(await refusal(ask(bob, MsgType.HISTORY, {}))).toBe(ErrorCode.MALFORMED);
    expect(await refusal(ask(bob, MsgType.CATCH_UP, { limit: 5000 }))).toBe(ErrorCode.HISTORY_INVALID);
    // and the connection goes on
    say(alice, 'alice', 'All', 'still here');
    await bob.until(() => stamped(bob).some((m) => m.text === 'still here'), 'the next message');
  });

  it('a user who comes back catches up exactly once, in order, while others keep talking', async () => {
    await start({ messageRate: 0 });
    const talker = await user('talker');
    let alice = await user('alice', { password: 'correct horse' });
    await ask(alice, MsgType.ROOM_CREATE, { room: '#r' });
    await ask(talker, MsgType.ROOM_JOIN, { room: '#r' });
    let n = 0;
    const sent: string[] = [];
    const talk = () => {
      const to = n % 2 === 0 ? 'All' : '#r'; // whispers to one offline would be refused: see the guest's test
      const text = `m${n++}`;
      sent.push(text);
      say(talker, 'talker', to, text);
    };
    for (let i = 0; i < 30; i++) talk();
    await alice.until(() => stamped(alice).length === 30, 'the first messages');
    const seen = stamped(alice).map((m) => m.text);
    const cursor = stamped(alice).at(-1)!.msgId;
    alice.end();
    await talker.until(() => talker.received.some((m) => m.type === MsgType.PRESENCE && m.changes.some((c) => c.name === 'alice' && c.op === 0x02)), 'alice gone');
    for (let i = 0; i < 300; i++) talk(); // missed: the lobby's and the room's
    // alice comes back while the talker keeps going
    const talking = setInterval(() => {
      for (let i = 0; i < 10; i++) talk();
    }, 2);
    try {
      alice = await user('alice', { password: 'correct horse', create: false });
      const caughtUp: Stamped[] = [];
      let after = cursor;
      for (;;) {
        const page = await ask(alice, MsgType.CATCH_UP, { after, limit: 100 });
        caughtUp.push(...entries(page));
        if (!page.more) break;
        after = caughtUp.at(-1)!.msgId;
      }
      clearInterval(talking);
      await alice.until(() => stamped(alice).length > 0 && stamped(alice).at(-1)!.text === sent.at(-1), 'the live messages');
      const log = [...seen, ...caughtUp.map((m) => m.text), ...stamped(alice).map((m) => m.text)];
      expect(log).toEqual(sent); // every message once, in order: none lost between catch-up and live
      expect(caughtUp.length).toBeGreaterThanOrEqual(300);
    } finally {
      clearInterval(talking);
    }
  });

  it("a guest's session resumes with its token: same name, its whispers; nobody else who takes the name reads them", async () => {
    await start();
    const guest = await user('gus');
    const token = (guest.received.find((m) => m.type === MsgType.SESSION) as { fields: { token: string } }).fields.token;
    expect(token).toMatch(/^[\w-]{20,}$/);
    const bob = await user('bob', { password: 'battery staple' });
    await ask(bob, MsgType.ROOM_CREATE, { room: '#lounge' });
    await ask(guest, MsgType.ROOM_JOIN, { room: '#lounge' });
    say(bob, 'bob', 'gus', 'secret for gus');
    await guest.until(() => stamped(guest).length === 1, 'the whisper');
    const cursor = stamped(guest)[0]!.msgId;
    guest.end();
    await bob.until(() => bob.received.some((m) => m.type === MsgType.PRESENCE && m.changes.some((c) => c.name === 'gus' && c.op === 0x02)), 'gus gone');
    say(bob, 'bob', 'All', 'while gus was away');
    say(bob, 'bob', '#lounge', 'in the lounge meanwhile');

    // someone else takes the name meanwhile: a new session, none of gus's whispers
    const imposter = await user('gus');
    expect(entries(await ask(imposter, MsgType.HISTORY, { conversation: 'bob' }))).toEqual([]);
    imposter.end();
    await bob.until(() => bob.received.filter((m) => m.type === MsgType.PRESENCE && m.changes.some((c) => c.name === 'gus' && c.op === 0x02)).length === 2, 'the imposter gone');

    const back = await FramedPeer.open(server!.port);
    peers.push(back);
    await ask(back, MsgType.CAPS, { caps: ALL_CAPS });
    expect(await ask(back, MsgType.RESUME, { token })).toEqual({ name: 'gus' });
    expect(entries(await ask(back, MsgType.HISTORY, { conversation: 'bob' })).map((e) => e.text)).toEqual(['secret for gus']);
    // back in the room it was in, and what was said there meanwhile is in the catch-up
    expect((await ask(back, MsgType.ROOM_LIST)).entry).toMatchObject([{ room: '#lounge', joined: true }]);
    expect(entries(await ask(back, MsgType.CATCH_UP, { after: cursor })).map((e) => e.text)).toEqual(['while gus was away', 'in the lounge meanwhile']);

    const stranger = await FramedPeer.open(server!.port);
    peers.push(stranger);
    await ask(stranger, MsgType.CAPS, { caps: ALL_CAPS });
    expect(await refusal(ask(stranger, MsgType.RESUME, { token: 'not-a-token' }))).toBe(ErrorCode.RESUME_FAILED);
  });

  it('search finds words in what the user may read, newest first; deletion blanks a message for everyone', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const eve = await user('eve');
    say(alice, 'alice', 'All', 'green tea is lovely');
    say(alice, 'alice', 'bob', 'green tea at five, just us');
    say(bob, 'bob', 'All', 'coffee for me');
    say(alice, 'alice', 'All', 'more green TEA');
    await eve.until(() => stamped(eve).length === 3, 'the lobby messages');
    await bob.until(() => stamped(bob).length === 4, 'all four');
    const search = async (who: FramedPeer, query: string) => {
      let hits: Stamped[] = [];
      await who.until(() => false, 'the index', 300).catch(() => undefined); // the index is fed apart: give it a moment
      hits = entries(await ask(who, MsgType.SEARCH, { query }));
      return hits.map((h) => `${(h as Stamped & { conversation: string }).conversation}: ${h.text}`);
    };
    expect(await search(bob, 'green tea')).toEqual(['All: more green TEA', 'alice: green tea at five, just us', 'All: green tea is lovely']);
    expect(await search(eve, 'green tea')).toEqual(['All: more green TEA', 'All: green tea is lovely']);
    expect(await refusal(ask(eve, MsgType.SEARCH, { query: '   ' }))).toBe(ErrorCode.HISTORY_INVALID);

    const lovely = stamped(bob)[0]!;
    expect(await refusal(ask(bob, MsgType.DELETE, { msgId: lovely.msgId }))).toBe(ErrorCode.NOT_YOURS);
    expect(await refusal(ask(alice, MsgType.DELETE, { msgId: 999_999 }))).toBe(ErrorCode.NO_SUCH_MESSAGE);
    expect(await ask(alice, MsgType.DELETE, { msgId: lovely.msgId })).toEqual({});
    for (const p of [alice, bob, eve]) {
      await p.until(() => p.received.some((m) => m.type === MsgType.DELETED), 'the deletion');
      expect(p.received.find((m) => m.type === MsgType.DELETED)).toMatchObject({ fields: { msgId: lovely.msgId, conversation: 'All' } });
    }
    const page = entries(await ask(eve, MsgType.HISTORY, { conversation: 'All' }));
    expect(page[0]).toMatchObject({ msgId: lovely.msgId, text: '', deleted: true });
    expect(await search(eve, 'lovely')).toEqual([]);
  });

  it('no byte of a message is written to anyone before the message is stored', async () => {
    // a store whose appends wait until let go: the messages must wait with them (classic, framed, WebSocket alike)
    const store = await openStore({ data: ':memory:' });
    let letGo: () => void = () => {};
    let held = 0;
    const gated: HistoryStore = Object.assign(Object.create(store.history) as HistoryStore, {
      append(messages: readonly StoredMessage[]) {
        held += messages.length;
        return new Promise<void>((resolve) => (letGo = () => resolve(store.history.append(messages))));
      },
    });
    server = await startTestServer({ loginDelayMs: 50 }, { history: gated });
    const alice = await user('alice');
    const bob = await user('bob', { caps: [] });
    const carol = await join(ClassicPeer.open(server.port), 'carol');
    peers.push(carol);
    say(alice, 'alice', 'All', 'wait for the disk');
    await new Promise((r) => setTimeout(r, 200));
    expect(held).toBe(1);
    expect(textsOf(bob)).toEqual([]);
    expect(textsOf(carol)).toEqual([]);
    expect(stamped(alice)).toEqual([]);
    letGo();
    await bob.until(() => textsOf(bob).length === 1, 'the message, once stored');
    await carol.until(() => textsOf(carol).length === 1, 'the message, once stored');
    await alice.until(() => stamped(alice).length === 1, 'the echo');
    await store.close();
  });

  it('a history kept only in memory is a new epoch at each start: ids from 1 again, and clients are told', async () => {
    const epochOf = async () => {
      const peer = await FramedPeer.open(server!.port);
      peers.push(peer);
      return (await ask(peer, MsgType.CAPS, { caps: ['history'] })).epoch;
    };
    await start();
    const first = await epochOf();
    await server!.close();
    await start();
    const second = await epochOf();
    expect(first).toMatch(/^[0-9a-z]+$/);
    expect(second).toMatch(/^[0-9a-z]+$/);
    expect(second).not.toBe(first);
  });

  it('--no-history: no capability, no ids, the chat as before', async () => {
    await start({ history: false });
    const peer = await FramedPeer.open(server!.port);
    peers.push(peer);
    expect((await ask(peer, MsgType.CAPS, { caps: ALL_CAPS })).caps).toEqual(['accounts', 'rooms']);
  });
});

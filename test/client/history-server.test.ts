/**
 * The client library's history against a real server (docs/protocol.md §11): a session that loses
 * its connection, or its server, catches up while another keeps talking, and shows every message
 * once, in order; a guest resumes its session with its token; a page reloaded over the same storage;
 * pages, search and deletion.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import type { ChatStorage } from '../../src/client/session-storage.js';
import { ChatSession, type SessionEvents } from '../../src/client/session.js';
import { connect } from '../../src/client/tcp.js';
import { chatRig } from '../helpers/chat-rig.js';

const { serve, stop, folder, session: joined } = chatRig();

const listeners: ChatSession[] = [];
afterEach(() => listeners.splice(0).forEach((s) => s.close()));

/**
 * A guest session whose connection the test can cut (`drop`), reconnecting after `retryMs`; `log`
 * holds what others said, as it was shown.
 */
async function listener(port: number, name: string, { retryMs = 400, storage }: { retryMs?: number; storage?: ChatStorage } = {}) {
  let current: ChatClient | undefined;
  const s = new ChatSession(async () => (current = await connect('127.0.0.1', port)), { firstRetryMs: retryMs, rejoinWaitMs: 200, ...(storage && { storage }) });
  listeners.push(s);
  const log: string[] = [];
  s.on('message', (m) => m.own || log.push(m.text));
  s.start();
  const named = s.once('joined');
  s.join(name);
  await named;
  return Object.assign(s, { log, drop: () => current!.close() });
}

/**
 * `talker` says t0, t1 … every `everyMs`, to the lobby and to `room` in turn, until stopped; a
 * message it could not send (while reconnecting) is skipped. `sent` holds what the server took:
 * the echoes, in order.
 */
function talk(talker: ChatSession, room: string, everyMs = 60) {
  const sent: string[] = [];
  talker.on('message', (m) => m.own && sent.push(m.text));
  let n = 0;
  const timer = setInterval(() => {
    try {
      talker.send(`t${n}`, n % 2 === 0 ? 'All' : room);
      n++;
    } catch {
      // not joined just now: the next tick tries again
    }
  }, everyMs);
  return { sent, stop: () => clearInterval(timer) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function memoryStorage(): ChatStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

/**
 * A registered talker who owns #r and a guest listener, gus, in it (reconnecting after
 * `retryMs`); the talker talks, and gus has heard some of it.
 */
async function talkingToGus(port: number, retryMs?: number) {
  const talker = await joined(port, 'talker', 'talker secret');
  await talker.createRoom('#r');
  const gus = await listener(port, 'gus', { retryMs });
  await gus.joinRoom('#r');
  const caughtUp: Array<SessionEvents['caughtUp']> = [];
  gus.on('caughtUp', (e) => caughtUp.push(e));
  const talking = talk(talker, '#r');
  await expect.poll(() => gus.log.length).toBeGreaterThan(4);
  return { gus, caughtUp, talking };
}

/** Once gus is back: the talker goes on a while, then stops; gus has shown all it said once, in order, some of it caught up on. */
async function heardItAll({ gus, caughtUp, talking }: Awaited<ReturnType<typeof talkingToGus>>): Promise<void> {
  await expect.poll(() => caughtUp.length).toBe(1);
  await pause(500);
  talking.stop();
  await expect.poll(() => gus.log.at(-1)).toBe(talking.sent.at(-1));
  expect(gus.log).toEqual(talking.sent);
  expect(caughtUp[0]!.messages.length).toBeGreaterThan(0); // said while gus was away, in the lobby and in #r
  expect(gus.rooms.map((r) => r.name)).toEqual(['#r']);
}

describe('history through the client library', () => {
  it('a session whose connection drops catches up while another keeps talking: every message once, in order', async () => {
    const server = await serve();
    const chat = await talkingToGus(server.port);
    const back = chat.gus.once('joined');
    chat.gus.drop();
    expect(await back).toEqual({ name: 'gus', again: true });
    await heardItAll(chat);
  });

  it('a session whose server restarts on the same data catches up on what was said before it came back', async () => {
    const data = folder('howdy-history-');
    const first = await serve({ data, ephemeral: false });
    const chat = await talkingToGus(first.port, 1500); // back well after the talker
    const back = chat.gus.once('joined');
    await stop(first);
    await serve({ port: first.port, data, ephemeral: false });
    expect(await back).toEqual({ name: 'gus', again: true }); // its token died with the server: a plain proposal
    await heardItAll(chat);
  });

  it("a guest catches up on what its room heard between taking its name back and joining the room again", async () => {
    const server = await serve();
    const owner = await joined(server.port, 'owner', 'owner secret');
    await owner.createRoom('#r');
    const carol = await connect('127.0.0.1', server.port);
    await carol.requestCapabilities(['rooms']);
    await carol.register('carol');
    await carol.joinRoom('#r');
    const gus = await listener(server.port, 'gus');
    await gus.joinRoom('#r');
    // the moment gus has its name again, before it is in #r again: neither live nor in CATCH_UP (§11)
    void gus.once('joined').then(() => carol.send('#r', 'in the gap'));
    gus.drop();
    await expect.poll(() => gus.log).toEqual(['in the gap']);
    carol.close();
  });

  it('a guest whose connection drops resumes its session with its token, and still has its whispers', async () => {
    const server = await serve();
    const bob = await joined(server.port, 'bob', 'bob secret');
    const gus = await listener(server.port, 'gus');
    await expect.poll(() => bob.users).toContain('gus');
    bob.send('psst, gus', 'gus');
    await expect.poll(() => gus.log).toEqual(['psst, gus']);
    gus.send('hi bob', 'bob');
    await expect.poll(() => bob.got).toContain('gus → bob: hi bob');

    const back = gus.once('joined');
    gus.drop();
    expect(await back).toEqual({ name: 'gus', again: true });
    const whispers = await gus.history('bob');
    expect(whispers.messages.map((m) => [m.from, m.text, m.own])).toEqual([['bob', 'psst, gus', false], ['gus', 'hi bob', true]]);
    // someone else later called gus would read none of them
    gus.close();
    const other = await joined(server.port, 'gus');
    expect((await other.history('bob')).messages).toEqual([]);
  });

  it('a new session over the same storage (a page reloaded) resumes the guest and shows what was said meanwhile', async () => {
    const server = await serve();
    const storage = memoryStorage();
    const bob = await joined(server.port, 'bob', 'bob secret');
    const before = await listener(server.port, 'gus', { storage });
    await expect.poll(() => bob.users).toContain('gus');
    bob.send('before the reload');
    bob.send('whisper before the reload', 'gus');
    await expect.poll(() => before.log).toEqual(['before the reload', 'whisper before the reload']);
    before.close();
    await expect.poll(() => bob.users).not.toContain('gus');
    bob.send('during the reload');

    const after = await listener(server.port, 'gus', { storage });
    await expect.poll(() => after.log).toEqual(['during the reload']);
    expect((await after.history('bob')).messages.map((m) => m.text)).toEqual(['whisper before the reload']); // the same guest
  });

  it('pages back through a conversation, searches, and deletes: the others are told', async () => {
    const server = await serve();
    const alice = await joined(server.port, 'alice');
    const bob = await joined(server.port, 'bob');
    const said = ['green tea', 'black coffee', 'more green tea', 'water'];
    for (const text of said) alice.send(text);
    await expect.poll(() => bob.got.length).toBe(4);

    const newest = await bob.history('All', { limit: 2 });
    expect(newest.messages.map((m) => m.text)).toEqual(['more green tea', 'water']);
    expect(newest.more).toBe(true);
    const older = await bob.history('All', { before: newest.messages[0]!.id });
    expect([older.messages.map((m) => m.text), older.more]).toEqual([['green tea', 'black coffee'], false]);
    expect(older.messages[0]).toMatchObject({ from: 'alice', to: 'All', own: false, deleted: false, time: expect.any(Number) });

    await expect.poll(async () => (await bob.search('green tea')).map((h) => `${h.conversation}: ${h.text}`)).toEqual(['All: more green tea', 'All: green tea']);

    const deleted: Array<SessionEvents['deleted']> = [];
    bob.on('deleted', (e) => deleted.push(e));
    const mine: Array<SessionEvents['deleted']> = [];
    alice.on('deleted', (e) => mine.push(e));
    const coffee = older.messages[1]!;
    await alice.deleteMessage(coffee.id);
    await expect.poll(() => mine).toEqual([{ id: coffee.id, conversation: 'All' }]); // the server's DELETED, to the deleter too
    await expect.poll(() => deleted).toEqual([{ id: coffee.id, conversation: 'All' }]);
    await expect(bob.deleteMessage(newest.messages[1]!.id)).rejects.toMatchObject({ codeName: 'NOT_YOURS' });
    expect((await bob.history('All')).messages.map((m) => (m.deleted ? '(deleted)' : m.text))).toEqual(['green tea', '(deleted)', 'more green tea', 'water']);
  });
});

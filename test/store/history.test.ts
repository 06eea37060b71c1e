/**
 * The history store (schemas v5 and v10) on real SQLite files: appends in batches, pages both ways,
 * the full-text index fed apart and trailing, deletion, retention, ids never reused after a
 * restart, and the turn log that takes each turn's appends (its chunks put in place as they fill,
 * behind the live path, before any query, and after a kill).
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { StoreError, type StoredMessage } from '../../src/server/core/ports.js';
import { ftsQuery } from '../../src/server/store/history-reads.js';
import { HistoryWriter } from '../../src/server/store/history-writer.js';
import { migrate, MIGRATIONS } from '../../src/server/store/migrations.js';
import { DATABASE_FILE, openSqliteStore, openStore, TURN_LOG_FILE } from '../../src/server/store/sqlite.js';
import { storeFixtures } from '../helpers/store.js';

const { opened, folder, cleanups } = storeFixtures();

let clock = 1_000;
const message = (id: number, conversation: string, text: string, extra: Partial<StoredMessage> = {}): StoredMessage =>
  ({ id, conversation, at: (clock += 10), sender: 'a:alice', from: 'alice', to: conversation, text, deleted: false, ...extra });
const ids = (ms: StoredMessage[]) => ms.map((m) => m.id);

describe('the history store (SQLite, chunks, FTS5)', () => {
  it('keeps each batch whole, pages forward and back within a conversation, and never gives an id twice after a restart', async () => {
    const data = folder();
    let store = await opened(data);
    expect(await store.history.lastId()).toBe(0);
    const batch = Array.from({ length: 1200 }, (_, i) => message(i + 1, i % 3 === 0 ? '#tea' : 'All', `text ${i + 1}`));
    await store.history.append(batch); // more rows than one INSERT takes
    expect(await store.history.lastId()).toBe(1200);
    expect(ids(await store.history.after('#tea', 0, 3))).toEqual([1, 4, 7]);
    expect(ids(await store.history.after('#tea', 1195, 10))).toEqual([1198]);
    expect(ids(await store.history.before('All', 1200, 3))).toEqual([1199, 1197, 1196]);
    expect(await store.history.get(2)).toEqual(batch[1]);
    // the newest messages deleted by retention: their ids are still never given again
    expect(await store.history.prune({ keep: 1 })).toBe(1198);
    await store.close();
    store = await opened(data);
    expect(await store.history.lastId()).toBe(1200);
    expect(ids(await store.history.after('All', 0, 10))).toEqual([1200]);
  });

  it('search finds words in the conversations asked, newest first, once the index took them in; the index trails and catches up', async () => {
    const store = await opened(':memory:');
    await store.history.append([
      message(1, 'All', 'green tea is good'),
      message(2, '#tea', 'Green TEA again'),
      message(3, 'w:a:alice g:x', 'secret green tea'),
      message(4, 'All', 'coffee'),
    ]);
    const search = (text: string, conversations = ['All', '#tea'], before?: number) => store.history.search({ conversations, text, limit: 10, before }).then(ids);
    expect(await search('green')).toEqual([]); // not indexed yet: history has it, search trails
    expect(await store.history.unindexed()).toBe(4);
    // a step takes whole chunks (a conversation's messages moved together), the oldest first: #tea's and the whisper's
    expect(await store.history.index(2)).toBe(2);
    expect(await store.history.unindexed()).toBe(2);
    expect(await search('green tea')).toEqual([2]);
    expect(await store.history.index(100)).toBe(2);
    expect(await search('green tea')).toEqual([2, 1]);
    expect(await search('green', ['All', '#tea', 'w:a:alice g:x'])).toEqual([3, 2, 1]);
    expect(await search('green', ['All', '#tea'], 2)).toEqual([1]);
    expect(await search('tea AND NEAR( "* coffee')).toEqual([]); // operators are words here, never a malformed query
    expect(await search('coffee')).toEqual([4]);
    expect(await search('coffee', ['#tea'])).toEqual([]);
    expect(ftsQuery('  ')).toBeUndefined();
  });

  it('a deleted message keeps its place, loses its text, and leaves the index; retention by age removes rows and their index entries', async () => {
    const store = await opened(':memory:');
    await store.history.append([message(1, 'All', 'old news', { at: 100 }), message(2, 'All', 'fresh news', { at: 5_000_000 }), message(3, 'All', 'later news', { at: 5_000_001 })]);
    expect(await store.history.unindexed()).toBe(3); // a query puts in place what was appended before it
    expect(await store.history.index(10)).toBe(3);
    expect(await store.history.delete(2)).toBe(true);
    expect(await store.history.delete(99)).toBe(false);
    expect(await store.history.get(2)).toMatchObject({ id: 2, text: '', deleted: true });
    const search = (text: string) => store.history.search({ conversations: ['All'], text, limit: 10 }).then(ids);
    expect(await search('news')).toEqual([3, 1]);
    expect(await store.history.prune({ olderThan: 1000 })).toBe(1);
    expect(await search('news')).toEqual([3]);
    expect(ids(await store.history.after('All', 0, 10))).toEqual([2, 3]);
  });

  it('keeps a conversation in chunks of at most 256 messages, whatever ids they span: each message found by id, pages across chunks, retention trims a chunk', async () => {
    const store = await opened(':memory:');
    const raw = (store.history as unknown as { database: Database.Database }).database;
    // ids 4000..4999 cross a locator block's end (4095); the lobby has 3 in 4, a room the rest
    const batch = Array.from({ length: 1000 }, (_, i) => message(4000 + i, i % 4 === 3 ? '#tea' : 'All', `m ${4000 + i}`, { at: 4000 + i }));
    await store.history.append(batch);
    expect(await store.history.lastId()).toBe(4999);
    const chunks = raw.prepare('select conversation, first, id, count from chunks order by id').all() as Array<{ conversation: string; first: number; id: number; count: number }>;
    expect(chunks.every((c) => c.count <= 256)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(1000);
    expect(chunks.filter((c) => c.conversation === 'All').map((c) => c.count)).toEqual([256, 256, 238]); // cut at 256 only
    expect(chunks.find((c) => c.conversation === '#tea')).toMatchObject({ first: 4003, id: 4999, count: 250 });
    for (const m of [batch[0]!, batch[95]!, batch[96]!, batch[99]!, batch[500]!, batch[999]!]) expect(await store.history.get(m.id)).toEqual(m);
    expect(await store.history.get(3999)).toBeUndefined();
    const lobby = batch.filter((m) => m.conversation === 'All').map((m) => m.id);
    expect(ids(await store.history.before('All', 5000, 750))).toEqual(lobby.slice().reverse());
    expect(ids(await store.history.after('All', 4094, 5))).toEqual(lobby.filter((id) => id > 4094).slice(0, 5));
    expect(ids(await store.history.catchUp({ identity: 'a:x', conversations: ['All', '#tea'], after: 4090, before: 4100, limit: 100 }))).toEqual([4091, 4092, 4093, 4094, 4095, 4096, 4097, 4098, 4099]);
    // retention: by age, up to the middle of a chunk; then the newest 10 of each conversation
    expect(await store.history.prune({ olderThan: 4100 })).toBe(100);
    expect((await store.history.after('All', 0, 1))[0]!.id).toBe(4100);
    expect(await store.history.prune({ keep: 10 })).toBe(880);
    expect(ids(await store.history.after('#tea', 0, 100))).toEqual(batch.filter((m) => m.conversation === '#tea').slice(-10).map((m) => m.id));
    expect(ids(await store.history.before('All', 5000, 100))).toEqual(lobby.slice(-10).reverse());
  });

  it('keeps interleaved whispers in chunks of many messages, each found by its id alone (get, delete, search), after a restart too', async () => {
    const data = folder();
    let store = await opened(data);
    const raw = new Database(join(data, DATABASE_FILE), { readonly: true });
    cleanups.push(() => raw.close());
    // 50 pairs take turns: 10 000 whispers, ids 1..10 000, crossing two locator blocks' ends
    const pairs = Array.from({ length: 50 }, (_, i) => [`a:p${i}`, `a:q${i}`] as const);
    const said: StoredMessage[] = [];
    for (let id = 1; id <= 10_000; ) {
      const turn: StoredMessage[] = [];
      for (let i = 0; i < 100; i++, id++) {
        const [a, b] = pairs[id % 50]!;
        turn.push(message(id, `w:${a} ${b}`, `whisper ${id}`, { sender: a, recipient: b, from: a.slice(2), to: b.slice(2) }));
      }
      await store.history.append(turn);
      said.push(...turn);
    }
    const sample = [1, 2, 50, 4095, 4096, 4097, 8191, 8192, 9999, 10_000, ...Array.from({ length: 20 }, (_, i) => 1 + ((i * 7919) % 10_000))];
    for (const id of sample) expect(await store.history.get(id)).toEqual(said[id - 1]);
    // a chunk a conversation (200 each), not one a block of ids each
    expect(raw.prepare('select count(*) as n, min(count) as least from chunks').get()).toEqual({ n: 50, least: 200 });
    expect(await store.history.delete(5_000)).toBe(true);
    expect(await store.history.get(5_000)).toMatchObject({ id: 5_000, text: '', deleted: true });
    while ((await store.history.index(1_000)) > 0);
    const [a, b] = pairs[7]!;
    const found = await store.history.search({ conversations: [`w:${a} ${b}`], text: 'whisper', limit: 100 });
    expect(ids(found)).toEqual(said.filter((m) => m.conversation === `w:${a} ${b}`).map((m) => m.id).reverse().slice(0, 100));
    await store.close();
    store = await opened(data);
    for (const id of [3, 4096, 7_777, 10_000]) expect(await store.history.get(id)).toEqual(said[id - 1]);
    expect(await store.history.get(10_001)).toBeUndefined();
  });

  it('a database of schema v9 is brought to chunks: every message, whisper and deletion kept, the search index built anew', async () => {
    const data = folder();
    const file = join(data, DATABASE_FILE);
    const old = new Database(file);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: old }) });
    await migrate(db, file, MIGRATIONS.filter((m) => m.version <= 9));
    const insert = old.prepare('insert into messages (id, conversation, at, sender, recipient, sender_name, receiver, text, deleted) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const whisper = message(2, 'w:a:alice a:bob', 'secret tea', { recipient: 'a:bob', to: 'bob' });
    const kept = [message(1, 'All', 'green tea'), whisper, message(3, '#tea', 'more tea'), message(4, 'All', '', { deleted: true }), ...Array.from({ length: 300 }, (_, i) => message(5 + i, 'All', `tea ${i}`))];
    for (const m of kept) insert.run(m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, m.deleted ? 1 : 0);
    old.prepare("update counters set value = 304 where name = 'last_message_id'").run();
    await db.destroy();
    const store = await opened(data);
    expect(await store.history.lastId()).toBe(304);
    for (const m of [kept[0]!, whisper, kept[2]!, kept[3]!, kept[303]!]) expect(await store.history.get(m.id)).toEqual(m);
    expect(await store.history.whispersOf('a:bob')).toEqual(['w:a:alice a:bob']);
    expect(ids(await store.history.catchUp({ identity: 'a:bob', conversations: [], after: 0, before: 305, limit: 10 }))).toEqual([2]);
    expect(ids(await store.history.before('All', 305, 400))).toEqual(kept.filter((m) => m.conversation === 'All').map((m) => m.id).reverse());
    expect(await store.history.unindexed()).toBe(304);
    while ((await store.history.index(100)) > 0);
    expect(ids(await store.history.search({ conversations: ['All', '#tea', 'w:a:alice a:bob'], text: 'tea', limit: 3 }))).toEqual([304, 303, 302]);
    expect(ids(await store.history.search({ conversations: ['#tea', 'w:a:alice a:bob'], text: 'tea', limit: 10 }))).toEqual([3, 2]);
  });

  it('writes each turn as one line of the turn log; full chunks go in place once they hold 4096 messages, about that many at a time, the open ones by a step once the index took in the rest, or once they waited, which empties the log', async () => {
    const data = folder();
    await (await opened(data)).close();
    const store = await openSqliteStore(new Database(join(data, DATABASE_FILE)), 'test', { turnLog: join(data, TURN_LOG_FILE), openMs: 300 });
    cleanups.push(() => store.close());
    const raw = new Database(join(data, DATABASE_FILE), { readonly: true });
    cleanups.push(() => raw.close());
    const chunks = () => raw.prepare('select count(*) as chunks, coalesce(sum(count), 0) as messages, coalesce(max(count), 0) as most from chunks').get();
    const counter = (name: string) => (raw.prepare('select value from counters where name = ?').get(name) as { value: number }).value;
    const lines = () => readFileSync(join(data, TURN_LOG_FILE), 'utf8').split('\n').filter(Boolean);
    const lobby = (from: number, n: number) => Array.from({ length: n }, (_, i) => message(from + i, 'All', `lobby ${from + i}`));
    // a whisper, then 4000 lobby messages: 15 full chunks (3840), not yet enough to go in place
    const whisper = message(1, 'w:a:alice a:bob', 'psst', { recipient: 'a:bob', to: 'bob' });
    await store.history.append([whisper, ...lobby(2, 4000)]);
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0]!)).toHaveLength(4001);
    expect(chunks()).toEqual({ chunks: 0, messages: 0, most: 0 });
    // 500 more: 17 full chunks; 16 of them, 4096 messages, go in place (a turn puts in about PLACE_AT)
    await store.history.append(lobby(4002, 500));
    expect(chunks()).toEqual({ chunks: 16, messages: 4096, most: 256 });
    expect(counter('placed_through')).toBe(0); // the whisper waits in its open chunk
    // the index has nothing it may take: the step puts the open chunks in place, empties the log, and feeds the index
    expect(await store.history.index(100_000)).toBe(4501);
    expect(lines()).toEqual([]);
    expect(chunks()).toEqual({ chunks: 19, messages: 4501, most: 256 });
    expect([counter('placed_through'), counter('last_message_id'), counter('last_indexed_id')]).toEqual([4501, 4501, 4501]);
    expect(await store.history.whispersOf('a:bob')).toEqual(['w:a:alice a:bob']);
    // while the index has work, the open chunks wait, until they waited `openMs`
    await store.history.append([...lobby(4502, 4352), message(8854, '#tea', 'tea')]);
    // the lobby's 4352 filled 17 chunks: 16 go in place with the turn, the 17th with the next step
    expect(counter('placed_through')).toBe(8597);
    expect(await store.history.index(10)).toBe(256); // whole chunks, the oldest first
    const placed = counter('placed_through'); // up to the tea room's open chunk
    expect(placed).toBe(8853);
    expect(lines()).toHaveLength(1);
    await store.history.append(lobby(8855, 1));
    expect(await store.history.index(10)).toBe(256);
    expect([lines().length, counter('placed_through')]).toEqual([2, placed]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await store.history.index(10)).toBeGreaterThanOrEqual(10);
    expect([lines().length, counter('placed_through')]).toEqual([0, 8855]);
    // a query puts in place, first, everything appended before it
    await store.history.append(lobby(8856, 1));
    expect(ids(await store.history.before('All', 9000, 2))).toEqual([8856, 8855]);
    expect(lines()).toEqual([]);
  });

  it('open chunks that waited close and go in place a step\'s worth at a time: the turn log is cut, its earlier part dropped once all of it is in place, or taken in after a kill', async () => {
    const data = folder();
    await (await opened(data)).close();
    const file = join(data, DATABASE_FILE);
    const log = join(data, TURN_LOG_FILE);
    const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0);
    const raw = new Database(file, { readonly: true });
    cleanups.push(() => raw.close());
    const placed = () => (raw.prepare('select coalesce(sum(count), 0) as n from chunks').get() as { n: number }).n;
    const waited = () => new Promise((resolve) => setTimeout(resolve, 60));
    const killed = await openSqliteStore(new Database(file), 'test', { turnLog: log, openMs: 50 });
    // 100 conversations at one pace: 10 000 messages in open chunks of 100, two turns
    const say = (from: number, n: number) => Array.from({ length: n }, (_, i) => message(from + i, `#room${(from + i) % 100}`, `m ${from + i}`));
    await killed.history.append(say(1, 5_000));
    await killed.history.append(say(5_001, 5_000));
    expect([placed(), lines(log), lines(`${log}.1`)]).toEqual([0, 2, 0]);
    await waited();
    // they waited: a step closes them all, cuts the log, puts in place 41 chunks (4100 messages), the
    // oldest first, and as the index may take none yet (older ids wait), 41 more
    await killed.history.index(10);
    expect([placed(), lines(log), lines(`${log}.1`)]).toEqual([8_200, 0, 2]);
    await killed.history.append(say(10_001, 10));
    expect([lines(log), lines(`${log}.1`)]).toEqual([1, 2]);
    // the rest go in place: the earlier part is dropped; the new line waits with its open chunks
    await killed.history.index(10);
    expect([placed(), lines(log), lines(`${log}.1`)]).toEqual([10_000, 1, 0]);
    // again, and killed while the earlier part waits, a new line after it
    await killed.history.append(say(10_011, 10_000));
    await waited();
    await killed.history.index(10);
    expect([lines(log), lines(`${log}.1`)]).toEqual([0, 2]);
    expect(placed()).toBeGreaterThan(10_000);
    expect(placed()).toBeLessThan(20_010);
    await killed.history.append(say(20_011, 5));
    // never closed, as a kill -9 leaves it: a new store takes in both parts, each message once
    const store = await openSqliteStore(new Database(file), 'test', { turnLog: log });
    cleanups.push(() => store.close());
    for (let r = 0; r < 100; r++) {
      expect(ids(await store.history.after(`#room${r}`, 0, 1_000))).toEqual(Array.from({ length: 20_015 }, (_, i) => i + 1).filter((id) => id % 100 === r));
    }
    expect([placed(), lines(log), lines(`${log}.1`)]).toEqual([20_015, 0, 0]);
  });

  it('a turn log a killed server left is put in place at the next start: what its chunks held already is not taken twice', async () => {
    const data = folder();
    await (await opened(data)).close();
    const file = join(data, DATABASE_FILE);
    const killed = await openSqliteStore(new Database(file), 'test', { turnLog: join(data, TURN_LOG_FILE) });
    // a room's message first, then the lobby's: its full chunks (4350 messages) go in place with the turn; then more
    await killed.history.append([message(1, '#tea', 'first'), ...Array.from({ length: 4400 }, (_, i) => message(i + 2, 'All', `lobby ${i + 2}`))]);
    await killed.history.append([message(4402, 'All', 'the last')]);
    // never closed: as a kill -9 leaves it (the log holds both turns; the lobby's full chunks are in place)
    const store = await openSqliteStore(new Database(file), 'test', { turnLog: join(data, TURN_LOG_FILE) });
    cleanups.push(() => store.close());
    expect(await store.history.lastId()).toBe(4402);
    expect(ids(await store.history.after('All', 0, 5000))).toEqual(Array.from({ length: 4401 }, (_, i) => i + 2));
    expect(ids(await store.history.after('#tea', 0, 10))).toEqual([1]);
    expect(readFileSync(join(data, TURN_LOG_FILE), 'utf8')).toBe('');
  });

  it('a journal a server of schema v10 left is moved into chunks at start: nothing lost, ids never given twice', async () => {
    const data = folder();
    const file = join(data, DATABASE_FILE);
    const old = new Database(file);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: old }) });
    await migrate(db, file, MIGRATIONS.filter((m) => m.version <= 10));
    const row = (m: StoredMessage) => [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, 0];
    const whisper = message(3, 'w:a:alice a:bob', 'psst', { recipient: 'a:bob', to: 'bob' });
    const turns = [[message(1, 'All', 'before the stop'), message(2, '#tea', 'also before')], [whisper, message(4, 'All', 'the last turn')]];
    for (const t of turns) old.prepare('insert into journal (first, last, body) values (?, ?, ?)').run(t[0]!.id, t.at(-1)!.id, JSON.stringify(t.map(row)));
    await db.destroy();
    const store = await opened(data);
    expect(await store.history.lastId()).toBe(4);
    expect((await store.history.after('All', 0, 10)).map((m) => m.text)).toEqual(['before the stop', 'the last turn']);
    expect(await store.history.get(3)).toEqual(whisper);
    expect(await store.history.whispersOf('a:bob')).toEqual(['w:a:alice a:bob']);
  });

  it('the server keeps each turn in its turn log, one line, until its chunks are in place; a log a killed server left is taken in at start, once, a torn last line left out', async () => {
    const data = folder();
    let store = await openStore({ data, owner: true });
    const log = join(data, TURN_LOG_FILE);
    const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    await store.history.append([message(1, 'All', 'one'), message(2, '#tea', 'two')]);
    await store.history.append([message(3, 'All', 'three')]);
    expect(lines()).toHaveLength(2);
    expect(await store.history.lastId()).toBe(3); // a query puts all in place: the log holds nothing more
    expect(lines()).toEqual([]);
    await store.history.append([message(4, 'All', 'four')]);
    await store.close(); // a clean stop puts in place what waits
    expect(lines()).toEqual([]);
    // as a killed server leaves it: a turn already known, two that are not, one cut short
    const turn = (...ms: StoredMessage[]) => JSON.stringify(ms.map((m) => [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, 0]));
    writeFileSync(log, `${turn(message(4, 'All', 'four'))}\n${turn(message(5, 'All', 'five'), message(6, 'All', 'six'))}\n${turn(message(7, 'All', 'seven'))}\n[[8,"All",1,"a:alice",nu`);
    store = await openStore({ data, owner: true });
    cleanups.push(() => store.close());
    expect(lines()).toEqual([]);
    expect(await store.history.lastId()).toBe(7);
    expect((await store.history.after('All', 0, 10)).map((m) => m.text)).toEqual(['one', 'three', 'four', 'five', 'six', 'seven']);
  });

  it('the server\'s store (on more than one core) puts chunks in place and feeds the search index on a thread of its own: while another process holds the write lock, the chat goes on and the step fails with the reason; then all goes in place', async () => {
    const data = folder();
    await (await opened(data)).close();
    const store = await openSqliteStore(new Database(join(data, DATABASE_FILE)), 'test', { turnLog: join(data, TURN_LOG_FILE), writerThread: true });
    cleanups.push(() => store.close());
    const locker = new Database(join(data, DATABASE_FILE));
    cleanups.push(() => locker.close());
    const lobby = (from: number, n: number) => Array.from({ length: n }, (_, i) => message(from + i, i % 2 ? 'All' : '#tea', `lobby tea ${from + i}`));
    await store.history.append(lobby(1, 10_000)); // full chunks: past 4096, on their way to the thread
    locker.exec('begin immediate');
    await store.history.append(lobby(10_001, 600));
    // the writer waits for the lock (2 s) on its thread: this thread's timers go on meanwhile
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    const step = store.history.index(1_000).then(() => order.push('step done'), (err: StoreError) => void order.push(`step failed: ${err.code}`));
    await Promise.all([timer, step]);
    expect(order).toEqual(['timer', 'step failed: LOCKED']);
    locker.exec('commit');
    // a query waits for the thread, then puts in place what is left: nothing lost, nothing twice
    const all = [...(await store.history.after('#tea', 0, 10_000)), ...(await store.history.after('All', 0, 10_000))];
    expect(ids(all).sort((a, b) => a - b)).toEqual(Array.from({ length: 10_600 }, (_, i) => i + 1));
    expect(await store.history.get(10_600)).toMatchObject({ text: 'lobby tea 10600', conversation: 'All' });
    while ((await store.history.index(5_000)) > 0);
    expect(await store.history.unindexed()).toBe(0);
    expect(ids(await store.history.search({ conversations: ['#tea'], text: 'tea 10599', limit: 5 }))).toEqual([10_599]);
  });

  it('a writer thread that cannot start (a database in memory has no file for it) is let go: the writes stay on the store\'s own thread, and nothing is lost', async () => {
    const store = await openSqliteStore(new Database(':memory:'), 'test', { writerThread: true });
    cleanups.push(() => store.close());
    const lobby = (from: number, n: number) => Array.from({ length: n }, (_, i) => message(from + i, 'All', `kept ${from + i}`));
    await store.history.append(lobby(1, 5_000)); // full chunks: the thread is asked for, and fails to start
    let taken = 0;
    for (let step; (step = await store.history.index(1_000)) > 0;) taken += step; // no step fails
    await store.history.append(lobby(5_001, 5_000));
    for (let step; (step = await store.history.index(1_000)) > 0;) taken += step;
    expect(taken).toBe(10_000);
    expect(ids(await store.history.after('All', 0, 10_000))).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(ids(await store.history.search({ conversations: ['All'], text: 'kept 9999', limit: 5 }))).toEqual([9_999]);
  });

  it('chunks put in place twice (a job whose thread stopped before it answered) are kept once', async () => {
    const data = folder();
    await (await opened(data)).close();
    const database = new Database(join(data, DATABASE_FILE));
    cleanups.push(() => database.close());
    const writer = new HistoryWriter(database);
    const body = new TextEncoder().encode(JSON.stringify([[1, 'All', 1, 'a:alice', null, 'alice', '*', 'once', 0], [2, 'All', 2, 'a:alice', null, 'alice', '*', 'twice', 0]]));
    const placement = () => ({ chunks: [{ id: 2, conversation: 'All', first: 1, count: 2, since: 1, at: 2, body }], whispers: new Map(), noted: { ids: [1, 2], conversations: ['All', 'All'] }, placedThrough: 2 });
    writer.place(placement());
    writer.place(placement());
    const store = await opened(data);
    expect((await store.history.after('All', 0, 10)).map((m) => m.text)).toEqual(['once', 'twice']);
    expect(await store.history.get(2)).toMatchObject({ text: 'twice' });
  });

  it('a turn log that cannot be written (a full disk) refuses the append with the reason; the history goes on', async () => {
    const database = new Database(':memory:');
    const store = await openSqliteStore(database, 'test.db', { turnLog: '/dev/full' }); // every write: ENOSPC
    cleanups.push(() => store.close());
    const refused = await store.history.append([message(1, 'All', 'lost to the full disk')]).then(() => undefined, (e: StoreError) => e);
    expect(refused).toBeInstanceOf(StoreError);
    expect(refused).toMatchObject({ code: 'DISK_FULL', message: '/dev/full: the disk is full' });
    expect(await store.history.after('All', 0, 10)).toEqual([]); // nothing kept that was refused
  });

  it('while the database refuses chunks they wait, in the turn log, and go in place once it takes them; past the bound, appends are refused with the reason', async () => {
    const data = folder();
    await (await opened(data)).close();
    const database = new Database(join(data, DATABASE_FILE));
    const store = await openSqliteStore(database, 'test', { turnLog: join(data, TURN_LOG_FILE), waitingMost: 300 });
    cleanups.push(() => store.close());
    database.exec("create trigger refuse before insert on chunks begin select raise(abort, 'the disk said no'); end");
    const lobby = (from: number, n: number) => Array.from({ length: n }, (_, i) => message(from + i, 'All', `m ${from + i}`));
    await store.history.append(lobby(1, 290)); // a full chunk: refused, held
    await expect(store.history.index(10)).rejects.toMatchObject({ message: expect.stringContaining('the disk said no') });
    await store.history.append(lobby(291, 20));
    // 310 wait, over the bound: refused with the reason, not written to the log
    await expect(store.history.append(lobby(311, 1))).rejects.toMatchObject({ message: expect.stringContaining('the disk said no') });
    expect(readFileSync(join(data, TURN_LOG_FILE), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    database.exec('drop trigger refuse');
    expect(ids(await store.history.after('All', 0, 400))).toEqual(Array.from({ length: 310 }, (_, i) => i + 1));
    await store.history.append(lobby(311, 1));
    expect(await store.history.lastId()).toBe(311);
  });
});

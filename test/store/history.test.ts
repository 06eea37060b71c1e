/**
 * The history store (schema v4) on real SQLite files: appends in batches, pages both ways, the
 * full-text index fed apart and trailing, deletion, retention, and ids never reused after a restart.
 */
import { describe, expect, it } from 'vitest';
import type { Store, StoredMessage } from '../../src/server/core/ports.js';
import { ftsQuery } from '../../src/server/store/history.js';
import { storeFixtures } from '../helpers/store.js';

const { opened, folder } = storeFixtures();

let clock = 1_000;
const message = (id: number, conversation: string, text: string, extra: Partial<StoredMessage> = {}): StoredMessage =>
  ({ id, conversation, at: (clock += 10), sender: 'a:alice', from: 'alice', to: conversation, text, deleted: false, ...extra });
const ids = (ms: StoredMessage[]) => ms.map((m) => m.id);

describe('the history store (SQLite through Kysely, FTS5)', () => {
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
    expect(await store.history.index(3)).toBe(3);
    expect(await store.history.unindexed()).toBe(1);
    expect(await search('green tea')).toEqual([2, 1]);
    expect(await search('green', ['All', '#tea', 'w:a:alice g:x'])).toEqual([3, 2, 1]);
    expect(await search('green', ['All', '#tea'], 2)).toEqual([1]);
    expect(await search('tea AND NEAR( "* coffee')).toEqual([]); // operators are words here, never a malformed query
    expect(await store.history.index(100)).toBe(1);
    expect(await search('coffee')).toEqual([4]);
    expect(ftsQuery('  ')).toBeUndefined();
  });

  it('a deleted message keeps its place, loses its text, and leaves the index; retention by age removes rows and their index entries', async () => {
    const store = await opened(':memory:');
    await store.history.append([message(1, 'All', 'old news', { at: 100 }), message(2, 'All', 'fresh news', { at: 5_000_000 }), message(3, 'All', 'later news', { at: 5_000_001 })]);
    await store.history.index(10);
    expect(await store.history.delete(2)).toBe(true);
    expect(await store.history.delete(99)).toBe(false);
    expect(await store.history.get(2)).toMatchObject({ id: 2, text: '', deleted: true });
    const search = (text: string) => store.history.search({ conversations: ['All'], text, limit: 10 }).then(ids);
    expect(await search('news')).toEqual([3, 1]);
    expect(await store.history.prune({ olderThan: 1000 })).toBe(1);
    expect(await search('news')).toEqual([3]);
    expect(ids(await store.history.after('All', 0, 10))).toEqual([2, 3]);
  });
});

/** What of history the client library does without a connection (docs/protocol.md §11): entries, pages, the cursor, the merge of a catch-up with live messages, what a session keeps. */
import { describe, expect, it } from 'vitest';
import { mergeCatchUp, pageOf, pagesAfter, SeenMessages, stampedOf, type HistoryPage, type StampedMessage } from '../../src/client/history.js';
import { LastingState, type ChatStorage } from '../../src/client/session-storage.js';

const message = (id: number, text = `m${id}`, extra: Partial<StampedMessage> = {}): StampedMessage =>
  ({ id, time: 1_000 * id, from: 'bob', to: 'All', text, own: false, deleted: false, ...extra });
const texts = (messages: readonly StampedMessage[]) => messages.map((m) => m.text);

/** A ChatStorage in memory, as sessionStorage behaves. */
function memoryStorage(): ChatStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

describe('message entries and pages', () => {
  it('reads a STAMPED frame or an entry; the user\'s own by name in any case; a deleted one with its flag', () => {
    expect(stampedOf({ msgId: 42, time: 1795838520384, from: 'Alice', to: 'All', text: 'hi' }, 'alice'))
      .toEqual({ id: 42, time: 1795838520384, from: 'Alice', to: 'All', text: 'hi', own: true, deleted: false });
    expect(stampedOf({ msgId: 7, time: 1, from: 'bob', to: 'alice', text: '', deleted: true }, 'alice')).toMatchObject({ own: false, deleted: true, text: '' });
    expect(stampedOf({ msgId: 7, from: 'bob', to: 'All', text: 'x' }, undefined)).toMatchObject({ own: false, time: 0 });
    expect(stampedOf({ from: 'bob', to: 'All', text: 'no id' }, 'alice')).toBeUndefined();
  });

  it('reads a REPLY as a page, and follows MORE from the last message until there is none', async () => {
    expect(pageOf({ entry: [{ msgId: 1, time: 5, from: 'bob', to: 'All', text: 'a' }], more: true }, 'alice'))
      .toEqual({ messages: [message(1, 'a', { time: 5 })], more: true });
    expect(pageOf({}, 'alice')).toEqual({ messages: [], more: false });

    const asked: number[] = [];
    const pages: Record<number, HistoryPage> = {
      10: { messages: [message(11), message(12)], more: true },
      12: { messages: [message(15)], more: true },
      15: { messages: [], more: true }, // nothing to go on from: stop rather than ask again for ever
    };
    const all = await pagesAfter(10, async (after) => (asked.push(after), pages[after]!));
    expect(asked).toEqual([10, 12, 15]);
    expect(texts(all)).toEqual(['m11', 'm12', 'm15']);
  });
});

describe('the messages seen: cursor and duplicates', () => {
  it('keeps the highest id as the cursor, even when messages come out of id order', () => {
    const seen = new SeenMessages();
    expect(seen.cursor).toBeUndefined();
    expect(seen.see(5)).toBe(true);
    expect(seen.see(3)).toBe(true); // another conversation's, relayed first, arrived later
    expect(seen.cursor).toBe(5);
    expect(seen.see(5)).toBe(false);
    expect(new SeenMessages(40).cursor).toBe(40);
  });

  it('drops what was seen, in the order given; remembers a bounded number of ids', () => {
    const seen = new SeenMessages();
    expect(texts(seen.fresh([message(1), message(2), message(1), message(3)]))).toEqual(['m1', 'm2', 'm3']);
    expect(texts(seen.fresh([message(3), message(4)]))).toEqual(['m4']);
    for (let id = 100; id < 10_100; id++) seen.see(id);
    expect(seen.see(1)).toBe(true); // forgotten: 10 000 ids later
    expect(seen.see(10_099)).toBe(false);
    seen.forget(); // a server whose history was reset gives the same ids again
    expect([seen.cursor, seen.see(10_099)]).toEqual([undefined, true]);
  });
});

describe('a catch-up merged with the live messages that came meanwhile (§11)', () => {
  it('shows every message once, in id order: the missed first, then the live; counts the missed', () => {
    const seen = new SeenMessages(10);
    seen.see(10);
    const missed = [message(11), message(12), message(13)];
    const live = [message(15), message(14), message(16)]; // a room's and the lobby's, crossed on the way
    const { show, caughtUp } = mergeCatchUp(missed, live, seen);
    expect(texts(show)).toEqual(['m11', 'm12', 'm13', 'm14', 'm15', 'm16']);
    expect(texts(caughtUp)).toEqual(['m11', 'm12', 'm13']);
    expect(seen.cursor).toBe(16);
  });

  it('drops duplicates: a page that overlaps the live ones, a message seen before the drop, twice the same', () => {
    const seen = new SeenMessages();
    seen.see(9);
    const { show, caughtUp } = mergeCatchUp([message(9), message(10), message(12), message(10)], [message(12), message(13), message(13)], seen);
    expect(texts(show)).toEqual(['m10', 'm12', 'm13']);
    expect(texts(caughtUp)).toEqual(['m10']); // 12 came live too
  });

  it('never shows a deleted message, but moves the cursor past it', () => {
    const seen = new SeenMessages(1);
    const { show } = mergeCatchUp([message(2), message(3, '', { deleted: true })], [], seen);
    expect(texts(show)).toEqual(['m2']);
    expect(seen.cursor).toBe(3);
  });

  it('with nothing missed and nothing live, shows nothing', () => {
    expect(mergeCatchUp([], [], new SeenMessages(3))).toEqual({ show: [], caughtUp: [] });
  });
});

describe('what a session keeps beyond itself', () => {
  it('writes the cursor and a guest\'s token to the storage given, and reads them back in a new session', () => {
    const storage = memoryStorage();
    const first = new LastingState(storage);
    expect([first.cursor, first.guest]).toEqual([undefined, undefined]);
    first.cursor = 42;
    first.guest = { name: 'gus', token: 'secret-token' };
    const again = new LastingState(storage);
    expect(again.cursor).toBe(42);
    expect(again.guest).toEqual({ name: 'gus', token: 'secret-token' });
    again.guest = undefined;
    expect(storage.items.has('howdy.guest')).toBe(false);
    again.cursor = 0; // a server with no message yet: catch up from the first
    expect(new LastingState(storage).cursor).toBe(0);
  });

  it("drops the cursor and the token when the server's history is another epoch (it started anew, §11), not before", () => {
    const storage = memoryStorage();
    const kept = new LastingState(storage);
    expect(kept.belongTo('e1')).toBe(false); // the first server met: nothing to drop
    kept.cursor = 42;
    kept.guest = { name: 'gus', token: 't' };
    const again = new LastingState(storage);
    expect(again.belongTo('e1')).toBe(false);
    expect([again.cursor, again.guest?.token]).toEqual([42, 't']);
    expect(again.belongTo('e2')).toBe(true);
    expect([again.cursor, again.guest]).toEqual([undefined, undefined]);
    expect(new LastingState(storage).belongTo('e2')).toBe(false);
  });

  it('ignores values it did not write, and keeps going in memory when the storage fails', () => {
    const storage = memoryStorage();
    storage.setItem('howdy.cursor', 'soon');
    storage.setItem('howdy.guest', '{"name": 3}');
    expect(new LastingState(storage)).toMatchObject({ cursor: undefined, guest: undefined });
    storage.setItem('howdy.guest', 'not json');
    expect(new LastingState(storage).guest).toBeUndefined();

    const full: ChatStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const kept = new LastingState(full);
    kept.cursor = 7;
    expect(kept.cursor).toBe(7);
    expect(new LastingState().cursor).toBeUndefined(); // no storage: memory only
  });
});

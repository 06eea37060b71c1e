/** What the terminal client makes of history (docs/protocol.md §11), without a terminal: entries of stamped messages, deletions, the catch-up's lines, /search's answer. */
import { describe, expect, it } from 'vitest';
import type { SearchHit, StampedMessage } from '../../src/client/history.js';
import { searchText } from '../../src/tui/history-commands.js';
import { clockOf, messageEntry } from '../../src/tui/message-line.js';
import { caughtUpLines } from '../../src/tui/scrollback.js';
import { Windows } from '../../src/tui/windows.js';

const at = (hours: number, minutes: number, day = 25) => new Date(2026, 10, day, hours, minutes).getTime();
const stamped = (id: number, extra: Partial<StampedMessage> = {}): StampedMessage =>
  ({ id, time: at(14, 2), from: 'bob', to: 'All', text: `m${id}`, own: false, deleted: false, ...extra });

describe('entries of stamped messages', () => {
  it('show the server\'s time, refer to their id and conversation, and show a deleted one as such', () => {
    expect(messageEntry(stamped(7), 'alice')).toEqual({ kind: 'message', from: 'bob', text: 'm7', time: '14:02', message: { id: 7, conversation: 'All', from: 'bob', own: false } });
    expect(messageEntry(stamped(8, { from: 'alice', to: 'bob', own: true }), 'alice'))
      .toMatchObject({ kind: 'own', from: 'You → bob', message: { id: 8, conversation: 'bob', own: true } });
    expect(messageEntry(stamped(9, { text: '', deleted: true }), 'alice')).toMatchObject({ text: '(deleted)', deleted: true });
    // a message without an id (a classic server): now, and nothing to refer to
    expect(messageEntry({ from: 'bob', to: 'All', text: 'hi', own: false }, 'alice')).toEqual({ kind: 'message', from: 'bob', text: 'hi', time: expect.stringMatching(/^\d\d:\d\d$/) });
    expect(clockOf(at(9, 5))).toBe('09:05');
  });

  it('are found by id in every window to be deleted; the oldest and the user\'s last are those of the window\'s conversation', () => {
    const w = new Windows();
    const bob = w.open('bob');
    w.add(w.lobby, messageEntry(stamped(10, { from: 'alice', own: true }), 'alice'));
    const whisper = messageEntry(stamped(5, { from: 'alice', to: 'bob', own: true }), 'alice');
    w.add(bob, whisper);
    w.add(w.lobby, whisper); // a whisper is shown where the user is too
    w.add(w.lobby, messageEntry(stamped(12), 'alice'));
    expect(w.oldestMessage(w.lobby)).toBe(10);
    expect(w.oldestMessage(w.open('#tea'))).toBeUndefined();
    expect(w.lastOwnMessage(w.lobby)).toEqual({ id: 10, conversation: 'All', from: 'alice', own: true });
    expect(w.markDeleted(5)).toBe(true);
    expect([bob.entries[0]!.text, w.lobby.entries[1]!.text]).toEqual(['(deleted)', '(deleted)']);
    expect(w.lastOwnMessage(bob)).toBeUndefined();
    expect(w.markDeleted(99)).toBe(false);
    w.prepend(w.lobby, [messageEntry(stamped(3), 'alice')]);
    expect(w.oldestMessage(w.lobby)).toBe(3);
  });
});

describe('the lines closing a catch-up', () => {
  it('count in each window what it got; the window shown says how many came elsewhere, or that nothing was missed', () => {
    const w = new Windows();
    const windowOf = (m: StampedMessage) => w.open(m.to === 'All' ? 'All' : m.to);
    const missed = [stamped(1), stamped(2, { to: '#tea' }), stamped(3)];
    expect(caughtUpLines(missed, windowOf, w.lobby).map((l) => [l.window.conversation, l.text])).toEqual([
      ['All', '— caught up: 2 messages —'], ['#tea', '— caught up: 1 message —'],
    ]);
    const bob = w.open('bob');
    expect(caughtUpLines(missed.slice(1, 2), windowOf, bob).map((l) => [l.window.conversation, l.text])).toEqual([
      ['#tea', '— caught up: 1 message —'], ['bob', '— caught up: 1 message in other windows —'],
    ]);
    expect(caughtUpLines([], windowOf, bob)).toEqual([{ window: bob, text: '— caught up: nothing missed —' }]);
  });
});

describe('/search', () => {
  const hit = (id: number, extra: Partial<SearchHit>): SearchHit => ({ ...stamped(id), conversation: 'All', ...extra });
  it('lists the hits, newest first as found: conversation, time (with the day when not today), who, the text on one line', () => {
    const now = at(18, 0);
    expect(searchText('green tea', [
      hit(9, { text: 'more green\ntea', time: at(17, 45) }),
      hit(4, { conversation: 'bob', from: 'alice', to: 'bob', own: true, text: 'green tea at five', time: at(9, 15, 24) }),
      hit(2, { conversation: '#tea', text: '/me brews green tea', time: at(8, 0) }),
    ], now)).toBe([
      'Search "green tea": 3 messages, newest first',
      '  [All] 17:45 bob: more green tea',
      '  [bob] 2026-11-24 09:15 You: green tea at five',
      '  [#tea] 08:00 * bob brews green tea',
    ].join('\n'));
    expect(searchText('nothing', [], now)).toBe('No message you may read holds every word of "nothing".');
  });
});

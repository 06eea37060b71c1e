/**
 * A conversation's log in the web client (docs/protocol.md §11): messages in the order of their
 * ids, each once however it came (live, caught up on, in a page), pages above and below, a window
 * opened at a search hit and what comes live meanwhile, deletion, and the "New messages" divider.
 */
import { describe, expect, it } from 'vitest';
import { ConversationLog } from '../../src/web/conversation-log.js';
import { lineEntry, messageEntry, type Entry, type MessageEntry } from '../../src/web/entries.js';

/** Bob's message of that id to the lobby, as the server stamped it. */
const said = (id: number, text = `m${id}`): MessageEntry =>
  messageEntry({ id, time: id * 1000, from: 'bob', to: 'All', text, own: false, deleted: false }, 'ann');
const texts = (log: ConversationLog) => log.entries.map((e: Entry) => e.text);

describe('a conversation\'s log', () => {
  it('keeps messages in the order of their ids, each once, and the page\'s own lines where they were told', () => {
    const log = new ConversationLog();
    log.add(lineEntry('notice', 'You joined.'));
    expect(log.add(said(5))).toBe(true);
    expect(log.add(said(3))).toBe(true); // a catch-up's message, older than one that came live
    expect(log.add(said(5))).toBe(false);
    log.add(said(9));
    expect(texts(log)).toEqual(['You joined.', 'm3', 'm5', 'm9']);
    expect([log.oldestId, log.newestId]).toEqual([3, 9]);
  });

  it('takes older pages above, without what it has, and knows the beginning', () => {
    const log = new ConversationLog();
    log.add(lineEntry('notice', 'You joined.'));
    log.prepend([said(7), said(8)], true); // the newest page of a log with no message: above its lines
    expect(log.older).toEqual({ kind: 'more' });
    log.add(said(10));
    log.prepend([said(4), said(6), said(7)], false);
    expect(texts(log)).toEqual(['m4', 'm6', 'm7', 'm8', 'You joined.', 'm10']);
    expect(log.older).toEqual({ kind: 'end' });
  });

  it('opened at a search hit, holds what comes live until its newer pages reach the present', () => {
    const log = new ConversationLog();
    log.add(said(90));
    const generation = log.generation;
    log.replace([said(19), said(20), said(21)], { olderMore: true, newerMore: true });
    expect(log.generation).not.toBe(generation); // pages asked for the log before belong to none
    log.add(said(95)); // live, far beyond the window
    expect(texts(log)).toEqual(['m19', 'm20', 'm21']);
    log.append([said(22), said(90)], true);
    expect(texts(log)).toEqual(['m19', 'm20', 'm21', 'm22', 'm90']);
    log.append([said(91)], false);
    expect(texts(log)).toEqual(['m19', 'm20', 'm21', 'm22', 'm90', 'm91', 'm95']);
    expect(log.newer).toEqual({ kind: 'end' });
  });

  it('shows a deleted message as deleted, and forgets the ids of a history that was reset', () => {
    const log = new ConversationLog();
    log.forgetIds(); // nothing to forget: the log still loads its history
    expect(log.older).toEqual({ kind: 'more' });
    log.add(said(1, 'oops'));
    log.markDeleted(1);
    expect(log.entries[0]).toMatchObject({ text: '', deleted: true });
    log.forgetIds();
    expect(log.add(said(1, 'a new history'))).toBe(true); // ids are given again after a reset
    expect(texts(log)).toEqual(['', 'a new history']);
  });

  it('puts the divider before the first line that came while the user was away, until they leave', () => {
    const log = new ConversationLog();
    const first = said(1);
    log.cameWhileAway(first);
    log.cameWhileAway(said(2));
    expect(log.divider).toBe(first.key);
    log.read(); // shown: the divider stays while the user reads
    expect(log.divider).toBe(first.key);
    const later = said(3);
    log.cameWhileAway(later); // the tab hidden again: the new part starts here
    expect(log.divider).toBe(later.key);
    log.leave();
    expect(log.divider).toBeUndefined();
  });
});

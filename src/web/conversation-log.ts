import { msgIdOf, type Entry, type MessageEntry } from './entries.js';

/** Each conversation keeps this many lines; older ones go (a page left open for days stays light). */
const LOG_LIMIT = 2000;

/**
 * Where a log ends, on either side, in its conversation's history (docs/protocol.md §11): `more` to
 * load (older messages; newer ones after a jump into the past), a page on its way, the `end` (the
 * beginning of the conversation; the present, where messages come live), or a page that failed.
 */
export type Edge = { kind: 'more' | 'loading' | 'end' } | { kind: 'failed'; why: string };

/**
 * One conversation's log: its messages in the order of their ids (the order the server relayed
 * them, §11), each once however it came (live, caught up on, in a page of history), with the
 * page's own lines (notices, errors) where they were told. It is usually the newest part of the
 * conversation, grown backwards page by page; a jump to an old message (a search hit) makes it a
 * window into the past, grown either way, and what comes live meanwhile waits until the window
 * reaches the present.
 */
export class ConversationLog {
  entries: readonly Entry[] = [];
  older: Edge = { kind: 'more' };
  newer: Edge = { kind: 'end' };
  /** Changes when the log is replaced: a page asked for the log before belongs to none. */
  generation = 0;
  /** The line before which "New messages" stands: the first that came while the user was away. */
  divider: string | undefined;
  /** The newest message the log held when the connection was last made: a catch-up's later ones are new to the user. */
  seenUpTo: number | undefined;
  /** Whether the divider marks the user's current absence (the next line that comes then moves it no more). */
  private away = false;
  /** Lines that came live while the log does not reach the present. */
  private waiting: Entry[] = [];

  /** A line that came live: a message in the order of its id, any other at the end; whether it is new to the log (a page may have brought it). */
  add(entry: Entry): boolean {
    const id = msgIdOf(entry);
    if (id !== undefined && (this.has(id) || this.waiting.some((e) => msgIdOf(e) === id))) return false;
    if (this.newer.kind !== 'end') {
      this.waiting.push(entry);
    } else {
      this.entries = withLine(this.entries, entry);
      this.trim();
    }
    return true;
  }

  /** Whether the message of that id is in the log. */
  has(id: number): boolean {
    return this.entries.some((e) => msgIdOf(e) === id);
  }

  /** The id of the log's oldest message, or its newest (undefined while it has none). */
  get oldestId(): number | undefined {
    return this.messageIds().at(0);
  }

  get newestId(): number | undefined {
    return this.messageIds().at(-1);
  }

  /** A page of older messages (oldest first) above the log; `more` when there are older ones still. */
  prepend(messages: readonly MessageEntry[], more: boolean): void {
    const oldest = this.oldestId ?? Infinity;
    const older = messages.filter((m) => m.msgId! < oldest);
    this.entries = messages.filter((m) => m.msgId! >= oldest).reduce<readonly Entry[]>(withLine, [...older, ...this.entries]);
    this.older = { kind: more ? 'more' : 'end' };
  }

  /** A page of newer messages below the log; without `more` the log reaches the present, and what came meanwhile follows. */
  append(messages: readonly MessageEntry[], more: boolean): void {
    this.entries = messages.reduce<readonly Entry[]>(withLine, this.entries);
    this.setEdges(this.older, { kind: more ? 'more' : 'end' });
  }

  /** The log made anew from a window of messages: around a search hit, or the newest page. */
  replace(messages: readonly MessageEntry[], { olderMore, newerMore }: { olderMore: boolean; newerMore: boolean }): void {
    this.generation++;
    this.entries = messages;
    this.setEdges({ kind: olderMore ? 'more' : 'end' }, { kind: newerMore ? 'more' : 'end' });
  }

  /** Where the log ends on either side; once it reaches the present, what came live meanwhile follows. */
  setEdges(older: Edge, newer: Edge): void {
    this.older = older;
    this.newer = newer;
    if (newer.kind === 'end') this.catchUpWaiting();
  }

  /** Shows the message as deleted, wherever it is (DELETED, §11). */
  markDeleted(id: number): void {
    const deleted = (e: Entry): Entry => (e.kind === 'message' && e.msgId === id ? { ...e, text: '', deleted: true } : e);
    if (this.has(id)) this.entries = this.entries.map(deleted);
    this.waiting = this.waiting.map(deleted);
  }

  /**
   * The server's history started anew (a server that keeps it in memory restarted: §11's ids are
   * given again): the messages shown stay, as lines of the past, and the log grows from the
   * present only.
   */
  forgetIds(): void {
    if (this.oldestId === undefined && this.waiting.every((e) => msgIdOf(e) === undefined)) return; // nothing of the old one
    const past = (e: Entry): Entry => (e.kind === 'message' && e.msgId !== undefined ? { ...e, key: `${e.key}-past`, msgId: undefined } : e);
    this.entries = this.entries.map(past);
    this.waiting = this.waiting.map(past);
    this.older = { kind: 'end' };
  }

  /** A line came while the user was not reading the conversation: the divider stands before the first of them. */
  cameWhileAway(entry: Entry): void {
    if (this.away) return;
    this.divider = entry.key;
    this.away = true;
  }

  /** A connection is made: what the log holds now was seen (`seenUpTo`). */
  markSeen(): void {
    this.seenUpTo = this.newestId;
  }

  /** The user reads the conversation (again): the divider stays where it is until they leave it. */
  read(): void {
    this.away = false;
  }

  /** The user went to another conversation: what they read here is no longer new. */
  leave(): void {
    this.divider = undefined;
    this.away = false;
  }

  private catchUpWaiting(): void {
    this.entries = this.waiting.reduce<readonly Entry[]>(withLine, this.entries);
    this.waiting = [];
    this.trim();
  }

  /** A log over its limit loses its oldest lines, which are in the history still. */
  private trim(): void {
    if (this.entries.length <= LOG_LIMIT) return;
    this.entries = this.entries.slice(-LOG_LIMIT);
    if (this.older.kind === 'end') this.older = { kind: 'more' };
  }

  private messageIds(): number[] {
    return this.entries.flatMap((e) => msgIdOf(e) ?? []);
  }
}

/** The lines with one more: a message by its id (none twice), any other line at the end. */
function withLine(entries: readonly Entry[], entry: Entry): readonly Entry[] {
  const id = msgIdOf(entry);
  if (id === undefined) return [...entries, entry];
  if (entries.some((e) => msgIdOf(e) === id)) return entries;
  const next = entries.findIndex((e) => (msgIdOf(e) ?? -1) > id);
  return next < 0 ? [...entries, entry] : [...entries.slice(0, next), entry, ...entries.slice(next)];
}

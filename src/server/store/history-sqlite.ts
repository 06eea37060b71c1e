import type Database from 'better-sqlite3';
import type { FirstReadable, HistoryStore, StoredMessage } from '../core/ports.js';
import { Chunker, messageOf, ROW, rowOf, searchToken, type Row } from './chunks.js';
import { runQuery, type EngineErrors } from './engine.js';
import { HistoryReads } from './history-reads.js';
import { TurnLog } from './turn-log.js';

/**
 * Messages that may wait (in memory and the turn log, then in the journal table, about 150 bytes
 * a message on disk) before appends move some of them into place themselves: a bound for when the
 * live path outruns the steps for long.
 */
export const JOURNAL_MOST = 1_000_000;
/** Messages a journal row holds at most, but for a turn of more. */
const JOURNAL_ROW = 500;
/** Messages a query moves into place at a time before it lets the live chat go on (a few ms of work). */
const SETTLE_STEP = 5_000;
/**
 * Messages the turn log may hold (those waiting in memory, and those moved since it was last
 * emptied) while steps move the waiting ones straight into place, a step's worth at a time; beyond,
 * the waiting ones go into the journal table, and the turn log is emptied. Memory and the log stay
 * bounded even when the steps keep only just up and some always wait.
 */
export const WAITING_MOST = 20_000;
/** Whisper conversations remembered as having their parties recorded (beyond, the set starts anew). */
const KNOWN_WHISPERS_MOST = 50_000;

/**
 * History on SQLite (schema v10), with a journal on the path of every message. A turn's messages
 * are one line of JSON: written to the turn log (turn-log.ts; with a data folder) and kept in
 * memory, one write a turn; the store's steps behind the live path (`index`, at the pace the core
 * gives it) move the oldest waiting turns into place, each conversation's messages of a step as
 * one chunk (chunks.ts), then feed the search index, a message at a time. When more wait than
 * WAITING_MOST, they go into the `journal` table first. A query first does the same for everything
 * appended before it, a step at a time between turns of the event loop (the live chat goes on; the
 * query waits), so it sees every message appended before it. A log a stopped server left is taken
 * into the journal at start.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly reads: HistoryReads;
  private readonly journal: (rows: readonly JournalRow[]) => void;
  private readonly place: (chunker: Chunker, whispers: Whispers) => void;
  private readonly moveJournal: (upTo: number) => { moved: number; whispers: Whispers };
  private readonly feedSearch: (limit: number) => number;
  private readonly oldest: Database.Statement<[], { first: number | null }>;
  private readonly edit: {
    setBody: Database.Statement<[string, number, number, number, number]>;
    drop: Database.Statement<[number]>;
    unindex: Database.Statement<[number]>;
    bodyOf: Database.Statement<[number], { body: string }>;
    old: Database.Statement<[number], { id: number; count: number; body: string; at: number }>;
    ranked: Database.Statement<[number], { id: number; count: number; newer: number }>;
  };
  private readonly knownWhispers = new Set<string>();
  /** Turns appended, in the turn log, not yet in place nor in the journal table. */
  private waiting: Turn[] = [];
  private waitingMessages = 0;
  /** Messages appended since the turn log was last emptied: waiting, or moved straight since. */
  private logged = 0;
  /** Messages in the journal table, not yet in place, and the id of the newest of them. */
  private journaled: number;
  private newestJournaled = 0;

  constructor(
    private readonly database: Database.Database,
    private readonly errors: EngineErrors,
    private readonly log: TurnLog | undefined,
    private readonly journalMost = JOURNAL_MOST,
    private readonly waitingMost = WAITING_MOST,
  ) {
    this.reads = new HistoryReads(database);
    const insertJournal = database.prepare<[number, number, string]>('insert into journal (first, last, body) values (?, ?, ?)');
    this.journal = database.transaction((rows: readonly JournalRow[]) => {
      for (const r of rows) insertJournal.run(r.first, r.last, r.body);
    });
    this.oldest = database.prepare('select min(first) as first from journal');
    const insertChunk = database.prepare<[number, string, number, number, number, number, string]>('insert into chunks (id, conversation, first, count, since, at, body) values (?, ?, ?, ?, ?, ?, ?)');
    const party = database.prepare<[string, string]>('insert or ignore into whisper_parties (identity, conversation) values (?, ?)');
    const last = database.prepare<[number, number]>("update counters set value = ? where name = 'last_message_id' and value < ?");
    this.place = database.transaction((chunker: Chunker, whispers: Whispers) => {
      for (const c of chunker.chunks()) insertChunk.run(c.id, c.conversation, c.first, c.count, c.since, c.at, c.body);
      for (const [conversation, parties] of whispers) for (const identity of parties) party.run(identity, conversation);
      last.run(chunker.newest, chunker.newest);
    });
    const journaled = database.prepare<[number], { body: string }>('select body from journal where first <= ? order by first');
    const dropJournal = database.prepare<[number]>('delete from journal where first <= ?');
    this.moveJournal = database.transaction((upTo: number) => {
      const chunker = new Chunker();
      const whispers: Whispers = new Map();
      for (const { body } of journaled.all(upTo)) {
        for (const r of JSON.parse(body) as Row[]) {
          chunker.add(r[ROW.id], r[ROW.conversation], r[ROW.at], JSON.stringify(r));
          const recipient = r[ROW.recipient];
          if (recipient !== null) this.whisper(whispers, r[ROW.sender], recipient, r[ROW.conversation]);
        }
      }
      if (chunker.count > 0) this.place(chunker, whispers);
      dropJournal.run(upTo);
      return { moved: chunker.count, whispers };
    });
    // the search index's step: whole chunks, the oldest first, each message a document
    const next = database.prepare<[number, number], { id: number; count: number }>('select id, count from chunks where id > ? order by id limit ?');
    const bodies = database.prepare<[number, number], { conversation: string; body: string }>('select conversation, body from chunks where id > ? and id <= ? order by id');
    const feed = database.prepare<[number, string, string]>('insert into messages_fts (rowid, text, conversation) values (?, ?, ?)');
    const fed = database.prepare<[number]>("update counters set value = ? where name = 'last_indexed_id'");
    this.feedSearch = database.transaction((limit: number) => {
      const from = this.reads.count('last_indexed_id');
      let taken = 0;
      let upTo = from;
      for (const c of next.all(from, limit)) {
        taken += c.count;
        upTo = c.id;
        if (taken >= limit) break;
      }
      if (taken === 0) return 0;
      for (const c of bodies.all(from, upTo)) {
        const token = searchToken(c.conversation);
        for (const r of JSON.parse(c.body) as Row[]) if (r[ROW.deleted] === 0) feed.run(r[ROW.id], r[ROW.text], token);
      }
      fed.run(upTo);
      return taken;
    });
    this.edit = {
      setBody: database.prepare('update chunks set body = ?, first = ?, count = ?, since = ? where id = ?'),
      drop: database.prepare('delete from chunks where id = ?'),
      unindex: database.prepare('delete from messages_fts where rowid = ?'),
      bodyOf: database.prepare('select body from chunks where id = ?'),
      old: database.prepare('select id, count, body, at from chunks where since < ?'),
      // per chunk, the messages of its conversation newer than its own
      ranked: database.prepare('select id, count, newer from (select id, count, sum(count) over (partition by conversation order by id desc) - count as newer from chunks) where newer + count > ?'),
    };
    // a journal left by a server that stopped before it was all moved, and its turn log
    const held = database.prepare<[], { n: number; last: number | null }>('select coalesce(sum(json_array_length(body)), 0) as n, max(last) as last from journal').get();
    this.journaled = held?.n ?? 0;
    this.newestJournaled = held?.last ?? 0;
    if (log) {
      const known = Math.max(this.reads.count('last_message_id'), this.newestJournaled);
      const left = TurnLog.leftIn(log.path).flatMap((line) => journalRowOf(line) ?? []).filter((t) => t.last > known);
      this.journal(left);
      for (const t of left) this.journaled += t.count;
      this.newestJournaled = Math.max(this.newestJournaled, ...left.map((t) => t.last));
      log.clear();
    }
  }

  lastId(): Promise<number> {
    return this.query(() => this.reads.count('last_message_id'));
  }

  epoch(): Promise<string> {
    return runQuery(this.errors, async () => this.reads.count('epoch').toString(36));
  }

  append(messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    try {
      const rows = messages.map((m) => JSON.stringify(rowOf(m)));
      this.log?.append(`[${rows.join(',')}]`);
      this.waiting.push({ first: messages[0]!.id, last: messages[messages.length - 1]!.id, messages, rows });
      this.waitingMessages += messages.length;
      this.logged += messages.length;
    } catch (err) {
      return Promise.reject(this.errors.toStoreError(err));
    }
    // kept: over the bound, each turn moves twice its own, and the journal shrinks back under load
    if (this.waitingMessages + this.journaled > this.journalMost) {
      try {
        this.journalWaiting();
        this.moveOldest(2 * messages.length);
      } catch {
        // the turn is in the turn log; the next step meets the failure again, and logs it
      }
    }
    return Promise.resolve();
  }

  catchUp({ except, ...query }: { identity: string; conversations: readonly string[]; from?: FirstReadable; after: number; before: number; limit: number; except?: readonly string[] }): Promise<StoredMessage[]> {
    return this.query(() => this.reads.catchUp({ ...query, except: setOf(except) }));
  }

  whispersOf(identity: string): Promise<string[]> {
    return this.query(() => this.reads.whispersOf(identity));
  }

  after(conversation: string, after: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]> {
    return this.query(() => this.reads.after(conversation, after, limit, { except: setOf(except) }));
  }

  before(conversation: string, before: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]> {
    return this.query(() => this.reads.before(conversation, before, limit, setOf(except)));
  }

  search({ except, ...query }: { conversations: readonly string[]; from?: FirstReadable; text: string; limit: number; before?: number; except?: readonly string[] }): Promise<StoredMessage[]> {
    return this.query(() => this.reads.search({ ...query, except: setOf(except) }));
  }

  get(id: number): Promise<StoredMessage | undefined> {
    return this.query(() => {
      const at = this.reads.locate(id);
      return at && messageOf(at.rows[at.index]!);
    });
  }

  /**
   * A step behind the live path: moves up to about `limit` messages into place (the oldest waiting
   * turns straight from memory while few wait and none are journaled; else journaled ones), then,
   * with what is left of the step, feeds the search index; `limit` or more while work is left.
   */
  async index(limit: number): Promise<number> {
    try {
      let moved: number;
      if (this.journaled === 0 && this.logged <= this.waitingMost) {
        moved = this.moveWaiting(limit);
      } else {
        this.journalWaiting();
        moved = this.moveOldest(limit);
      }
      if (this.journaled > 0 || this.waitingMessages > 0) return Math.max(moved, limit);
      return moved < limit ? moved + this.feedSearch(limit - moved) : moved;
    } catch (err) {
      throw this.errors.toStoreError(err);
    }
  }

  unindexed(): Promise<number> {
    return this.query(() => this.reads.countAfter(this.reads.count('last_indexed_id')));
  }

  /** Blanks a message in its chunk, and takes it out of the search index if it was there. */
  delete(id: number): Promise<boolean> {
    return this.query(() =>
      this.database.transaction(() => {
        const at = this.reads.locate(id);
        if (!at) return false;
        const r = at.rows[at.index]!;
        if (r[ROW.deleted] === 1) return true;
        if (at.chunk <= this.reads.count('last_indexed_id')) this.edit.unindex.run(id);
        r[ROW.text] = '';
        r[ROW.deleted] = 1;
        this.rewrite(at.chunk, at.rows);
        return true;
      })(),
    );
  }

  /**
   * Removes messages older than `olderThan` and those past the newest `keep` of each conversation:
   * whole chunks where all of theirs go, else the oldest rows of a chunk (a conversation's oldest
   * messages are its oldest chunks' first rows).
   */
  prune({ olderThan, keep }: { olderThan?: number; keep?: number }): Promise<number> {
    if (olderThan === undefined && keep === undefined) return Promise.resolve(0);
    return this.query(() =>
      this.database.transaction(() => {
        const indexed = this.reads.count('last_indexed_id');
        let removed = 0;
        // per chunk, how many of its oldest rows go (all of them: the chunk goes)
        const cuts = new Map<number, number>();
        if (olderThan !== undefined) {
          for (const c of this.edit.old.all(olderThan)) {
            cuts.set(c.id, c.at < olderThan ? c.count : (JSON.parse(c.body) as Row[]).filter((r) => r[ROW.at] < olderThan).length);
          }
        }
        if (keep !== undefined) {
          for (const c of this.edit.ranked.all(keep)) cuts.set(c.id, Math.max(cuts.get(c.id) ?? 0, Math.min(c.count, c.newer + c.count - keep)));
        }
        for (const [chunk, cut] of cuts) {
          if (cut === 0) continue;
          const rows = JSON.parse(this.edit.bodyOf.get(chunk)!.body) as Row[];
          if (chunk <= indexed) for (const r of rows.slice(0, cut)) if (r[ROW.deleted] === 0) this.edit.unindex.run(r[ROW.id]);
          if (cut >= rows.length) this.edit.drop.run(chunk);
          else this.rewrite(chunk, rows.slice(cut));
          removed += Math.min(cut, rows.length);
        }
        return removed;
      })(),
    );
  }

  /**
   * The store closes: what waits goes into the journal table, and the turn log is let go. A
   * database that cannot take it (gone, full) leaves it in the turn log, taken in at the next start.
   */
  close(): void {
    try {
      this.journalWaiting();
    } catch {
      // kept in the turn log
    } finally {
      this.log?.close();
    }
  }

  /**
   * Runs a query of the history, its engine's failures as StoreErrors, once everything appended
   * before it is in place: a step at a time, each moving turns no later than the newest appended
   * now; the next waits for the event loop's next turn.
   */
  private query<T>(run: () => T): Promise<T> {
    return runQuery(this.errors, async () => {
      const upTo = this.waiting.at(-1)?.last ?? this.newestJournaled;
      while (this.settleStep(upTo)) await new Promise(setImmediate);
      return run();
    });
  }

  /** A query's step: moves some of what was appended up to id `upTo`; whether some of that is left. */
  private settleStep(upTo: number): boolean {
    if (this.journaled === 0 && this.logged <= this.waitingMost) {
      const before = (): boolean => this.waiting.length > 0 && this.waiting[0]!.first <= upTo;
      if (before()) this.moveWaiting(SETTLE_STEP);
      return before();
    }
    this.journalWaiting();
    return this.moveOldest(SETTLE_STEP, upTo) > 0 && this.journaled > 0;
  }

  /**
   * Puts the oldest turns waiting, about `limit` messages (one turn at least), straight into place
   * in one transaction: a server that keeps up never writes them to the journal table. The turn
   * log is emptied once none wait (the lines of turns already moved are skipped at a start: their
   * ids are known).
   */
  private moveWaiting(limit: number): number {
    if (this.waiting.length === 0) return 0;
    const chunker = new Chunker();
    const whispers: Whispers = new Map();
    let turns = 0;
    while (turns < this.waiting.length && (turns === 0 || chunker.count + this.waiting[turns]!.messages.length <= limit)) {
      const { messages, rows } = this.waiting[turns++]!;
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        chunker.add(m.id, m.conversation, m.at, rows[i]!);
        if (m.recipient !== undefined) this.whisper(whispers, m.sender, m.recipient, m.conversation);
      }
    }
    this.place(chunker, whispers);
    this.remember(whispers);
    this.waiting = this.waiting.slice(turns);
    this.waitingMessages -= chunker.count;
    if (this.waiting.length === 0) this.emptyLog();
    return chunker.count;
  }

  /** Whisper conversations whose parties are now recorded: not again (a set of those known, bounded). */
  private remember(whispers: Whispers): void {
    if (this.knownWhispers.size + whispers.size > KNOWN_WHISPERS_MOST) this.knownWhispers.clear();
    for (const conversation of whispers.keys()) this.knownWhispers.add(conversation);
  }

  /** Notes a whisper conversation whose parties may not be recorded yet. */
  private whisper(whispers: Whispers, sender: string, recipient: string, conversation: string): void {
    if (!this.knownWhispers.has(conversation)) whispers.set(conversation, [sender, recipient]);
  }

  /** Puts the turns waiting into the journal table, in one transaction; the turn log then holds nothing more. */
  private journalWaiting(): void {
    if (this.waiting.length === 0) return;
    this.journal(joined(this.waiting));
    this.journaled += this.waitingMessages;
    this.newestJournaled = this.waiting[this.waiting.length - 1]!.last;
    this.waiting = [];
    this.waitingMessages = 0;
    this.emptyLog();
  }

  /** Nothing in the turn log waits any more: it starts anew. */
  private emptyLog(): void {
    this.log?.clear();
    this.logged = 0;
  }

  /**
   * Moves the journal's oldest turns, those that begin within `limit` ids of the oldest (and no
   * later than `upTo`); how many messages moved.
   */
  private moveOldest(limit: number, upTo = Number.MAX_SAFE_INTEGER): number {
    const first = this.oldest.get()?.first;
    if (first == null) return (this.journaled = 0);
    const { moved, whispers } = this.moveJournal(Math.min(first + limit - 1, upTo));
    this.remember(whispers);
    this.journaled = Math.max(0, this.journaled - moved);
    return moved;
  }

  /** Writes a chunk's rows back (its newest row, which is its id, stays). */
  private rewrite(chunk: number, rows: readonly Row[]): void {
    this.edit.setBody.run(JSON.stringify(rows), rows[0]![ROW.id], rows.length, rows[0]![ROW.at], chunk);
  }
}

/** The whisper conversations of a move, each with its two parties. */
type Whispers = Map<string, [string, string]>;

/** A turn's messages waiting in memory, each with its row's JSON (chunks.ts Row). */
interface Turn {
  first: number;
  last: number;
  messages: readonly StoredMessage[];
  rows: readonly string[];
}

/** A row of the journal table (schema.ts JournalTable): turns' rows in one JSON array. */
interface JournalRow {
  first: number;
  last: number;
  body: string;
  count: number;
}

/**
 * Turns joined into journal rows of about JOURNAL_ROW messages (fewer rows to write; a move still
 * takes a few ms at a time).
 */
function joined(turns: readonly Turn[]): JournalRow[] {
  const rows: JournalRow[] = [];
  let run: Turn[] = [];
  let count = 0;
  const close = () => {
    if (run.length === 0) return;
    rows.push({ first: run[0]!.first, last: run[run.length - 1]!.last, body: `[${run.flatMap((t) => t.rows).join(',')}]`, count });
    run = [];
    count = 0;
  };
  for (const t of turns) {
    if (count + t.messages.length > JOURNAL_ROW) close();
    run.push(t);
    count += t.messages.length;
  }
  close();
  return rows;
}

/** A line of a turn log as a journal row; undefined for one that does not read as one. */
function journalRowOf(line: string): JournalRow | undefined {
  try {
    const rows = JSON.parse(line) as unknown;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && typeof r[0] === 'number')) return undefined;
    return { first: rows[0][0] as number, last: rows[rows.length - 1][0] as number, body: line, count: rows.length };
  } catch {
    return undefined;
  }
}

function setOf(names: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return names?.length ? new Set(names) : undefined;
}

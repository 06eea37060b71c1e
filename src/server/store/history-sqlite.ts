import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StoredMessage } from '../core/ports.js';
import type { EngineErrors } from './engine.js';
import { KyselyHistoryStore } from './history.js';
import { TurnLog } from './turn-log.js';
import type { Schema } from './schema.js';

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

/** Each row of a journal's body: the columns of `messages` in this order (schema.ts JournalTable). */
const MOVE_COLUMNS = 'id, conversation, at, sender, recipient, sender_name, receiver, text, deleted';

/**
 * History on SQLite: the queries of KyselyHistoryStore, and a journal on the path of every message.
 * A turn's messages are one line of JSON: written to the turn log (turn-log.ts; with a data folder)
 * and kept in memory, one write a turn; the store's steps behind the live path (`index`, at the
 * pace the core gives it) put the turns waiting into the `journal` table in one transaction, then
 * move journaled turns into `messages` and its indexes in sorted batches inside the engine (a
 * whisper's index entries at scattered keys would otherwise dirty pages all over the file at
 * every turn). A query first does the same for everything appended before it, a step at a time
 * between turns of the event loop (the live chat goes on; the query waits), so it sees every
 * message appended before it. A log a stopped server left is taken into the journal at start.
 */
export class SqliteHistoryStore extends KyselyHistoryStore {
  private readonly journal: (turns: readonly Turn[]) => void;
  private readonly move: (upTo: number) => number;
  private readonly moveTurns: (turns: readonly Turn[]) => void;
  private readonly feedSearch: (limit: number) => number;
  private readonly oldest: Database.Statement<[], { first: number | null }>;
  /** Turns appended, in the turn log, not yet in the journal table. */
  private waiting: Turn[] = [];
  private waitingMessages = 0;
  /** Messages appended since the turn log was last emptied: waiting, or moved straight since. */
  private logged = 0;
  /** Messages in the journal table, not yet in `messages`, and the id of the newest of them. */
  private journaled: number;
  private newestJournaled = 0;

  constructor(
    db: Kysely<Schema>,
    errors: EngineErrors,
    database: Database.Database,
    private readonly log: TurnLog | undefined,
    private readonly journalMost = JOURNAL_MOST,
    private readonly waitingMost = WAITING_MOST,
  ) {
    super(db, errors);
    const insertTurn = database.prepare<[number, number, string]>('insert into journal (first, last, body) values (?, ?, ?)');
    this.journal = database.transaction((turns: readonly Turn[]) => {
      for (const t of joined(turns)) insertTurn.run(t.first, t.last, t.body);
    });
    this.oldest = database.prepare('select min(first) as first from journal');
    // sorted by conversation, the batch's index entries land together, page by page; each body is
    // parsed once into SQLite's binary JSON, whose fields `->>` then reads without parsing again
    const fields = 'e.value->>0, e.value->>1, e.value->>2, e.value->>3, e.value->>4, e.value->>5, e.value->>6, e.value->>7, e.value->>8';
    const insert = database.prepare(`insert into messages (${MOVE_COLUMNS}) select ${fields} from journal j, jsonb_each(jsonb(j.body)) e where j.first <= ? order by 2, 1`);
    const insertBody = database.prepare<[string]>(`insert into messages (${MOVE_COLUMNS}) select ${fields} from jsonb_each(jsonb(?)) e order by 2, 1`);
    const newest = database.prepare<[number], { last: number | null }>('select max(last) as last from journal where first <= ?');
    const drop = database.prepare('delete from journal where first <= ?');
    const last = database.prepare("update counters set value = ? where name = 'last_message_id' and value < ?");
    // turns that never waited in the journal table: straight into place, the same way
    this.moveTurns = database.transaction((turns: readonly Turn[]) => {
      for (const t of joined(turns)) insertBody.run(t.body);
      const id = turns[turns.length - 1]!.last;
      last.run(id, id);
    });
    // the search index's step, as KyselyHistoryStore's, in statements prepared once: a step costs
    // far less than its several statements compiled anew each time (steps are short and many)
    const indexed = database.prepare<[], { value: number }>("select value from counters where name = 'last_indexed_id'");
    const next = database.prepare<[number, number], { n: number; last: number | null }>(
      'select count(*) as n, max(id) as last from (select id from messages where id > ? order by id limit ?)',
    );
    const feed = database.prepare<[number, number]>('insert into messages_fts(rowid, text) select id, text from messages where id > ? and id <= ? and deleted = 0');
    const fed = database.prepare<[number]>("update counters set value = ? where name = 'last_indexed_id'");
    this.feedSearch = database.transaction((limit: number) => {
      const from = indexed.get()!.value;
      const step = next.get(from, limit)!;
      if (step.n === 0) return 0;
      feed.run(from, step.last!);
      fed.run(step.last!);
      return step.n;
    });
    this.move = database.transaction((upTo: number) => {
      const id = newest.get(upTo)?.last;
      if (id == null) return 0;
      const moved = insert.run(upTo).changes;
      drop.run(upTo);
      last.run(id, id);
      return moved;
    });
    // a journal left by a server that stopped before it was all moved, and its turn log
    const held = database.prepare<[], { n: number; last: number | null }>('select coalesce(sum(json_array_length(body)), 0) as n, max(last) as last from journal').get();
    this.journaled = held?.n ?? 0;
    this.newestJournaled = held?.last ?? 0;
    if (log) {
      const counted = database.prepare<[], { value: number }>("select value from counters where name = 'last_message_id'").get()?.value ?? 0;
      const known = Math.max(counted, this.newestJournaled);
      const left = TurnLog.leftIn(log.path).flatMap((line) => turnOf(line) ?? []).filter((t) => t.last > known);
      this.journal(left);
      for (const t of left) this.journaled += t.count;
      this.newestJournaled = Math.max(this.newestJournaled, ...left.map((t) => t.last));
      log.clear();
    }
  }

  override append(messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    try {
      const rows = messages.map((m) => [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, m.deleted ? 1 : 0]);
      const turn: Turn = { first: messages[0]!.id, last: messages[messages.length - 1]!.id, body: JSON.stringify(rows), count: messages.length };
      this.log?.append(turn.body);
      this.waiting.push(turn);
      this.waitingMessages += turn.count;
      this.logged += turn.count;
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

  /**
   * A step behind the live path: moves up to about `limit` messages into place (the oldest waiting
   * turns straight from memory while few wait and none are journaled; else journaled ones), then,
   * with what is left of the step, feeds the search index; `limit` or more while work is left.
   */
  override async index(limit: number): Promise<number> {
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

  protected override query<T>(run: () => Promise<T>): Promise<T> {
    return super.query(async () => {
      const upTo = this.waiting.at(-1)?.last ?? this.newestJournaled;
      // each step moves turns no later than `upTo`; the next waits for the event loop's next turn
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
   * Puts the oldest turns waiting, about `limit` messages (one turn at least), straight into
   * `messages` in one transaction: a server that keeps up never writes them to the journal table.
   * The turn log is emptied once none wait (the lines of turns already moved are skipped at a
   * start: their ids are known).
   */
  private moveWaiting(limit: number): number {
    if (this.waiting.length === 0) return 0;
    let turns = 0;
    let moved = 0;
    while (turns < this.waiting.length && (turns === 0 || moved + this.waiting[turns]!.count <= limit)) moved += this.waiting[turns++]!.count;
    this.moveTurns(this.waiting.slice(0, turns));
    this.waiting = this.waiting.slice(turns);
    this.waitingMessages -= moved;
    if (this.waiting.length === 0) this.emptyLog();
    return moved;
  }

  /** Puts the turns waiting into the journal table, in one transaction; the turn log then holds nothing more. */
  private journalWaiting(): void {
    if (this.waiting.length === 0) return;
    this.journal(this.waiting);
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
    const moved = this.move(Math.min(first + limit - 1, upTo));
    this.journaled = Math.max(0, this.journaled - moved);
    return moved;
  }
}

/** A turn's messages as the journal keeps them: a JSON array of rows (schema.ts JournalTable). */
interface Turn {
  first: number;
  last: number;
  body: string;
  count: number;
}

/**
 * Turns joined into rows of about JOURNAL_ROW messages (fewer rows to write; a move still takes a
 * few ms at a time): their bodies' rows in one array.
 */
function joined(turns: readonly Turn[]): Turn[] {
  const rows: Turn[] = [];
  let run: Turn[] = [];
  let count = 0;
  const close = () => {
    if (run.length === 0) return;
    const body = run.length === 1 ? run[0]!.body : `[${run.map((t) => t.body.slice(1, -1)).join(',')}]`;
    rows.push({ first: run[0]!.first, last: run[run.length - 1]!.last, body, count });
    run = [];
    count = 0;
  };
  for (const t of turns) {
    if (count + t.count > JOURNAL_ROW) close();
    run.push(t);
    count += t.count;
  }
  close();
  return rows;
}

/** A line of a turn log as a turn; undefined for one that does not read as one. */
function turnOf(line: string): Turn | undefined {
  try {
    const rows = JSON.parse(line) as unknown;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && typeof r[0] === 'number')) return undefined;
    return { first: rows[0][0] as number, last: rows[rows.length - 1][0] as number, body: line, count: rows.length };
  } catch {
    return undefined;
  }
}

import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StoredMessage } from '../core/ports.js';
import type { EngineErrors } from './engine.js';
import { KyselyHistoryStore } from './history.js';
import type { Schema } from './schema.js';

/**
 * Messages the journal may hold before appends move some of them into place themselves: a bound
 * on the disk it takes (about 150 bytes a message) when the live path outruns the moves for long.
 */
export const JOURNAL_MOST = 1_000_000;
/** Messages a query moves into place at a time before it lets the live chat go on (a few ms of work). */
const SETTLE_STEP = 5_000;

/** Each row of a journal's body: the columns of `messages` in this order (schema.ts JournalTable). */
const MOVE_COLUMNS = 'id, conversation, at, sender, recipient, sender_name, receiver, text, deleted';

/**
 * History on SQLite: the queries of KyselyHistoryStore, and a journal on the path of every message.
 * Each turn's messages go in one row of `journal`, a JSON array, with no index to keep: one
 * statement per turn, several times cheaper than a row and its index entries per message (a
 * whisper's entries land at scattered keys, dirtying pages all over the file). The rows move into
 * `messages` and its indexes behind the live path (`index`, at the pace the core gives it), in
 * sorted batches inside the engine. A query first moves what was journaled before it, a step at a
 * time between turns of the event loop (the live chat goes on; the query waits), so it sees every
 * message appended before it. A turn in the journal is as safe as one in `messages`: the same
 * commit, the same file.
 */
export class SqliteHistoryStore extends KyselyHistoryStore {
  private readonly insertTurn: Database.Statement<[number, number, string]>;
  private readonly move: (upTo: number) => number;
  private readonly oldest: Database.Statement<[], { first: number | null }>;
  /** Messages in the journal, not yet in `messages`, and the id of the newest of them. */
  private journaled: number;
  private newestJournaled = 0;

  constructor(
    db: Kysely<Schema>,
    errors: EngineErrors,
    database: Database.Database,
    private readonly journalMost = JOURNAL_MOST,
  ) {
    super(db, errors);
    this.insertTurn = database.prepare('insert into journal (first, last, body) values (?, ?, ?)');
    this.oldest = database.prepare('select min(first) as first from journal');
    // sorted by conversation, the batch's index entries land together, page by page
    const insert = database.prepare(
      `insert into messages (${MOVE_COLUMNS})
       select e.value->>0, e.value->>1, e.value->>2, e.value->>3, e.value->>4, e.value->>5, e.value->>6, e.value->>7, e.value->>8
       from journal j, json_each(j.body) e where j.first <= ? order by 2, 1`,
    );
    const newest = database.prepare<[number], { last: number | null }>('select max(last) as last from journal where first <= ?');
    const drop = database.prepare('delete from journal where first <= ?');
    const last = database.prepare("update counters set value = ? where name = 'last_message_id' and value < ?");
    this.move = database.transaction((upTo: number) => {
      const id = newest.get(upTo)?.last;
      if (id == null) return 0;
      const moved = insert.run(upTo).changes;
      drop.run(upTo);
      last.run(id, id);
      return moved;
    });
    // a journal left by a server that stopped before it was all moved
    const held = database.prepare<[], { n: number; last: number | null }>('select coalesce(sum(json_array_length(body)), 0) as n, max(last) as last from journal').get();
    this.journaled = held?.n ?? 0;
    this.newestJournaled = held?.last ?? 0;
  }

  override append(messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    try {
      const rows = messages.map((m) => [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, m.deleted ? 1 : 0]);
      this.insertTurn.run(messages[0]!.id, messages[messages.length - 1]!.id, JSON.stringify(rows));
      this.journaled += messages.length;
      this.newestJournaled = messages[messages.length - 1]!.id;
      // over the bound, each turn moves twice its own: the journal shrinks back under load
      if (this.journaled > this.journalMost) this.moveOldest(2 * messages.length);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(this.errors.toStoreError(err));
    }
  }

  /**
   * A step behind the live path: moves up to about `limit` journaled messages into place, then, with
   * what is left of the step, feeds the search index; `limit` or more while work is left.
   */
  override async index(limit: number): Promise<number> {
    if (this.journaled === 0) return super.index(limit);
    let moved: number;
    try {
      moved = this.moveOldest(limit);
    } catch (err) {
      throw this.errors.toStoreError(err);
    }
    if (this.journaled > 0) return Math.max(moved, limit);
    return moved < limit ? moved + (await super.index(limit - moved)) : moved;
  }

  protected override query<T>(run: () => Promise<T>): Promise<T> {
    return super.query(async () => {
      const upTo = this.newestJournaled;
      // each step moves turns no later than `upTo`; the next waits for the event loop's next turn
      while (this.journaled > 0 && this.moveOldest(SETTLE_STEP, upTo) > 0) await new Promise(setImmediate);
      return run();
    });
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

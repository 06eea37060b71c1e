import type Database from 'better-sqlite3';
import type { FirstReadable, HistoryStore, StoredMessage } from '../core/ports.js';
import { ByteRun, Chunker, ROW, RowJson, messageOf, type Chunk, type Row } from './chunks.js';
import { runQuery, type EngineErrors } from './engine.js';
import { HistoryReads } from './history-reads.js';
import { HistoryWriter, type ChunkRow, type Noted, type Placement } from './history-writer.js';
import type { Locator } from './locator.js';
import { TurnLog } from './turn-log.js';
import { errorOf, WriterThread, type WriterDone } from './writer-thread.js';

/**
 * Messages that may wait for their chunks' place, in memory and the turn log, while the database
 * refuses them (gone, full): beyond, appends are refused with the reason, and nothing is kept that
 * its sender was not told was lost.
 */
export const WAITING_MOST = 1_000_000;
/**
 * How long the open chunks (those not yet full) may wait before a step closes them all (to go in
 * place a step's worth at a time) and cuts the turn log, or how many messages they may hold.
 */
export const OPEN_MS = 1_000;
const OPEN_MOST = 50_000;
/**
 * Messages in full chunks that go in place together, in one transaction (one a turn costs more),
 * and about the most a turn or a step puts in place: conversations that go at one pace fill their
 * chunks together (200 whispering: 51 200 messages, a 70 ms stall had they gone in at once).
 */
const PLACE_AT = 4_096;
/**
 * Messages in full chunks that may wait while the writer's thread is busy (200 whispering fill
 * 51 200 at once; 64 k take about 10 MB): beyond, the live path waits for it (the thread cannot
 * keep up: the chat slows to its pace rather than hold more).
 */
const THREAD_LAG_MOST = 16 * PLACE_AT;
/** Whisper conversations remembered as having their parties recorded (beyond, the set starts anew). */
const KNOWN_WHISPERS_MOST = 50_000;

/**
 * History on SQLite (schema v12). Each turn's messages are rows of JSON (chunks.ts Row), written
 * once as UTF-8: into one line of the turn log (turn-log.ts; with a data folder), the durable
 * copy, and from it into their conversations' open chunks (chunks.ts Chunker), bytes off the JS
 * heap; each message's conversation is noted by its id (locator.ts). Full chunks (CHUNK_MOST
 * messages) are put in place at the end of a turn once they hold PLACE_AT messages, that many at a
 * time, a row each, with what the locator noted. The open ones wait until the search index has
 * taken in the rest, or at most OPEN_MS; then a step behind the live path closes them all and cuts
 * the turn log there; they go in place PLACE_AT messages a turn or a step, and the log's earlier
 * part goes once all of it is in place. The steps feed the search index, a message at a time, as
 * far as everything is in place (`placed_through`). The server's store has these writes done by a
 * thread of their own (writer-thread.ts), one job at a time (as short as on this thread: a query
 * waits for the one under way), started with the first chunks to write; the live path only
 * copies the chunks' bytes, and waits for the thread once THREAD_LAG_MOST wait. A
 * query waits for the thread's job, then puts in place, on this thread, everything appended
 * before it. At start, what a killed server's turn log holds and the database does not is put in
 * place.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly reads: HistoryReads;
  private readonly locator: Locator;
  /** The writes on this store's own connection: when it settles, or has no thread. */
  private readonly writer: HistoryWriter;
  /** The writes behind the live path, on a thread of their own; a store without a file has none. */
  private thread: WriterThread | undefined;
  private readonly edit: {
    setBody: Database.Statement<[string, number, number, number, number]>;
    drop: Database.Statement<[number]>;
    unindex: Database.Statement<[number]>;
    bodyOf: Database.Statement<[number], { body: string }>;
    oldest: Database.Statement<[], { first: number | null }>;
    old: Database.Statement<[number], { id: number; count: number; body: string; at: number }>;
    ranked: Database.Statement<[number], { id: number; count: number; newer: number }>;
  };
  /** The messages appended and not yet in place, in their chunks. */
  private readonly pending = new Chunker();
  /** A turn's rows, the turn log's line, and where each row ends in it. */
  private readonly turn = new ByteRun(65_536);
  private ends = new Uint32Array(1024);
  private readonly rowJson = new RowJson();
  /** Whisper conversations whose parties are to be recorded with the next chunks put in place. */
  private whispers: Whispers = new Map();
  /** Ids appended since the last placement, with their conversations: located with it. */
  private noted: Noted = { ids: [], conversations: [] };
  private readonly knownWhispers = new Set<string>();
  /** Every message up to this id is in place (and no chunk in place has an id past it but those put in place since). */
  private placedThrough: number;
  /** When the open chunks were last all closed. */
  private closedAt = performance.now();
  /** The newest message in the turn log's earlier part (cut off when the open chunks closed), while it waits for its place. */
  private cutThrough: number | undefined;
  /** Why chunks could not be put in place (they wait): cleared once some are. */
  private failure: unknown;

  constructor(
    private readonly database: Database.Database,
    private readonly errors: EngineErrors,
    private readonly log: TurnLog | undefined,
    private readonly waitingMost = WAITING_MOST,
    private readonly openMs = OPEN_MS,
    /** The database's file, for a writer's thread to open (none: the writes stay on this thread). */
    private threadFile?: string,
  ) {
    this.writer = new HistoryWriter(database);
    this.locator = this.writer.locator;
    this.reads = new HistoryReads(database, this.locator);
    this.edit = {
      setBody: database.prepare('update chunks set body = ?, first = ?, count = ?, since = ? where id = ?'),
      drop: database.prepare('delete from chunks where id = ?'),
      unindex: database.prepare('delete from messages_fts where rowid = ?'),
      bodyOf: database.prepare('select body from chunks where id = ?'),
      oldest: database.prepare('select min(first) as first from chunks'),
      old: database.prepare('select id, count, body, at from chunks where since < ?'),
      // per chunk, the messages of its conversation newer than its own
      ranked: database.prepare('select id, count, newer from (select id, count, sum(count) over (partition by conversation order by id desc) - count as newer from chunks) where newer + count > ?'),
    };
    this.placedThrough = this.reads.count('placed_through');
    if (log) this.recover(log);
  }

  lastId(): Promise<number> {
    return this.query(() => this.reads.count('last_message_id'));
  }

  epoch(): Promise<string> {
    return runQuery(this.errors, async () => this.reads.count('epoch').toString(36));
  }

  /**
   * Writes the turn's rows to the turn log, one line, then adds them to their chunks; puts in place
   * the full chunks once they hold PLACE_AT messages. Refused (nothing kept) when the line cannot
   * be written, or when too many wait for a database that refuses them.
   */
  append(messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    if (this.pending.count > this.waitingMost) return Promise.reject(this.errors.toStoreError(this.failure ?? new Error('history is not kept: too many messages wait')));
    const turn = this.turn;
    if (this.ends.length < messages.length) this.ends = new Uint32Array(2 * messages.length);
    try {
      turn.length = 0;
      turn.byte(0x5b); // [
      for (let i = 0; i < messages.length; i++) {
        if (i > 0) turn.byte(0x2c); // ,
        turn.text(this.rowJson.of(messages[i]!));
        this.ends[i] = turn.length;
      }
      turn.text(']\n');
      this.log?.append(turn.buffer, turn.length);
    } catch (err) {
      return Promise.reject(this.errors.toStoreError(err));
    }
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      this.pending.add(m.id, m.conversation, m.at, turn.buffer, i === 0 ? 1 : this.ends[i - 1]! + 1, this.ends[i]!);
      this.note(m.id, m.conversation);
      if (m.recipient !== undefined) this.whisper(m.sender, m.recipient, m.conversation);
    }
    if (this.pending.closedCount >= PLACE_AT) {
      const thread = this.usableThread(true);
      if (thread?.busy && this.pending.closedCount >= THREAD_LAG_MOST) thread.wait();
      if (!thread) {
        try {
          this.place(this.pending.take(PLACE_AT));
        } catch {
          // they are in the turn log and wait; the next step meets the failure again, and logs it
        }
      } else if (!thread.busy) {
        void this.send(thread, this.pending.take(PLACE_AT));
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
   * A step behind the live path: feeds the search index up to `limit` messages, as far as all is in
   * place. First closes the open chunks once they have waited `openMs` (or hold OPEN_MOST messages;
   * the turn log is cut there), and puts PLACE_AT's worth of closed ones in place; when the index
   * has taken in all it may, PLACE_AT's worth more (or all, if no more wait). How many it took in: `limit` or more
   * while work is left.
   */
  async index(limit: number): Promise<number> {
    try {
      if (this.pending.count >= OPEN_MOST || (this.pending.count > 0 && performance.now() - this.closedAt >= this.openMs)) this.closeOpen();
      const taken = await this.step(limit);
      if (taken >= limit || this.pending.count === 0) return taken;
      // the index took in all it may: what waits goes in place, PLACE_AT's worth a step (all, if no more)
      this.closeOpen();
      return taken + (await this.step(limit - taken));
    } catch (err) {
      throw this.errors.toStoreError(err);
    }
  }

  /** Puts PLACE_AT's worth of closed chunks in place, then feeds the search index up to `limit` messages. */
  private async step(limit: number): Promise<number> {
    let thread = this.usableThread(this.pending.closedCount > 0);
    // the job under way (or the thread's start) first; a thread that failed meanwhile is let go
    while (thread?.busy) {
      await thread.whenIdle();
      thread = this.usableThread(this.pending.closedCount > 0);
    }
    if (!thread) {
      if (this.pending.closedCount > 0) this.place(this.pending.take(PLACE_AT));
      return this.writer.feedSearch(limit, this.placedThrough);
    }
    const done = await this.send(thread, this.pending.closedCount > 0 ? this.pending.take(PLACE_AT) : [], limit);
    if ('error' in done) throw errorOf(done);
    return done.taken;
  }

  stepsApart(): boolean {
    return this.thread !== undefined;
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
        const oldest = this.edit.oldest.get()!.first;
        if (oldest !== null) this.locator.dropBefore(oldest);
        return removed;
      })(),
    );
  }

  /**
   * The store closes: what waits is put in place, and the turn log is let go. A database that
   * cannot take it (gone, full) leaves it in the turn log, taken in at the next start.
   */
  close(): void {
    try {
      this.settle();
    } catch {
      // kept in the turn log
    } finally {
      this.thread?.close();
      this.log?.close();
    }
  }

  /**
   * Runs a query of the history, its engine's failures as StoreErrors, once everything appended
   * before it is in place.
   */
  private query<T>(run: () => T): Promise<T> {
    return runQuery(this.errors, async () => {
      this.settle();
      return run();
    });
  }

  /** Puts every chunk in place, the open ones closed; the turn log then holds nothing more. */
  private settle(): void {
    this.thread?.wait();
    if (this.pending.count > 0) this.place(this.pending.takeAll());
    this.closedAt = performance.now();
    this.log?.clear();
    this.cutThrough = undefined;
  }

  /**
   * Closes the open chunks, to go in place a step's or a turn's worth at a time; what the turn log
   * holds of them becomes its earlier part (unless one waits already), dropped once all in place.
   */
  private closeOpen(): void {
    this.pending.closeOpen();
    this.closedAt = performance.now();
    if (this.log && this.cutThrough === undefined) {
      this.log.cut();
      this.cutThrough = this.pending.newest;
    }
  }

  /** Writes chunks taken from `pending`, on this thread; held again if they cannot be (thrown). */
  private place(chunks: readonly Chunk[]): void {
    const placement = this.placement(chunks.map((c) => rowOfChunk(c, c.rows.bytes())));
    try {
      this.writer.place(placement);
    } catch (err) {
      this.unplaced(chunks, placement, err);
      throw err;
    }
    this.placed(chunks, placement);
  }

  /**
   * Has the writer's thread put chunks taken from `pending` in place (their bytes copied, so the
   * live path goes on adding to its buffers), then feed the search index `feed` messages; held again
   * if they cannot be. Resolves with the thread's answer.
   */
  private send(thread: WriterThread, chunks: readonly Chunk[], feed?: number): Promise<WriterDone> {
    let placement: Placement | undefined;
    if (chunks.length > 0) {
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.rows.length, 0));
      let at = 0;
      placement = this.placement(chunks.map((c) => {
        const body = bytes.subarray(at, at + c.rows.length);
        body.set(c.rows.bytes());
        at += c.rows.length;
        return rowOfChunk(c, body);
      }));
    }
    const upTo = placement?.placedThrough ?? this.placedThrough;
    return new Promise((resolve) => {
      thread.run({ placement, ...(feed !== undefined && { feed: { limit: feed, upTo } }) }, (done) => {
        if (placement) {
          if ('error' in done) this.unplaced(chunks, placement, errorOf(done));
          else this.placed(chunks, placement);
        }
        resolve(done);
      });
    });
  }

  /**
   * The thread that takes the writes, started with the first chunks to write (`start`: an idle
   * server keeps no thread's memory); none once it failed: the writes come back to this one.
   */
  private usableThread(start: boolean): WriterThread | undefined {
    if (this.thread?.broken) {
      this.thread.close();
      this.thread = this.threadFile = undefined;
    }
    if (!this.thread && start && this.threadFile !== undefined) this.thread = new WriterThread(this.threadFile, this.database.pragma('busy_timeout', { simple: true }) as number);
    return this.thread;
  }

  /** Chunks taken from `pending` as they go in place, with what was noted and whispered since the last. */
  private placement(chunks: ChunkRow[]): Placement {
    const placement = { chunks, whispers: this.whispers, noted: this.noted, placedThrough: this.inPlaceThrough() };
    this.whispers = new Map();
    this.noted = { ids: [], conversations: [] };
    return placement;
  }

  /** A placement failed: its chunks are held again, with what it would have noted. */
  private unplaced(chunks: readonly Chunk[], { whispers, noted }: Placement, err: unknown): void {
    this.pending.putBack(chunks);
    for (const [conversation, parties] of whispers) this.whispers.set(conversation, parties);
    this.noted = { ids: [...noted.ids, ...this.noted.ids], conversations: [...noted.conversations, ...this.noted.conversations] };
    this.failure = err;
  }

  /** A placement is committed: the chunks' buffers serve again, and the turn log lets go of what is in place. */
  private placed(chunks: readonly Chunk[], { whispers, placedThrough }: Placement): void {
    this.pending.written(chunks);
    this.failure = undefined;
    this.placedThrough = Math.max(this.placedThrough, placedThrough);
    if (this.knownWhispers.size + whispers.size > KNOWN_WHISPERS_MOST) this.knownWhispers.clear();
    for (const conversation of whispers.keys()) this.knownWhispers.add(conversation);
    // what the turn log holds that is all in place now
    if (this.pending.count === 0) {
      this.cutThrough = undefined;
      this.log?.clear();
    } else if (this.cutThrough !== undefined && this.placedThrough >= this.cutThrough) {
      this.cutThrough = undefined;
      this.log?.dropEarlier();
    }
  }

  /** The id up to which every message appended is in place, once the chunks taken from `pending` are. */
  private inPlaceThrough(): number {
    return (this.pending.oldest() ?? this.pending.newest + 1) - 1;
  }

  /** Message `id` is in `conversation`: located with the next chunks put in place (locator.ts). */
  private note(id: number, conversation: string): void {
    this.noted.ids.push(id);
    this.noted.conversations.push(conversation);
  }

  /** Notes a whisper conversation whose parties may not be recorded yet. */
  private whisper(sender: string, recipient: string, conversation: string): void {
    if (!this.knownWhispers.has(conversation)) this.whispers.set(conversation, [sender, recipient]);
  }

  /**
   * At start: the messages of a turn log a stopped server left that are not in place (past
   * `placed_through`, and in no chunk of their conversation put in place since) are put in place.
   */
  private recover(log: TurnLog): void {
    const rows = TurnLog.leftIn(log.path).flatMap((line) => rowsOf(line)).filter((r) => r[ROW.id] > this.placedThrough);
    if (rows.length > 0) {
      const placed = new Map<string, Array<{ first: number; id: number }>>();
      for (const c of this.database.prepare<[number], { conversation: string; first: number; id: number }>('select conversation, first, id from chunks where id > ?').iterate(this.placedThrough)) {
        const chunks = placed.get(c.conversation);
        if (chunks) chunks.push(c);
        else placed.set(c.conversation, [c]);
      }
      const bytes = new ByteRun();
      for (const r of rows.sort((a, b) => a[ROW.id] - b[ROW.id])) {
        const id = r[ROW.id];
        if (placed.get(r[ROW.conversation])?.some((c) => c.first <= id && id <= c.id)) continue;
        bytes.length = 0;
        bytes.text(JSON.stringify(r));
        this.pending.add(id, r[ROW.conversation], r[ROW.at], bytes.buffer, 0, bytes.length);
        this.note(id, r[ROW.conversation]);
        const recipient = r[ROW.recipient];
        if (recipient !== null) this.whisper(r[ROW.sender], recipient, r[ROW.conversation]);
      }
    }
    this.settle();
  }

  /** Writes a chunk's rows back (its newest row, which is its id, stays). */
  private rewrite(chunk: number, rows: readonly Row[]): void {
    this.edit.setBody.run(JSON.stringify(rows), rows[0]![ROW.id], rows.length, rows[0]![ROW.at], chunk);
  }
}

/** The whisper conversations of a move, each with its two parties. */
type Whispers = Map<string, [string, string]>;

/** A chunk as it is written, its body `body` (its rows' bytes, or a copy). */
function rowOfChunk({ id, conversation, first, count, since, at }: Chunk, body: Uint8Array): ChunkRow {
  return { id, conversation, first, count, since, at, body };
}

/** The rows of a line of a turn log; none for one that does not read as rows. */
function rowsOf(line: string): Row[] {
  try {
    const rows = JSON.parse(line) as unknown;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'string')) return [];
    return rows as Row[];
  } catch {
    return [];
  }
}

function setOf(names: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return names?.length ? new Set(names) : undefined;
}

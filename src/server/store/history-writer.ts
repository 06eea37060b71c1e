import type Database from 'better-sqlite3';
import { ROW, searchToken, type Chunk, type Row } from './chunks.js';
import { Locator } from './locator.js';

/** A chunk as it is written: its body its rows' JSON, as UTF-8 (the bytes of its `rows`, or a copy). */
export type ChunkRow = Omit<Chunk, 'rows'> & { body: Uint8Array };

/** Message ids appended, each with its conversation (for the locator), in id order. */
export interface Noted {
  ids: number[];
  conversations: string[];
}

/** What goes in place together, in one transaction. */
export interface Placement {
  chunks: ChunkRow[];
  /** Whisper conversations whose parties may not be recorded yet, each with its two parties. */
  whispers: Map<string, [string, string]>;
  noted: Noted;
  /** Every message up to this id is in place once this placement is. */
  placedThrough: number;
}

/**
 * The history's writes behind the live path, on one connection: chunks put in place with what the
 * locator noted, and the search index's steps. The server's store runs them on a thread of their
 * own (writer-thread.ts), on another connection to the same database, while its own connection
 * reads, edits and settles (history-sqlite.ts); a store without a file runs them itself.
 */
export class HistoryWriter {
  readonly place: (placement: Placement) => void;
  /** Feeds the search index whole chunks, oldest first, up to `limit` messages and chunk `upTo`; how many it took in. */
  readonly feedSearch: (limit: number, upTo: number) => number;
  /** Where each message id is (its conversation): the store's reads on this connection use it too. */
  readonly locator: Locator;

  constructor(database: Database.Database) {
    this.locator = new Locator(database);
    // the body goes in as its UTF-8 bytes, taken as text as they are: no JS string made of it. A
    // chunk there already is this one (its id is its newest message's): a job whose thread stopped
    // before it answered is put in place again by the store, and what it did write stays
    const insertChunk = database.prepare<[number, string, number, number, number, number, Uint8Array]>('insert or ignore into chunks (id, conversation, first, count, since, at, body) values (?, ?, ?, ?, ?, ?, cast(? as text))');
    const party = database.prepare<[string, string]>('insert or ignore into whisper_parties (identity, conversation) values (?, ?)');
    const counter = database.prepare<[number, string, number]>('update counters set value = ? where name = ? and value < ?');
    const write = database.transaction(({ chunks, whispers, noted, placedThrough }: Placement) => {
      let newest = 0;
      for (const c of chunks) {
        insertChunk.run(c.id, c.conversation, c.first, c.count, c.since, c.at, c.body);
        newest = Math.max(newest, c.id);
      }
      for (const [conversation, parties] of whispers) for (const identity of parties) party.run(identity, conversation);
      this.locator.write(noted);
      counter.run(newest, 'last_message_id', newest);
      counter.run(placedThrough, 'placed_through', placedThrough);
    });
    this.place = (placement) => {
      write(placement);
      this.locator.written();
    };
    const indexed = database.prepare<[], { value: number }>("select value from counters where name = 'last_indexed_id'");
    const next = database.prepare<[number, number, number], { id: number; count: number }>('select id, count from chunks where id > ? and id <= ? order by id limit ?');
    const bodies = database.prepare<[number, number], { conversation: string; body: string }>('select conversation, body from chunks where id > ? and id <= ? order by id');
    const feed = database.prepare<[number, string, string]>('insert into messages_fts (rowid, text, conversation) values (?, ?, ?)');
    const fed = database.prepare<[number]>("update counters set value = ? where name = 'last_indexed_id'");
    this.feedSearch = database.transaction((limit: number, upTo: number) => {
      const from = indexed.get()?.value ?? 0;
      let taken = 0;
      let last = from;
      for (const c of next.all(from, upTo, limit)) {
        taken += c.count;
        last = c.id;
        if (taken >= limit) break;
      }
      if (taken === 0) return 0;
      for (const c of bodies.all(from, last)) {
        const token = searchToken(c.conversation);
        for (const r of JSON.parse(c.body) as Row[]) if (r[ROW.deleted] === 0) feed.run(r[ROW.id], r[ROW.text], token);
      }
      fed.run(last);
      return taken;
    });
  }
}

import type Database from 'better-sqlite3';
import type { FirstReadable, StoredMessage } from '../core/ports.js';
import { messageOf, ROW, searchToken, type Row } from './chunks.js';
import type { Locator } from './locator.js';

/** Search hits fetched at a time, per message asked for (some may be in conversations not asked). */
const HITS_PER_RESULT = 2;

/** A chunk located: its id, and its rows decoded. */
export interface Located {
  chunk: number;
  rows: Row[];
  index: number;
}

/**
 * History's queries over the chunks of schema v10 (chunks.ts), in statements prepared once: a
 * conversation's chunks through its index, decoded in order, and each message checked as it comes.
 * The caller has moved into place every message appended before the query (history-sqlite.ts).
 */
export class HistoryReads {
  private readonly forward: Database.Statement<[string, number, number], { body: string }>;
  private readonly backward: Database.Statement<[string, number], { body: string }>;
  private readonly parties: Database.Statement<[string], { conversation: string }>;
  private readonly holding: Database.Statement<[string, number], { id: number; first: number; body: string }>;
  private readonly hits: Database.Statement<[string, number, number], { id: number }>;
  private readonly counter: Database.Statement<[string], { value: number }>;
  private readonly after_: Database.Statement<[number], { n: number }>;

  constructor(database: Database.Database, private readonly locator: Locator) {
    this.forward = database.prepare('select body from chunks where conversation = ? and id > ? and first < ? order by id');
    this.backward = database.prepare('select body from chunks where conversation = ? and first < ? order by id desc');
    this.parties = database.prepare('select conversation from whisper_parties where identity = ?');
    // the chunk of a conversation that holds an id, if any: the first that ends no earlier
    this.holding = database.prepare('select id, first, body from chunks where conversation = ? and id >= ? order by id limit 1');
    this.hits = database.prepare('select rowid as id from messages_fts where messages_fts match ? and rowid < ? order by rowid desc limit ?');
    this.counter = database.prepare('select value from counters where name = ?');
    this.after_ = database.prepare('select coalesce(sum(count), 0) as n from chunks where id > ?');
  }

  count(name: 'last_message_id' | 'last_indexed_id' | 'placed_through' | 'epoch'): number {
    return this.counter.get(name)?.value ?? 0;
  }

  /** Messages in chunks after chunk `id` (those the search index has yet to take in). */
  countAfter(id: number): number {
    return this.after_.get(id)!.n;
  }

  whispersOf(identity: string): string[] {
    return this.parties.all(identity).map((r) => r.conversation);
  }

  /** Messages of `conversation` with ids in (after, before) and from `first` on, oldest first, at most `limit`; none sent by `except`. */
  after(conversation: string, after: number, limit: number, { before = Number.MAX_SAFE_INTEGER, first = 0, except }: { before?: number; first?: number; except?: ReadonlySet<string> } = {}): StoredMessage[] {
    const found: StoredMessage[] = [];
    const from = Math.max(after + 1, first);
    if (limit <= 0) return found;
    for (const { body } of this.forward.iterate(conversation, from - 1, before)) {
      for (const r of JSON.parse(body) as Row[]) {
        if (r[ROW.id] < from || r[ROW.id] >= before || except?.has(r[ROW.sender])) continue;
        found.push(messageOf(r));
        if (found.length === limit) return found;
      }
    }
    return found;
  }

  /** Messages of `conversation` before id `before`, newest first, at most `limit`; none sent by `except`. */
  before(conversation: string, before: number, limit: number, except?: ReadonlySet<string>): StoredMessage[] {
    const found: StoredMessage[] = [];
    if (limit <= 0) return found;
    for (const { body } of this.backward.iterate(conversation, before)) {
      const rows = JSON.parse(body) as Row[];
      for (let i = rows.length - 1; i >= 0; i--) {
        const r = rows[i]!;
        if (r[ROW.id] >= before || except?.has(r[ROW.sender])) continue;
        found.push(messageOf(r));
        if (found.length === limit) return found;
      }
    }
    return found;
  }

  /**
   * What `identity` may read with ids in (after, before), oldest first, at most `limit`: each
   * conversation's first `limit`, merged by id.
   */
  catchUp({ identity, conversations, from, after, before, limit, except }: { identity: string; conversations: readonly string[]; from?: FirstReadable; after: number; before: number; limit: number; except?: ReadonlySet<string> }): StoredMessage[] {
    const keys = new Set([...conversations, ...this.whispersOf(identity)]);
    const found: StoredMessage[] = [];
    for (const key of keys) found.push(...this.after(key, after, limit, { before, first: from?.get(key) ?? 0, except }));
    return found.sort((a, b) => a.id - b.id).slice(0, limit);
  }

  /**
   * The message with id `id` and the chunk that holds it, among the conversations `within` (all, if
   * not given): its conversation is the locator's, the chunk that conversation's. `cache` keeps
   * what a caller reads for many ids (chunks decoded, locator blocks).
   */
  locate(id: number, within?: ReadonlySet<string>, cache: LocateCache = { chunks: new Map(), blocks: new Map() }): Located | undefined {
    const conversation = this.locator.conversationOf(id, cache.blocks);
    if (conversation === undefined || (within && !within.has(conversation))) return undefined;
    const c = this.holding.get(conversation, id);
    if (!c || c.first > id) return undefined;
    let rows = cache.chunks.get(c.id);
    if (!rows) {
      rows = JSON.parse(c.body) as Row[];
      cache.chunks.set(c.id, rows);
    }
    const index = indexOf(rows, id);
    return index < 0 ? undefined : { chunk: c.id, rows, index };
  }

  /**
   * Messages of `conversations` whose text has every word of `text`, newest first (ids before
   * `before`; of the conversations in `from`, ids from the one given; none sent by `except`), at
   * most `limit`. The index narrows the hits to those conversations' tokens; each hit is then read
   * from its chunk, and checked.
   */
  search({ conversations, from, text, limit, before = Number.MAX_SAFE_INTEGER, except }: { conversations: readonly string[]; from?: FirstReadable; text: string; limit: number; before?: number; except?: ReadonlySet<string> }): StoredMessage[] {
    const words = ftsQuery(text);
    if (conversations.length === 0 || words === undefined || limit <= 0) return [];
    const match = `{text} : (${words}) AND {conversation} : (${[...new Set(conversations.map(searchToken))].join(' OR ')})`;
    const within = new Set(conversations);
    const cache: LocateCache = { chunks: new Map(), blocks: new Map() };
    const found: StoredMessage[] = [];
    let cursor = before;
    const batch = limit * HITS_PER_RESULT;
    for (;;) {
      const hits = this.hits.all(match, cursor, batch);
      for (const { id } of hits) {
        const at = this.locate(id, within, cache);
        if (!at) continue;
        const r = at.rows[at.index]!;
        if (r[ROW.deleted] === 1 || except?.has(r[ROW.sender]) || id < (from?.get(r[ROW.conversation]) ?? 0)) continue;
        found.push(messageOf(r));
        if (found.length === limit) return found;
      }
      if (hits.length < batch) return found;
      cursor = hits[hits.length - 1]!.id;
    }
  }
}

/** What `locate` read, for the next ids: chunks decoded by id, the locator's blocks. */
interface LocateCache {
  chunks: Map<number, Row[]>;
  blocks: Map<number, Buffer | undefined>;
}

/** Where the row with id `id` is in `rows` (sorted by id), or -1. */
function indexOf(rows: readonly Row[], id: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = rows[mid]![ROW.id];
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A user's search words as an FTS5 query that cannot be malformed: each word quoted (so `"`, `*`,
 * `AND`, `NEAR(` mean nothing special), all of them required; undefined when there is no word.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.split(/\s+/u).filter(Boolean);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

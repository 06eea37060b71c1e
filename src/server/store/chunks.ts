import type { StoredMessage } from '../core/ports.js';

/**
 * History on SQLite keeps a conversation's messages in chunks: one row for a run of up to
 * CHUNK_MOST of its messages, moved into place together (schema v10). A row and its index entry a
 * chunk, not a message, is what makes keeping every message cheap: a whisper used to cost four
 * B-tree entries and a lobby message two, each written twice (WAL, then checkpoint).
 *
 * A chunk's id is its newest message's id (messages ids are the server's, increasing, never reused),
 * so chunks sort as their messages do. A chunk holds its conversation's messages from when it
 * opened until it is full or put in place (history-sqlite.ts: at most about a second), whatever
 * was said elsewhere meanwhile: which chunk holds a message id is found through the id's
 * conversation (locator.ts). Until schema v12, chunks ended with each block of 4096 ids, which
 * made 200 people's interleaved whispers a chunk each.
 */
export const CHUNK_MOST = 256;

/**
 * A message as a chunk and the turn log keep it: a JSON array of the columns, in this
 * order (schema.ts ChunksTable).
 */
export type Row = [id: number, conversation: string, at: number, sender: string, recipient: string | null, from: string, to: string, text: string, deleted: 0 | 1];
export const ROW = { id: 0, conversation: 1, at: 2, sender: 3, recipient: 4, text: 7, deleted: 8 } as const;

export function messageOf(r: Row): StoredMessage {
  return { id: r[0], conversation: r[1], at: r[2], sender: r[3], ...(r[4] !== null && { recipient: r[4] }), from: r[5], to: r[6], text: r[7], deleted: r[8] === 1 };
}

/** A sender's columns in a conversation, and their JSON between a row's id and time, and between its time and text. */
interface Parties {
  conversation: string;
  sender: string;
  recipient: string | undefined;
  from: string;
  to: string;
  json: [string, string];
}
/** Senders' and conversations' row JSON kept (beyond, the map starts anew). */
const PARTIES_MOST = 10_000;

/**
 * Rows as JSON, as `JSON.stringify` writes a Row: a message's columns but its id, time and text
 * are those of the sender's earlier messages there, so their JSON is kept and joined (a row costs
 * half as much to write on the live path).
 */
export class RowJson {
  private readonly parties = new Map<string, Parties>();

  of(m: StoredMessage): string {
    const key = `${m.conversation}\n${m.sender}`;
    let p = this.parties.get(key);
    if (p === undefined || p.conversation !== m.conversation || p.sender !== m.sender || p.recipient !== m.recipient || p.from !== m.from || p.to !== m.to) {
      if (this.parties.size >= PARTIES_MOST) this.parties.clear();
      const json = JSON.stringify;
      p = {
        conversation: m.conversation, sender: m.sender, recipient: m.recipient, from: m.from, to: m.to,
        json: [`${json(m.conversation)},`, `,${json(m.sender)},${json(m.recipient ?? null)},${json(m.from)},${json(m.to)},`],
      };
      this.parties.set(key, p);
    }
    return `[${m.id},${p.json[0]}${m.at}${p.json[1]}${JSON.stringify(m.text)},${m.deleted ? 1 : 0}]`;
  }
}

/** A chunk to be written: its body is its rows' JSON joined (`rows`, as UTF-8). */
export interface Chunk {
  id: number;
  conversation: string;
  first: number;
  count: number;
  /** Its oldest and newest message's times (retention by age). */
  since: number;
  at: number;
  rows: ByteRun;
}

/** Buffers of written chunks kept for the next ones (allocating them anew costs garbage collections). */
const SPARE_MOST = 256;

/**
 * Bytes appended to a buffer that grows, off the JS heap: messages wait for their chunk as UTF-8
 * here, not as strings the garbage collector would copy at every young-generation sweep.
 */
export class ByteRun {
  buffer: Buffer;
  length = 0;

  constructor(size = 256) {
    this.buffer = Buffer.allocUnsafeSlow(size);
  }

  text(s: string): void {
    this.room(3 * s.length); // UTF-8 takes at most 3 bytes a UTF-16 unit
    this.length += this.buffer.write(s, this.length);
  }

  byte(b: number): void {
    this.room(1);
    this.buffer[this.length++] = b;
  }

  copy(from: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.length += from.copy(this.buffer, this.length, start, end);
  }

  /** The bytes appended (a view: valid until the next change). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private room(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.length + more));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;

interface OpenChunk {
  first: number;
  last: number;
  since: number;
  at: number;
  count: number;
  /** `[` and its rows so far, with commas between. */
  rows: ByteRun;
}

/**
 * Gathers messages, given in id order with each one's row as JSON (bytes), into chunks: per
 * conversation, runs of up to CHUNK_MOST. A chunk closes when it is full; the open ones close
 * when taken.
 */
export class Chunker {
  private readonly open = new Map<string, OpenChunk>();
  private closed: Chunk[] = [];
  private readonly spare: ByteRun[] = [];
  /** Messages held, in open chunks and in closed ones not yet taken. */
  count = 0;
  /** Messages in the closed chunks not yet taken. */
  closedCount = 0;
  /** The newest id given. */
  newest = 0;

  /** A message whose row is `row`'s bytes from `start` to `end`. */
  add(id: number, conversation: string, at: number, row: Buffer, start: number, end: number): void {
    let chunk = this.open.get(conversation);
    if (!chunk) {
      const rows = this.spare.pop() ?? new ByteRun();
      rows.length = 0;
      chunk = { first: id, last: id, since: at, at, count: 0, rows };
      rows.byte(OPEN);
      this.open.set(conversation, chunk);
    } else {
      chunk.rows.byte(COMMA);
    }
    chunk.rows.copy(row, start, end);
    chunk.last = id;
    chunk.at = at;
    chunk.count++;
    this.count++;
    this.newest = id;
    if (chunk.count === CHUNK_MOST) this.close(conversation, chunk); // full: in place with this turn
  }

  /** Every chunk, the open ones closed. */
  takeAll(): Chunk[] {
    this.closeOpen();
    return this.take(Infinity);
  }

  /** The open chunks close (after those closed already, oldest first). */
  closeOpen(): void {
    for (const [conversation, chunk] of this.open) this.close(conversation, chunk);
  }

  /** The closed chunks that closed first, as many as hold `most` messages (the one that reaches it included). */
  take(most: number): Chunk[] {
    let messages = 0;
    let n = 0;
    while (n < this.closed.length && messages < most) messages += this.closed[n++]!.count;
    const taken = this.closed.splice(0, n);
    this.count -= messages;
    this.closedCount -= messages;
    return taken;
  }

  /** Chunks taken that could not be written: held again, to be taken with the next. */
  putBack(chunks: readonly Chunk[]): void {
    this.closed.unshift(...chunks);
    for (const c of chunks) {
      this.count += c.count;
      this.closedCount += c.count;
    }
  }

  /** Chunks taken and written: their buffers serve again. */
  written(chunks: readonly Chunk[]): void {
    for (const c of chunks) if (this.spare.length < SPARE_MOST) this.spare.push(c.rows);
  }

  /** The oldest id held; undefined when none is. */
  oldest(): number | undefined {
    let oldest: number | undefined;
    for (const c of this.closed) if (oldest === undefined || c.first < oldest) oldest = c.first;
    for (const c of this.open.values()) if (oldest === undefined || c.first < oldest) oldest = c.first;
    return oldest;
  }

  private close(conversation: string, c: OpenChunk): void {
    c.rows.byte(CLOSE);
    this.closed.push({ id: c.last, conversation, first: c.first, count: c.count, since: c.since, at: c.at, rows: c.rows });
    this.closedCount += c.count;
    this.open.delete(conversation);
  }
}

/**
 * The token that stands for a conversation in the search index (its `conversation` column), so a
 * search looks only at the conversations its reader may read. Two conversations may share one
 * (a 32-bit hash): a hit is checked against the conversation it really is in.
 */
export function searchToken(conversation: string): string {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < conversation.length; i++) h = Math.imul(h ^ conversation.charCodeAt(i), 0x01000193);
  return `c${(h >>> 0).toString(36)}`;
}

import type { StoredMessage } from '../core/ports.js';

/**
 * History on SQLite keeps a conversation's messages in chunks: one row for a run of up to
 * CHUNK_MOST of its messages, moved into place together (schema v10). A row and its index entry a
 * chunk, not a message, is what makes keeping every message cheap: a whisper used to cost four
 * B-tree entries and a lobby message two, each written twice (WAL, then checkpoint).
 *
 * A chunk's id is its newest message's id (messages ids are the server's, increasing, never reused),
 * so chunks sort as their messages do. A chunk never spans two blocks of CHUNK_SPAN ids: the chunk
 * holding a message id is found among the few whose ids fall in that id's block (`blockEnd`).
 */
export const CHUNK_MOST = 256;
/** A power of two; schema v10's migration cut chunks on the same blocks (a larger power of two would still hold them). */
export const CHUNK_SPAN = 4096;

/**
 * A message as a chunk, the turn log and the journal keep it: a JSON array of the columns, in this
 * order (schema.ts ChunksTable).
 */
export type Row = [id: number, conversation: string, at: number, sender: string, recipient: string | null, from: string, to: string, text: string, deleted: 0 | 1];
export const ROW = { id: 0, conversation: 1, at: 2, sender: 3, recipient: 4, text: 7, deleted: 8 } as const;

export function rowOf(m: StoredMessage): Row {
  return [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, m.deleted ? 1 : 0];
}

export function messageOf(r: Row): StoredMessage {
  return { id: r[0], conversation: r[1], at: r[2], sender: r[3], ...(r[4] !== null && { recipient: r[4] }), from: r[5], to: r[6], text: r[7], deleted: r[8] === 1 };
}

/** The last id of the block of CHUNK_SPAN ids that holds `id`. */
export function blockEnd(id: number): number {
  return id - (id % CHUNK_SPAN) + CHUNK_SPAN - 1;
}

/** A chunk as written: its rows' JSON joined into the body. */
export interface Chunk {
  id: number;
  conversation: string;
  first: number;
  count: number;
  /** Its oldest and newest message's times (retention by age). */
  since: number;
  at: number;
  body: string;
}

interface OpenChunk {
  first: number;
  last: number;
  since: number;
  at: number;
  rows: string[];
}

/**
 * Gathers messages, given in id order with each one's row as JSON, into chunks: per conversation,
 * runs of up to CHUNK_MOST within one block of ids.
 */
export class Chunker {
  private readonly open = new Map<string, OpenChunk>();
  private readonly done: Chunk[] = [];
  count = 0;
  newest = 0;

  add(id: number, conversation: string, at: number, row: string): void {
    let chunk = this.open.get(conversation);
    if (chunk && (chunk.rows.length >= CHUNK_MOST || blockEnd(chunk.first) < id)) {
      this.close(conversation, chunk);
      chunk = undefined;
    }
    if (!chunk) this.open.set(conversation, (chunk = { first: id, last: id, since: at, at, rows: [] }));
    chunk.rows.push(row);
    chunk.last = id;
    chunk.at = at;
    this.count++;
    this.newest = id;
  }

  /** The chunks, every one closed. */
  chunks(): Chunk[] {
    for (const [conversation, chunk] of this.open) this.close(conversation, chunk);
    this.open.clear();
    return this.done;
  }

  private close(conversation: string, c: OpenChunk): void {
    this.done.push({ id: c.last, conversation, first: c.first, count: c.rows.length, since: c.since, at: c.at, body: `[${c.rows.join(',')}]` });
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

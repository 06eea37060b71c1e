import { MESSAGE_HEADER_BYTES, MsgType, NAME_BYTES } from './constants.js';
import type { FrameHandler } from './framed.js';

/** Classic messages of a fixed size: type + one name field. */
const FIXED_BYTES = 1 + NAME_BYTES;

/**
 * Splits a classic HCP/1 byte stream into messages. The classic form has no framing: the 2016
 * programs treat one TCP read as one message (docs/protocol.md §4). So:
 * - PROPOSAL, ACK, NAK are exactly 65 bytes, and are waited for if a read splits them; a PROPOSAL
 *   with more bytes in its read (a name over 64 bytes) takes them all, to be refused whole;
 * - a MESSAGE is its 129-byte header (waited for) plus the text up to the end of the bytes
 *   received so far, unless a NUL-padded message header follows inside it (a text holds neither
 *   NULs nor type bytes): then two messages were read together and are split there. It is not
 *   cut at 4096 bytes: a longer text is handed on whole, for the server to refuse (docs/protocol.md
 *   §4), never delivered cut;
 * - an UPDATE runs to the end of the read, in whole 64-byte names; a slot whose first byte is a
 *   control byte cannot start a name, so a message read together with it is split off there;
 * - an unknown type takes the rest of the read with it, to be ignored.
 */
export class ClassicDecoder {
  private partial: Uint8Array | undefined;

  constructor(private readonly onMessage: FrameHandler) {}

  get buffered(): number {
    return this.partial?.length ?? 0;
  }

  push(chunk: Uint8Array): void {
    if (this.partial) {
      const joined = new Uint8Array(this.partial.length + chunk.length);
      joined.set(this.partial);
      joined.set(chunk, this.partial.length);
      chunk = joined;
      this.partial = undefined;
    }
    let at = 0;
    while (at < chunk.length) {
      const end = messageEnd(chunk, at);
      if (end === undefined) {
        this.partial = chunk.slice(at);
        return;
      }
      this.onMessage(chunk[at]!, chunk.subarray(at + 1, end));
      at = end;
    }
  }
}

/**
 * Whether a classic message plausibly starts at `j` inside a MESSAGE's text: a type byte followed
 * by NUL-padded name fields. Text never holds NUL bytes, so this splits two messages that one read
 * joined (a sender typing fast, or a busy network) without cutting real text.
 */
function startsMessage(chunk: Uint8Array, j: number): boolean {
  if (chunk[j]! < MsgType.PROPOSAL || chunk[j]! > MsgType.MESSAGE) return false;
  const fields = chunk[j] === MsgType.MESSAGE ? 2 : 1;
  if (chunk.length - j - 1 < fields * NAME_BYTES) return false;
  for (let f = 0; f < fields; f++) if (!isPaddedName(chunk, j + 1 + f * NAME_BYTES)) return false;
  return true;
}

/** A 64-byte field holding a non-empty name followed by at least one NUL, and only NULs after. */
function isPaddedName(chunk: Uint8Array, at: number): boolean {
  if (chunk[at]! < 0x20) return false;
  let end = at + NAME_BYTES;
  if (chunk[end - 1] !== 0) return false;
  while (chunk[end - 1] === 0) end--;
  for (let i = at; i < end; i++) if (chunk[i] === 0) return false;
  return true;
}

/** Where the classic message starting at `at` ends, or undefined if more bytes are needed. */
function messageEnd(chunk: Uint8Array, at: number): number | undefined {
  const available = chunk.length - at;
  switch (chunk[at]) {
    case MsgType.PROPOSAL:
      // A name longer than its field arrives as a longer read: the proposal runs to the end of the
      // read (for the server to refuse, never to cut), unless a message begins right after it.
      if (available < FIXED_BYTES) return undefined;
      return available === FIXED_BYTES || startsMessage(chunk, at + FIXED_BYTES) ? at + FIXED_BYTES : chunk.length;
    case MsgType.ACK:
    case MsgType.NAK:
      return available >= FIXED_BYTES ? at + FIXED_BYTES : undefined;
    case MsgType.MESSAGE: {
      if (available < MESSAGE_HEADER_BYTES) return undefined;
      for (let j = at + MESSAGE_HEADER_BYTES; j < chunk.length; j++) {
        if (chunk[j]! <= MsgType.MESSAGE && chunk[j]! >= MsgType.PROPOSAL && startsMessage(chunk, j)) return j;
      }
      return chunk.length;
    }
    case MsgType.UPDATE: {
      let end = at + 1;
      while (end < chunk.length && chunk[end]! >= 0x20) {
        if (chunk.length - end < NAME_BYTES) return undefined; // a name cut by the read: wait
        end += NAME_BYTES;
      }
      return end;
    }
    default:
      return chunk.length;
  }
}

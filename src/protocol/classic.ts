import { CLASSIC_MAX_PACKET, MESSAGE_HEADER_BYTES, MsgType, NAME_BYTES } from './constants.js';
import type { FrameHandler } from './framed.js';

/** Classic messages of a fixed size: type + one name field. */
const FIXED_BYTES = 1 + NAME_BYTES;

/**
 * Splits a classic HCP/1 byte stream into messages. The classic form has no framing: the 2016
 * programs treat one TCP read as one message (PROTOCOL-DECISIONS §1). So:
 * - PROPOSAL, ACK, NAK are exactly 65 bytes, and are waited for if a read splits them;
 * - a MESSAGE is its 129-byte header (waited for) plus the text up to the end of the bytes
 *   received so far, at most 4096 bytes in all;
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

/** Where the classic message starting at `at` ends, or undefined if more bytes are needed. */
function messageEnd(chunk: Uint8Array, at: number): number | undefined {
  const available = chunk.length - at;
  switch (chunk[at]) {
    case MsgType.PROPOSAL:
    case MsgType.ACK:
    case MsgType.NAK:
      return available >= FIXED_BYTES ? at + FIXED_BYTES : undefined;
    case MsgType.MESSAGE:
      return available >= MESSAGE_HEADER_BYTES ? at + Math.min(available, CLASSIC_MAX_PACKET) : undefined;
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

import { FRAME_HEADER_BYTES, PREFACE } from './constants.js';
import { ErrorCode, HcpError } from './errors.js';
import { readU32 } from './messages.js';

/**
 * Called once per complete message; `body` is a view into the received bytes (no copy). The
 * framed decoder also passes the whole frame (length prefix included), so a relay can forward
 * the bytes it received.
 */
export type FrameHandler = (type: number, body: Uint8Array, frame?: Uint8Array) => void;

export interface FramedDecoderOptions {
  /** Largest accepted frame length (type + body); longer frames are a protocol error. */
  maxFrameBytes: number;
}

/**
 * Incremental decoder of framed HCP/2 (u32 big-endian length, then type + body). Push chunks as
 * they arrive, however the stream is split or joined; complete frames are handed to `onFrame` as
 * views of the chunk. Throws HcpError (fatal) on a zero length or one above the maximum, as soon
 * as the length is known, without waiting for the body.
 */
export class FramedDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes needed before the pending parts can make progress. */
  private needed = 0;

  constructor(
    private readonly options: FramedDecoderOptions,
    private readonly onFrame: FrameHandler,
  ) {}

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.needed) return;
      chunk = concatBytes(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let at = 0;
    while (chunk.length - at >= FRAME_HEADER_BYTES) {
      const length = readU32(chunk, at);
      this.check(length);
      const end = at + FRAME_HEADER_BYTES + length;
      if (end > chunk.length) break;
      // plain Uint8Array views: cheaper to make than Buffer.subarray's
      const base = chunk.byteOffset + at;
      this.onFrame(
        chunk[at + FRAME_HEADER_BYTES]!,
        new Uint8Array(chunk.buffer, base + FRAME_HEADER_BYTES + 1, length - 1),
        new Uint8Array(chunk.buffer, base, FRAME_HEADER_BYTES + length),
      );
      at = end;
    }
    if (at < chunk.length) {
      const rest = chunk.subarray(at);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
      this.needed = rest.length >= FRAME_HEADER_BYTES ? FRAME_HEADER_BYTES + readU32(rest, 0) : FRAME_HEADER_BYTES;
    }
  }

  private check(length: number): void {
    if (length === 0) throw new HcpError(ErrorCode.MALFORMED, 'a frame of length 0 has no type', true);
    if (length > this.options.maxFrameBytes) {
      throw new HcpError(
        ErrorCode.FRAME_TOO_LARGE,
        `a frame of ${length} bytes exceeds the limit of ${this.options.maxFrameBytes}`,
        true,
      );
    }
  }
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** True when `bytes` starts with (as much as it has of) the HCP/2 preface. */
export function matchesPrefacePrefix(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, PREFACE.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== PREFACE[i]) return false;
  return true;
}

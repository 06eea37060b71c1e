import { ErrorCode, HcpError } from './errors.js';
import { utf8DecodeStrict } from './utf8.js';

/**
 * Reads the fields of a body in order: each read checks that the bytes are there, so no caller
 * counts offsets, and a body cut short is MALFORMED, never a read past its end.
 */
export class ByteReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u8(): number {
    return this.take(1)[0]!;
  }

  u16(): number {
    const b = this.take(2);
    return (b[0]! << 8) | b[1]!;
  }

  u32(): number {
    const b = this.take(4);
    return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  }

  /** A u64 as a number: MALFORMED beyond 2^53 − 1, where numbers stop being exact. */
  u64(): number {
    const high = this.u32();
    const low = this.u32();
    if (high > 0x1fffff) throw new HcpError(ErrorCode.MALFORMED, 'a u64 field is beyond 2^53 - 1');
    return high * 0x1_0000_0000 + low;
  }

  /** The next `length` bytes, as a view. */
  take(length: number): Uint8Array {
    if (length > this.remaining) throw new HcpError(ErrorCode.MALFORMED, `a field of ${length} bytes runs past the end of the frame`);
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  /** The rest of the body, as a view. */
  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  /** `length` bytes of UTF-8 (the rest of the body when omitted), decoded strictly. */
  utf8(length = this.remaining): string {
    const text = utf8DecodeStrict(this.take(length));
    if (text === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'a text field is not valid UTF-8');
    return text;
  }
}

/**
 * Writes a frame's fields in order into a buffer of the exact size, known beforehand from the
 * fields (`ByteWriter.frame` sizes it): u32 length, type, then the body.
 */
export class ByteWriter {
  private at = 0;
  readonly out: Uint8Array;

  constructor(size: number) {
    this.out = new Uint8Array(size);
  }

  /** A writer for a frame of `type` whose body is `bodyBytes` long, the length and type written. */
  static frame(type: number, bodyBytes: number): ByteWriter {
    return new ByteWriter(4 + 1 + bodyBytes).u32(1 + bodyBytes).u8(type);
  }

  u8(value: number): this {
    this.out[this.at++] = value;
    return this;
  }

  u16(value: number): this {
    this.out[this.at++] = value >>> 8;
    this.out[this.at++] = value & 0xff;
    return this;
  }

  u64(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${value} is not a u64 this writer can write exactly`);
    return this.u32(Math.floor(value / 0x1_0000_0000)).u32(value % 0x1_0000_0000);
  }

  u32(value: number): this {
    this.out[this.at++] = value >>> 24;
    this.out[this.at++] = (value >>> 16) & 0xff;
    this.out[this.at++] = (value >>> 8) & 0xff;
    this.out[this.at++] = value & 0xff;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.out.set(value, this.at);
    this.at += value.length;
    return this;
  }

  /** Skips `length` bytes, left 0x00 (a name field's padding). */
  zeros(length: number): this {
    this.at += length;
    return this;
  }

  /** The buffer, checked to be exactly full. */
  done(): Uint8Array {
    if (this.at !== this.out.length) throw new Error(`a frame was sized ${this.out.length} bytes but written ${this.at}`);
    return this.out;
  }
}

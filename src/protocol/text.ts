import { ErrorCode, HcpError } from './errors.js';

/**
 * The control bytes a text may hold: TAB, LF and CR (docs/protocol.md §3, "Texts"). Every other
 * C0 byte is refused: a classic reader tells where one message ends and the next begins by a type
 * byte (`01`–`05`) followed by NUL-padded name fields, so a text holding them could forge a message
 * from someone else for that reader; and ESC would reach terminals as commands.
 */
const ALLOWED_CONTROLS = (1 << 0x09) | (1 << 0x0a) | (1 << 0x0d);

/** Whether a byte (or UTF-16 code unit) is a control a text may not hold. */
function isForbiddenControl(code: number): boolean {
  return code < 0x20 && ((ALLOWED_CONTROLS >>> code) & 1) === 0;
}

/**
 * Index of the first forbidden control byte in bytes[start, end), or -1 when there is none.
 * It runs on every relayed text, so it reads sixteen bytes at a time as four 32-bit words: a word
 * holds a byte below 0x20 exactly when (w − 0x20202020) & ~w & 0x80808080 is not 0, and only such
 * a stretch is looked at byte by byte (a text with line breaks costs a few of those).
 */
export function forbiddenTextByteAt(bytes: Uint8Array, start: number, end: number): number {
  const base = bytes.byteOffset;
  const firstWord = (base + start + 3) >>> 2;
  const endWord = (base + end) >>> 2;
  if (firstWord + 4 > endWord) return forbiddenByteAt(bytes, start, end);
  const head = forbiddenByteAt(bytes, start, (firstWord << 2) - base);
  if (head >= 0) return head;
  const v = wordsOf(bytes.buffer);
  let w = firstWord;
  for (; w + 3 < endWord; w += 4) {
    const a = v[w]!, b = v[w + 1]!, c = v[w + 2]!, d = v[w + 3]!;
    const low = ((a - 0x20202020) & ~a) | ((b - 0x20202020) & ~b) | ((c - 0x20202020) & ~c) | ((d - 0x20202020) & ~d);
    if ((low & 0x80808080) !== 0) {
      const at = (w << 2) - base;
      const found = forbiddenByteAt(bytes, at, at + 16);
      if (found >= 0) return found;
    }
  }
  return forbiddenByteAt(bytes, (w << 2) - base, end);
}

function forbiddenByteAt(bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (isForbiddenControl(bytes[i]!)) return i;
  }
  return -1;
}

/** A word view of the buffer the last texts came in: a socket read holds many messages. */
let lastBuffer: ArrayBufferLike | undefined;
let lastWords: Int32Array<ArrayBufferLike> = new Int32Array(0);
function wordsOf(buffer: ArrayBufferLike): Int32Array<ArrayBufferLike> {
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastWords = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return lastWords;
}

/** Throws TEXT_INVALID when `text` holds a control character a text may not carry. */
export function checkTextCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isForbiddenControl(c)) throw new HcpError(ErrorCode.TEXT_INVALID, controlCharReason(c));
  }
}

export function controlCharReason(byte: number): string {
  return `the text holds the control character 0x${byte.toString(16).padStart(2, '0')}; only tab and line breaks are allowed`;
}

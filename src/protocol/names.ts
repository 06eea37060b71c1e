import { ALL, NAME_BYTES, RESERVED_NAMES, ROOM_PREFIX } from './constants.js';
import { ErrorCode, HcpError } from './errors.js';
import { lengthWithoutTrailingNuls, utf8DecodeLenient, utf8DecodeStrict, utf8Encode } from './utf8.js';

/**
 * The key under which a name is unique (docs/protocol.md §2): case-insensitive, so
 * "Alice" blocks "alice". Upper-then-lower approximates full Unicode case folding (ß ≡ SS).
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}

const RESERVED_KEYS = new Set(RESERVED_NAMES.map(nameKey));
const CONTROL = /\p{Cc}/u;
const EDGE_SPACE = /^\s|\s$/u;

export function isReservedName(name: string): boolean {
  return RESERVED_KEYS.has(nameKey(name));
}

/**
 * Applies the name rules (docs/protocol.md §2) and returns the NFC form to register,
 * or throws an HcpError saying which rule the name breaks.
 */
export function validateName(proposed: string): string {
  const name = applyNameRules(proposed, 'the name');
  if (isReservedName(name)) throw new HcpError(ErrorCode.NAME_RESERVED, `"${name}" is reserved`);
  if (name.startsWith(ROOM_PREFIX)) throw new HcpError(ErrorCode.NAME_RESERVED, `names starting with ${ROOM_PREFIX} are rooms'`);
  return name;
}

/**
 * The rules users' and rooms' names share (docs/protocol.md §2, §10.4): the NFC form, 1 to 64
 * bytes, no control character, no white space at either end; throws NAME_INVALID naming `what`.
 */
export function applyNameRules(proposed: string, what: string): string {
  const name = proposed.normalize('NFC');
  const bytes = utf8Encode(name).length;
  if (bytes === 0) throw new HcpError(ErrorCode.NAME_INVALID, `${what} is empty`);
  if (bytes > NAME_BYTES) {
    throw new HcpError(ErrorCode.NAME_INVALID, `${what} is ${bytes} bytes long; at most ${NAME_BYTES} are allowed`);
  }
  if (CONTROL.test(name)) throw new HcpError(ErrorCode.NAME_INVALID, `${what} contains a control character`);
  if (EDGE_SPACE.test(name)) throw new HcpError(ErrorCode.NAME_INVALID, `${what} starts or ends with white space`);
  return name;
}

/** Writes `name` into a 64-byte NUL-padded field at `offset` of `out`. */
export function writeNameField(out: Uint8Array, offset: number, name: string): void {
  const bytes = utf8Encode(name);
  if (bytes.length > NAME_BYTES) {
    throw new HcpError(ErrorCode.NAME_INVALID, `a name field holds at most ${NAME_BYTES} bytes`);
  }
  out.set(bytes, offset); // the rest stays 0x00: callers pass zero-filled buffers
}

/** `name` as a 64-byte NUL-padded field of its own. */
export function encodeNameField(name: string): Uint8Array {
  const field = new Uint8Array(NAME_BYTES);
  writeNameField(field, 0, name);
  return field;
}

/** The receiver field meaning everyone but the sender. */
export const ALL_FIELD = encodeNameField(ALL);

/** Reads a 64-byte name field: trailing NULs dropped, UTF-8 decoded strictly. */
export function readNameField(field: Uint8Array): string {
  const name = utf8DecodeStrict(field.subarray(0, lengthWithoutTrailingNuls(field)));
  if (name === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'a name field is not valid UTF-8');
  return name;
}

/** Reads a name field that is only shown, never matched (a NAK's echo): invalid UTF-8 becomes U+FFFD. */
export function readEchoedNameField(field: Uint8Array): string {
  return utf8DecodeLenient(field.subarray(0, lengthWithoutTrailingNuls(field)));
}

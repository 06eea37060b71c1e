import { ALL, ALL_FIELD, NAME_BYTES, nameKey } from '../../protocol/index.js';

/**
 * The lobby: every online user, classic peers included, addressed as receiver "All"
 * (docs/protocol.md §1, §2). "All" is known to the core here and nowhere else.
 */
export const LOBBY = Symbol('lobby');
export type Lobby = typeof LOBBY;

/** The lobby's name key: a receiver field written "all", "ALL", … */
export const LOBBY_KEY = nameKey(ALL);
/** The lobby's receiver field as relayed: "All", NUL-padded. */
export const LOBBY_FIELD = ALL_FIELD;
export const LOBBY_NAME = ALL;

/** Whether bytes[at, at + length) spell "All" exactly: the lobby, found without decoding. */
export function isLobbyField(bytes: Uint8Array, at: number, length: number): boolean {
  if (length !== LOBBY_NAME.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== LOBBY_FIELD[i]) return false;
  return true;
}

/** A field's length once its NUL padding is dropped (the field is 64 bytes at bytes[at]). */
export function fieldLength(bytes: Uint8Array, at: number): number {
  let length = NAME_BYTES;
  while (length > 0 && bytes[at + length - 1] === 0) length--;
  return length;
}

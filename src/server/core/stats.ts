/** Whom a MESSAGE was said to: everyone, a room, or one person (docs/protocol.md §2, §10.4). */
export type MessageKind = 'lobby' | 'room' | 'whisper';

/**
 * The core's running counts: plain numbers bumped where the work is done (a field `+= 1` on the
 * message path, never a metrics library's call), read by the server's metrics when scraped.
 */
export interface CoreStats {
  /** MESSAGEs relayed, by kind. */
  readonly messages: Record<MessageKind, number>;
  /** Receivers they went to: each message times its audience (the sender's echo not counted). */
  readonly deliveries: Record<MessageKind, number>;
  /** Names accepted: as a guest, or logged in to (or creating) an account. */
  readonly registrations: { guest: number; account: number };
  /** Refusals after which the connection goes on (names, requests, messages), by error code name. */
  readonly refusals: Map<string, number>;
  /** Connections ended by the server over an error (slow readers, flooders, limits), by error code name. */
  readonly drops: Map<string, number>;
}

export function newStats(): CoreStats {
  return {
    messages: { lobby: 0, room: 0, whisper: 0 },
    deliveries: { lobby: 0, room: 0, whisper: 0 },
    registrations: { guest: 0, account: 0 },
    refusals: new Map(),
    drops: new Map(),
  };
}

/** Counts one more of `key`. */
export function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

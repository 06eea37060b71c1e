import type { PeerLink } from './peer.js';

/**
 * The seams of the chat core: what it needs of the directory of names and of the router, as
 * interfaces. The server uses the in-process implementations (directory.ts, router.ts); other
 * implementations (an accounts-aware directory, a router spanning several nodes) fulfil the same
 * contracts without the core changing.
 */

/** A connection as the directory and router know it: who it is and how to reach it. */
export interface Member {
  readonly id: number;
  readonly link: PeerLink;
  /** The registered name (NFC) and its key; undefined until the name is accepted. */
  readonly name: string | undefined;
  readonly key: string | undefined;
  /** The name as its 64-byte NUL-padded field, and the bytes of the name in it. */
  readonly nameField: Uint8Array | undefined;
  readonly nameLength: number;
}

/** The names online: who holds which name, found by key or by a field's exact bytes. */
export interface Directory<M extends Member> {
  /**
   * Takes the name (already valid, with `member.key` set) for `member`: true, or false when someone
   * holds it in any case. May answer later (a password check, a shared directory): the caller
   * copes with the member leaving meanwhile.
   */
  claim(member: M): boolean | Promise<boolean>;
  /** Gives the member's name back; nothing if it held none. */
  release(member: M): void;
  /** The member holding the name with this key. */
  byKey(key: string): M | undefined;
  /** The member whose name is exactly bytes[at, at + length): the receiver lookup of every message. */
  byField(bytes: Uint8Array, at: number, length: number): M | undefined;
  /** Members online, in order of claiming. */
  online(): Iterable<M>;
  readonly size: number;
}

/** Delivery of frames: to one member, or to everyone in the lobby but the sender. */
export interface Router<M extends Member> {
  /** `member` is now in the lobby (its name accepted). */
  enter(member: M): void;
  /** `member` has left the lobby. */
  leave(member: M): void;
  toMember(member: M, frame: Uint8Array): void;
  /** `frame` for every member in the lobby but `sender`; returns how many it went to. */
  toLobby(sender: M, frame: Uint8Array): number;
}

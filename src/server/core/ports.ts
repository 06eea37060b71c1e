import type { RoomHistory } from '../../protocol/index.js';
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
  /** Takes messages as STAMPED frames (granted `history`, docs/protocol.md §11), not MESSAGE. */
  readonly stamped: boolean;
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
  /**
   * `frame` for every member in the lobby but `sender`, or, for members taking the stamped form,
   * `stamped` (the sender too: its echo) when given; never to the links in `except` (those who
   * block the sender, docs/protocol.md §10.7; undefined nearly always); returns how many it went to.
   */
  toLobby(sender: M, frame: Uint8Array, stamped?: Uint8Array, except?: ReadonlySet<PeerLink>): number;
  /** `member` (online) is now in the room with key `room`: what is said there reaches it. */
  enterRoom(member: M, room: string): void;
  leaveRoom(member: M, room: string): void;
  /** As toLobby, for the online members of the room (`sender` may be none: an event); returns how many it went to. */
  toRoom(sender: M | undefined, room: string, frame: Uint8Array, stamped?: Uint8Array, except?: ReadonlySet<PeerLink>): number;
}

/**
 * What the core keeps on disk, as interfaces with no engine in them: the server opens one Store at
 * start (SQLite by default, nothing kept with --ephemeral) and a later multi-node server can give
 * it another (PostgreSQL) without the core changing. Every call may fail with a StoreError.
 */
export interface Store {
  readonly accounts: AccountStore;
  readonly rooms: RoomStore;
  readonly history: HistoryStore;
  readonly moderation: ModerationStore;
  readonly blocks: BlockStore;
  /** Where the data lives, for the log: a file, or "memory" when nothing is kept. */
  readonly location: string;
  /** A trivial query: resolves when the store answers (readiness), fails with a StoreError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How a password is kept: never the password, only what checks it (passwords.ts makes and checks it). */
export interface PasswordRecord {
  readonly scheme: 'scrypt';
  /** scrypt's cost parameters, kept with each hash so they can be raised for new hashes later. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keylen: number;
  /** Base64 of the user's random salt and of the derived key. */
  readonly salt: string;
  readonly hash: string;
}

export type PresenceStatus = 'available' | 'away' | 'busy';
export const PRESENCE_STATUSES: readonly PresenceStatus[] = ['available', 'away', 'busy'];

export interface Profile {
  readonly displayName: string;
  readonly about: string;
  readonly status: PresenceStatus;
  /** Free text with the status ("back at 3"); empty when none. */
  readonly statusMessage: string;
}

export interface Account {
  /** The name's case-insensitive key (the Directory's key): the account's identity. */
  readonly key: string;
  /** The name as registered (NFC), as others see it written. */
  readonly name: string;
  readonly password: PasswordRecord;
  readonly createdAt: Date;
  /** When the user was last online, if it has been and gone. */
  readonly lastSeen?: Date | undefined;
}

/** Registered accounts and their profiles. */
export interface AccountStore {
  /** Registers `name` under `key`, with a profile showing the name; NAME_TAKEN if the key is registered. */
  create(account: { key: string; name: string; password: PasswordRecord }): Promise<Account>;
  get(key: string): Promise<Account | undefined>;
  /** Notes that the account's user was online until `at` (nothing if there is no such account). */
  seen(key: string, at: Date): Promise<void>;
  /** Every registered name's key: the core loads them once, to check each proposal without a query. */
  keys(): Promise<string[]>;
  /** NO_SUCH_ACCOUNT if the key is not registered. */
  setPassword(key: string, password: PasswordRecord): Promise<void>;
  /** Removes the account and its profile; false if there was none. */
  delete(key: string): Promise<boolean>;
  profile(key: string): Promise<Profile | undefined>;
  /** Changes the fields given and returns the whole profile; NO_SUCH_ACCOUNT if the key is not registered. */
  setProfile(key: string, changes: Partial<Profile>): Promise<Profile>;
}

export type RoomRole = 'owner' | 'operator' | 'member';
export const ROOM_ROLES: readonly RoomRole[] = ['owner', 'operator', 'member'];

export interface RoomRecord {
  /** The room's case-insensitive key (its name's key, `#` included). */
  readonly key: string;
  /** The name as created, `#` first. */
  readonly name: string;
  readonly topic: string;
  /** Invite-only: only members see it. */
  readonly private: boolean;
  /** What newcomers read of its history: all, or from when they joined (docs/protocol.md §10.4). */
  readonly history: RoomHistory;
  readonly createdAt: Date;
}

/** A registered user's place in a room (guests' places are never stored). */
export interface MembershipRecord {
  /** The room's key and the account's key. */
  readonly room: string;
  readonly account: string;
  readonly role: RoomRole;
  /** The first message id the member may read of the room (0: all); kept as given when only the role changes. */
  readonly from?: number;
}

/** Rooms and the memberships of registered users. An account's deletion takes its memberships and the rooms it owns. */
export interface RoomStore {
  /** Every room and membership (with the member's name as registered): the core loads them once at start. */
  load(): Promise<{ rooms: RoomRecord[]; memberships: Array<MembershipRecord & { name: string }> }>;
  /** Creates the room with `owner` (an account key) as its owner; ROOM_TAKEN if the key exists. */
  create(room: RoomRecord, owner: string): Promise<void>;
  /** A change of `history` also lets every member then in the room read all of it (every membership's `from` becomes 0). */
  update(key: string, changes: { topic?: string; private?: boolean; history?: RoomHistory }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds or changes memberships, all or none (an owner handing over is two changes). */
  setMembers(records: readonly MembershipRecord[]): Promise<void>;
  removeMember(room: string, account: string): Promise<void>;
}

/** A message as history keeps it (docs/protocol.md §11). */
export interface StoredMessage {
  /** Given by the server: increasing, never reused (across conversations too). */
  readonly id: number;
  /** The conversation's key: `All` (the lobby), a room's key (`#tea`), or a whisper's (whisperKey). */
  readonly conversation: string;
  /** The server's time, in ms since the epoch. */
  readonly at: number;
  /** Who sent it: `a:` and an account's key, or `g:` and a guest session's id (see History). */
  readonly sender: string;
  /** Whom a whisper went to, the same way; undefined for the lobby's and rooms' messages. */
  readonly recipient?: string | undefined;
  /** The sender's and the receiver's names as relayed (`All`, a room's name, a user's name). */
  readonly from: string;
  readonly to: string;
  /** Empty once deleted. */
  readonly text: string;
  readonly deleted: boolean;
}

/** The first id a reader may read in some conversations (a room whose newcomers read from their join), by key. */
export type FirstReadable = ReadonlyMap<string, number>;

/**
 * Every message said, on disk. `append` is given each turn's messages in one call and resolves once
 * they are kept (the server writes no byte of them to anyone before). Search reads an index that may
 * trail the history by what `index` has not yet taken in.
 */
export interface HistoryStore {
  /** The highest id ever given (0: none), so that ids are never reused after a restart. */
  lastId(): Promise<number>;
  /** The history's identity, made with it: ids compare only within one (docs/protocol.md §11). */
  epoch(): Promise<string>;
  append(messages: readonly StoredMessage[]): Promise<void>;
  /**
   * What `identity` may read with ids in (after, before), oldest first, at most `limit`: the
   * conversations named (the lobby, its rooms; of those in `from`, only ids from the one given) and its whispers;
   * none sent by the identities in `except` (those it blocks).
   */
  catchUp(query: { identity: string; conversations: readonly string[]; from?: FirstReadable; after: number; before: number; limit: number; except?: readonly string[] }): Promise<StoredMessage[]>;
  /** The keys of the whisper conversations `identity` is a party to. */
  whispersOf(identity: string): Promise<string[]>;
  /** Messages of `conversation` after id `after`, oldest first, at most `limit`; none sent by the identities in `except`. */
  after(conversation: string, after: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]>;
  /** Messages of `conversation` before id `before`, newest first, at most `limit`; none sent by the identities in `except`. */
  before(conversation: string, before: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]>;
  /**
   * Messages of the conversations matching the full-text `query`, newest first (before id `before`,
   * if given; of the conversations in `from`, only ids from the one given; none sent by the identities in `except`).
   */
  search(query: { conversations: readonly string[]; from?: FirstReadable; text: string; limit: number; before?: number; except?: readonly string[] }): Promise<StoredMessage[]>;
  /**
   * A step of the work behind the live path: up to `limit` messages not yet in the search index
   * taken in (and, for a store that keeps appends waiting, those put in place); resolves with how
   * many it took in, fewer than `limit` only when none is left that it may take.
   */
  index(limit: number): Promise<number>;
  /**
   * Its steps run beside the event loop (a thread of their own), not on it: the live chat does not
   * wait for them (queries do), so they need no rest between them once nobody chats. Absent: they
   * run on it.
   */
  stepsApart?(): boolean;
  /** How many messages the search index has yet to take in. */
  unindexed(): Promise<number>;
  /** Blanks a message (it stays as a deleted one, so that ids keep their order); false if there is no such message. */
  delete(id: number): Promise<boolean>;
  get(id: number): Promise<StoredMessage | undefined>;
  /** Removes messages older than `olderThan` (ms since the epoch) and those past the newest `keep` of each conversation. */
  prune(rules: { olderThan?: number; keep?: number }): Promise<number>;
}

/** A registered user's place in the server's staff (docs/protocol.md §10.6); no row: none. */
export type StaffRole = 'admin' | 'moderator';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'moderator'];

export type BanKind = 'name' | 'account' | 'address';
export const BAN_KINDS: readonly BanKind[] = ['name', 'account', 'address'];

export interface Ban {
  readonly id: number;
  readonly kind: BanKind;
  /** A name's key (name, account), or an address or CIDR block. */
  readonly value: string;
  /** When it ends; undefined: for ever. */
  readonly until: Date | undefined;
  readonly reason: string;
  /** Who made it (an audit actor). */
  readonly by: string;
  readonly at: Date;
}

/** One administrative action: who did what to whom, when. */
export interface AuditEntry {
  readonly at: Date;
  /** An account's name, `api-token:` and its hash's first hex, or `cli`. */
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail: string;
}

/** An audit entry as kept, with its number (MOD_AUDIT pages by it). */
export interface AuditRecord extends AuditEntry {
  readonly id: number;
}

/** A message reported to the moderators, as it was when reported (docs/protocol.md §10.6). */
export interface Report {
  readonly id: number;
  readonly at: Date;
  /** Who reported it, by name. */
  readonly reporter: string;
  readonly msgId: number;
  /** The message's sender and receiver as relayed, and its text then. */
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly reason: string;
  /** Who closed it and when; undefined while open. */
  readonly closed: { readonly by: string; readonly at: Date } | undefined;
}

/** Staff roles, bans, admin API tokens (hashes only), the audit trail and the reports. */
export interface ModerationStore {
  /** The account's role; undefined: none (or no such account). */
  role(key: string): Promise<StaffRole | undefined>;
  /** Every account with a role, by key. */
  roles(): Promise<Map<string, StaffRole>>;
  /** Gives (or with undefined takes away) the account's role; NO_SUCH_ACCOUNT if the key is not registered. */
  setRole(key: string, role: StaffRole | undefined): Promise<void>;
  /** Every ban made and not lifted, expired ones included (the core skips them). */
  bans(): Promise<Ban[]>;
  addBan(ban: Omit<Ban, 'id'>): Promise<Ban>;
  /** false if there was no such ban. */
  removeBan(id: number): Promise<boolean>;
  /** Keeps a new admin token's hash (hex). */
  addToken(hash: string, at: Date): Promise<void>;
  hasToken(hash: string): Promise<boolean>;
  audit(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries (of those numbered below `before`, if given), newest first. */
  auditLog(limit: number, before?: number): Promise<AuditRecord[]>;
  addReport(report: Omit<Report, 'id' | 'closed'>): Promise<Report>;
  /** At most `limit` reports: the open ones, then the closed, each newest first. */
  reports(limit: number): Promise<Report[]>;
  /** Closes an open report; the report as it was, or undefined if there is no such report. */
  closeReport(id: number, by: string, at: Date): Promise<Report | undefined>;
}

/** An account's block of another account (docs/protocol.md §10.7), with the blocked one's name as registered. */
export interface BlockRecord {
  readonly blocker: string;
  readonly blocked: string;
  readonly name: string;
}

/** The accounts each account blocks; an account's deletion takes its blocks, both ways. */
export interface BlockStore {
  /** Every block: the core loads them once at start. */
  all(): Promise<BlockRecord[]>;
  /** Adds the block of one registered account by another (nothing if it is there). */
  add(blocker: string, blocked: string, at: Date): Promise<void>;
  remove(blocker: string, blocked: string): Promise<void>;
}

/**
 * Why the store refused, as a stable code the core maps to an HCP error code, with a one-line
 * reason a person can act on.
 */
export type StoreErrorCode =
  /** create: the name's key is registered already. */
  | 'NAME_TAKEN'
  /** create (rooms): a room's key exists already. */
  | 'ROOM_TAKEN'
  /** the key names no account. */
  | 'NO_SUCH_ACCOUNT'
  /** the disk, or the database's size limit, is full. */
  | 'DISK_FULL'
  /** another process holds the database locked for longer than the store waits. */
  | 'LOCKED'
  /** no permission to write the data folder or its files. */
  | 'NOT_WRITABLE'
  /** the file is not a database, or it is damaged. */
  | 'CORRUPT'
  /** the database was written by a newer Howdy, whose schema this one does not know. */
  | 'SCHEMA_TOO_NEW'
  /** any other failure of the disk or the engine. */
  | 'IO_ERROR';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(readonly code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

import type { Generated } from 'kysely';

/**
 * The tables as the queries see them (Kysely's types), at the schema version migrations.ts builds.
 * Names are snake_case and types plain (text, integer) so one set of queries suits SQLite and
 * PostgreSQL alike.
 */
export interface SchemaVersionTable {
  version: number;
}

export interface AccountsTable {
  name_key: string;
  name: string;
  password_scheme: string;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
  password_keylen: number;
  password_salt: string;
  password_hash: string;
  /** ISO 8601, UTC. */
  created_at: string;
  /** ISO 8601, UTC: when the user was last online; null before its first log-out (schema v2). */
  last_seen: string | null;
}

export interface ProfilesTable {
  name_key: string;
  display_name: string;
  about: string;
  status: string;
  status_message: string;
}

/** Schema v3. */
export interface RoomsTable {
  room_key: string;
  name: string;
  topic: string;
  /** 1: invite-only; 0: public. */
  private: number;
  created_at: string;
  /** Schema v7: `all` or `joined` (what newcomers read of its history). */
  history: Generated<string>;
}

export interface MembershipsTable {
  room_key: string;
  account_key: string;
  role: string;
  joined_at: string;
  /** Schema v7: the first message id the member may read of the room (0: all). */
  first_message_id: Generated<number>;
}

/**
 * Schema v10: history, a conversation's messages in chunks (chunks.ts); `id` is the newest
 * message's id, `body` a JSON array of its messages' rows (chunks.ts Row).
 */
export interface ChunksTable {
  id: number;
  conversation: string;
  first: number;
  count: number;
  /** Its oldest and newest message's times (ms since the epoch). */
  since: number;
  at: number;
  body: string;
}

/** Schema v12: the conversations' numbers, as `locators` gives them. */
export interface ConversationsTable {
  no: number;
  key: string;
}

/**
 * Schema v12: which conversation each message id is in (locator.ts), a row a block of 4096 ids:
 * `nos` holds each id's conversation number, 32 bits little-endian, 0 for an id no message has.
 */
export interface LocatorsTable {
  block: number;
  nos: Buffer;
}

/** Schema v10: the parties of each whisper conversation (`identity`: `a:` + account key, or `g:` + guest session). */
export interface WhisperPartiesTable {
  identity: string;
  conversation: string;
}

/** Schema v6: moderation. */
export interface StaffTable {
  name_key: string;
  role: string;
}

export interface BansTable {
  id: Generated<number>;
  kind: string;
  value: string;
  /** ISO 8601, UTC; null: for ever. */
  until: string | null;
  reason: string;
  by: string;
  at: string;
}

export interface AdminTokensTable {
  /** Hex SHA-256 of the token. */
  hash: string;
  created_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

/** Schema v8: the accounts each account blocks. */
export interface BlocksTable {
  blocker_key: string;
  blocked_key: string;
  /** ISO 8601, UTC. */
  at: string;
}

/** A message reported to the moderators, as it was when reported (schema v9). */
export interface ReportsTable {
  id: Generated<number>;
  at: string;
  /** The reporter's name as online. */
  reporter: string;
  msg_id: number;
  /** The message's sender and receiver as relayed, and its text. */
  msg_from: string;
  msg_to: string;
  msg_text: string;
  reason: string;
  /** null while open. */
  closed_by: string | null;
  closed_at: string | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface Schema {
  schema_version: SchemaVersionTable;
  accounts: AccountsTable;
  profiles: ProfilesTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  chunks: ChunksTable;
  conversations: ConversationsTable;
  locators: LocatorsTable;
  whisper_parties: WhisperPartiesTable;
  counters: CountersTable;
  staff: StaffTable;
  server_bans: BansTable;
  admin_tokens: AdminTokensTable;
  audit: AuditTable;
  blocks: BlocksTable;
  reports: ReportsTable;
}

/** Message types (docs/protocol.md §3, §5.1–§5.3). */
export const MsgType = {
  PROPOSAL: 0x01,
  ACK: 0x02,
  NAK: 0x03,
  UPDATE: 0x04,
  MESSAGE: 0x05,
  /** Ours: an error with a stable code and a reason (framed peers only). */
  ERROR: 0x06,
  /** Ours: keep-alive request; the peer answers PONG with the same body. */
  PING: 0x07,
  PONG: 0x08,
  PRESENCE: 0x10,
  /** Ours, an extension frame (docs/protocol.md §10.2): the capabilities a client asks for. */
  CAPS: 0x11,
  /** Ours, an extension frame (§10.1): the answer to a request. */
  REPLY: 0x12,
  /** Ours, accounts (§10.3): requests of a client granted the `accounts` capability. */
  LOGIN: 0x13,
  ACCOUNT_CREATE: 0x14,
  PASSWORD_CHANGE: 0x15,
  ACCOUNT_DELETE: 0x16,
  PROFILE_SET: 0x17,
  WHOIS: 0x18,
  /** Ours, rooms (§10.4): requests of a client granted the `rooms` capability, and their events. */
  ROOM_CREATE: 0x19,
  ROOM_JOIN: 0x1a,
  ROOM_PART: 0x1b,
  ROOM_LIST: 0x1c,
  ROOM_MEMBERS: 0x1d,
  ROOM_SET: 0x1e,
  ROOM_INVITE: 0x1f,
  ROOM_REMOVE: 0x20,
  ROOM_DELETE: 0x21,
  ROOM_ROLE: 0x22,
  /** Server to client, no id: something happened in a room the client is in (§10.4). */
  ROOM_EVENT: 0x23,
  /** Ours, history (§11): a message with its id and time, to a client granted `history`. */
  STAMPED: 0x24,
  HISTORY: 0x25,
  CATCH_UP: 0x26,
  SEARCH: 0x27,
  DELETE: 0x28,
  /** Server to client, no id: a message was deleted (§11). */
  DELETED: 0x29,
  RESUME: 0x2a,
  /** Server to client, no id: a guest's resume token (§11). */
  SESSION: 0x2b,
  /** Server to client, no id: users' statuses, to a client granted `accounts` (§10.3). */
  STATUS: 0x2c,
  /** Server to client, no id: the message of the day, to a client granted `notices` (§10.5). */
  NOTICE: 0x2d,
  /** Ours, moderation (§10.6): requests of a client granted `moderation`, each checked against its account's role. */
  MOD_USERS: 0x2e,
  MOD_WARN: 0x2f,
  MOD_KICK: 0x30,
  MOD_MUTE: 0x31,
  MOD_BAN: 0x32,
  MOD_UNBAN: 0x33,
  MOD_BANS: 0x34,
  MOD_ANNOUNCE: 0x35,
  MOD_DELETE: 0x36,
  MOD_ROOM: 0x37,
  /** Ours, blocking (§10.7): requests of a client granted `accounts`; guests may block too. */
  BLOCK: 0x38,
  UNBLOCK: 0x39,
  BLOCKS: 0x3a,
  /** Ours (§10.6): a user reports a message to the moderators (needs `history`: messages have ids there). */
  REPORT: 0x3b,
  /** Ours, moderation (§10.6): the reports, closing one, the audit trail, giving a role. */
  MOD_REPORTS: 0x3c,
  MOD_REPORT_CLOSE: 0x3d,
  MOD_AUDIT: 0x3e,
  MOD_GRANT: 0x3f,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

/** The requests that need `moderation` (§10.6): MOD_USERS to MOD_ROOM, and MOD_REPORTS to MOD_GRANT. */
export function isModerationRequest(type: number): boolean {
  return (type >= MsgType.MOD_USERS && type <= MsgType.MOD_ROOM) || (type >= MsgType.MOD_REPORTS && type <= MsgType.MOD_GRANT);
}

/** Every name field on the wire is exactly this many bytes, NUL-padded. */
export const NAME_BYTES = 64;
/** The original client reads and sends packets of at most this many bytes. */
export const CLASSIC_MAX_PACKET = 4096;
/** type + sender[64] + receiver[64] */
export const MESSAGE_HEADER_BYTES = 1 + 2 * NAME_BYTES;
/** Longest text the original client sends: 4096 − 129. */
export const CLASSIC_MAX_TEXT = CLASSIC_MAX_PACKET - MESSAGE_HEADER_BYTES;

/** "\0HCP/2\r\n": sent first by a framed client and echoed by a framed server. */
export const PREFACE = Uint8Array.of(0x00, 0x48, 0x43, 0x50, 0x2f, 0x32, 0x0d, 0x0a);
/** Bytes of the u32 length that precedes each framed HCP/2 frame. */
export const FRAME_HEADER_BYTES = 4;

/** Receiver meaning "everyone else"; reserved as a user name. */
export const ALL = 'All';
/** Reserved as a user name. */
export const SERVER = 'Server';
/**
 * Names nobody may take, in any case (docs/protocol.md §2): the receiver "All", "Server", and the
 * words our clients show in place of a name ("Everyone" for All, "You" for the user's own lines),
 * which a user could otherwise wear to pass for them.
 */
export const RESERVED_NAMES: readonly string[] = [ALL, SERVER, 'Everyone', 'You'];

/** PRESENCE entry operations. */
export const PresenceOp = { JOINED: 0x01, LEFT: 0x02 } as const;
export type PresenceOp = (typeof PresenceOp)[keyof typeof PresenceOp];

/** Capabilities a client may ask for with CAPS (docs/protocol.md §10.2). */
export const Capability = {
  /** Accounts and profiles (§10.3). */
  ACCOUNTS: 'accounts',
  /** Rooms (§10.4). */
  ROOMS: 'rooms',
  /** History (§11). */
  HISTORY: 'history',
  /** The message of the day as a NOTICE frame (§10.5). */
  NOTICES: 'notices',
  /** Moderation requests (§10.6); each is refused unless the user's account has a role. */
  MODERATION: 'moderation',
} as const;

/** A room's name starts with this; no user's name may (docs/protocol.md §2, §10.4). */
export const ROOM_PREFIX = '#';
/** What a room's newcomers read of its history (docs/protocol.md §10.4, §11): all of it, or from when they joined. */
export const ROOM_HISTORIES = ['all', 'joined'] as const;
export type RoomHistory = (typeof ROOM_HISTORIES)[number];

/** WebSocket subprotocol of HCP over WebSocket (docs/protocol.md §6). */
export const WS_SUBPROTOCOL = 'hcp.v2';

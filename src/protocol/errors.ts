/**
 * Stable error codes carried by ERROR frames (type 0x06) and by thrown HcpErrors.
 * Numbers never change meaning; new codes are only ever added.
 */
export const ErrorCode = {
  // 0x01xx: framing and encoding
  MALFORMED: 0x0101,
  FRAME_TOO_LARGE: 0x0102,
  BAD_PREFACE: 0x0103,
  INVALID_UTF8: 0x0104,
  /** A request the server does not take at this point (a second CAPS, or one after the ACK). */
  REQUEST_INVALID: 0x0105,
  // 0x02xx: names
  NAME_INVALID: 0x0201,
  NAME_RESERVED: 0x0202,
  NAME_TAKEN: 0x0203,
  ALREADY_REGISTERED: 0x0204,
  /** The name belongs to an account: LOGIN to use it (docs/protocol.md §10.3). */
  NAME_REGISTERED: 0x0205,
  /** A wrong name or password (which of the two is not said). */
  LOGIN_FAILED: 0x0206,
  /** The server admits only users who log in. */
  LOGIN_REQUIRED: 0x0207,
  /** The request needs a logged-in account. */
  NOT_LOGGED_IN: 0x0208,
  /** Nobody online or registered under that name. */
  NO_SUCH_USER: 0x0209,
  PASSWORD_INVALID: 0x020a,
  PROFILE_INVALID: 0x020b,
  // 0x03xx: messages
  NOT_REGISTERED: 0x0301,
  SPOOFED_SENDER: 0x0302,
  UNKNOWN_RECEIVER: 0x0303,
  TEXT_TOO_LONG: 0x0304,
  /** Raised by clients before sending; servers relay empty texts. */
  EMPTY_TEXT: 0x0305,
  /** A text holding a control character other than tab, LF and CR (docs/protocol.md §3). */
  TEXT_INVALID: 0x0306,
  // 0x04xx: limits
  RATE_LIMITED: 0x0401,
  SLOW_READER: 0x0402,
  REGISTRATION_TIMEOUT: 0x0403,
  TOO_MANY_CONNECTIONS: 0x0404,
  IDLE_TIMEOUT: 0x0405,
  /** Too many failed logins on the account or from the address: wait. */
  LOGIN_THROTTLED: 0x0406,
  // 0x05xx: server
  SERVER_SHUTDOWN: 0x0501,
  INTERNAL: 0x0502,
  /** The server's store could not do what the request needed (disk full, locked, …); nothing changed. */
  STORE_FAILED: 0x0503,
  // 0x06xx: rooms (docs/protocol.md §10.4)
  /** No such room, or a private one the user may not see. */
  NO_SUCH_ROOM: 0x0601,
  /** The request or MESSAGE needs membership of the room. */
  NOT_IN_ROOM: 0x0602,
  /** A room of that name (in any case) exists. */
  ROOM_EXISTS: 0x0603,
  /** The user's role in the room does not allow this. */
  ROOM_FORBIDDEN: 0x0604,
  /** A room's name, topic or role breaks its rules. */
  ROOM_INVALID: 0x0605,
  // 0x07xx: history (docs/protocol.md §11)
  /** A history request out of bounds: an id beyond the last given, a limit over the most, no words to search. */
  HISTORY_INVALID: 0x0701,
  NO_SUCH_MESSAGE: 0x0702,
  /** Only its sender may delete a message. */
  NOT_YOURS: 0x0703,
  /** The resume token is unknown or expired. */
  RESUME_FAILED: 0x0704,
  // 0x08xx: moderation (docs/protocol.md §10.6)
  /** The actor's role (none, moderator) does not allow this action. */
  FORBIDDEN: 0x0801,
  /** A ban covers the address, the name or the account: refused at connect or at registration. */
  BANNED: 0x0802,
  /** The user is muted: the message was not sent. */
  MUTED: 0x0803,
  /** A moderator ended the connection. */
  KICKED: 0x0804,
  /** A moderation request's value is wrong: a ban's kind or address, a role, a room action. */
  MOD_INVALID: 0x0805,
  NO_SUCH_BAN: 0x0806,
  /** A block that cannot be: oneself, `Server`, one not blocked (unblock), too many (docs/protocol.md §10.7). */
  BLOCK_INVALID: 0x0807,
  /** No report has that number (MOD_REPORT_CLOSE). */
  NO_SUCH_REPORT: 0x0808,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

/** The symbolic name of a code, e.g. 0x0203 → "NAME_TAKEN"; unknown codes print as hex. */
export function errorCodeName(code: number): string {
  return codeNames.get(code) ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/** A protocol error: a stable code, a reason for humans, and whether the connection ends. */
export class HcpError extends Error {
  override readonly name = 'HcpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** true when the connection is closed because of it */
    readonly fatal = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get codeName(): string {
    return errorCodeName(this.code);
  }
}

import { ErrorCode, nameKey, type ExtensionFields } from '../protocol/index.js';

/** A server's staff roles (docs/protocol.md §10.6). */
export type StaffRole = 'admin' | 'moderator';
/** What a ban covers: a name (guests and its account), an account (its LOGIN), or an address or CIDR block. */
export type BanKind = 'name' | 'account' | 'address';

/** One user online as MOD_USERS tells it (§10.6). */
export interface OnlineUser {
  name: string;
  address: string;
  /** When they connected. */
  since: Date;
  /** How they are connected, e.g. `tcp/classic`, `ws/framed`. */
  transport: string;
  role?: StaffRole;
  /** While muted: until when. */
  mutedUntil?: Date;
}

/** A ban in force (MOD_BAN's REPLY, an entry of MOD_BANS: §10.6). */
export interface Ban {
  id: number;
  kind: BanKind;
  /** The name, or the address or CIDR block. */
  value: string;
  since: Date;
  /** None: for ever. */
  until?: Date;
  by: string;
  reason?: string;
}

/** What MOD_BAN asks for: `seconds` left out bans for ever. */
export interface BanRequest { kind: BanKind; value: string; seconds?: number; reason?: string }

/** A reported message, as MOD_REPORTS tells it (§10.6). */
export interface Report {
  id: number;
  /** When it was reported. */
  at: Date;
  reporter: string;
  msgId: number;
  /** The message's sender and receiver (`All`, a room, a user), and its text when reported. */
  from: string;
  to: string;
  text: string;
  reason: string;
  /** Who closed it; none while open. */
  closedBy?: string;
  closedAt?: Date;
}

/** One entry of the audit trail (MOD_AUDIT, §10.6). */
export interface AuditEntry { id: number; at: Date; actor: string; action: string; target: string; detail: string }
/** A page of the audit trail, newest first; `more` when older entries are left (ask with `before` the last id). */
export interface AuditPage { entries: AuditEntry[]; more: boolean }

export function reportOf(f: ExtensionFields): Report {
  return {
    id: f.reportId ?? 0, at: new Date(f.time ?? 0), reporter: f.reporter ?? '', msgId: f.msgId ?? 0, from: f.from ?? '', to: f.to ?? '',
    text: f.text ?? '', reason: f.reason ?? '',
    ...(f.closedBy !== undefined && { closedBy: f.closedBy }), ...(f.closedAt !== undefined && { closedAt: new Date(f.closedAt) }),
  };
}

export function auditEntryOf(f: ExtensionFields): AuditEntry {
  return { id: f.auditId ?? 0, at: new Date(f.time ?? 0), actor: f.by ?? '', action: f.action ?? '', target: f.target ?? '', detail: f.text ?? '' };
}

/**
 * The message /report names (docs/protocol.md §10.6), of a conversation's messages shown (oldest
 * first): the last one of `who` (any case); when nobody of that name spoke, `who` in digits is a
 * message id; without `who`, the last message not the user's own. Undefined when there is none.
 */
export function reportedMessageId(messages: ReadonlyArray<{ id: number; from: string; own: boolean }>, who: string | undefined): number | undefined {
  const others = messages.filter((m) => !m.own);
  if (who === undefined) return others.at(-1)?.id;
  const key = nameKey(who);
  return others.filter((m) => nameKey(m.from) === key).at(-1)?.id ?? (/^\d+$/.test(who) ? Number(who) : undefined);
}

export function onlineUserOf(f: ExtensionFields): OnlineUser {
  return {
    name: f.name ?? '', address: f.address ?? '', since: new Date(f.since ?? 0), transport: f.transport ?? '',
    ...(isStaffRole(f.role) && { role: f.role }), ...(f.until !== undefined && { mutedUntil: new Date(f.until) }),
  };
}

export function banOf(f: ExtensionFields): Ban {
  return {
    id: f.banId ?? 0, kind: (f.kind ?? 'name') as BanKind, value: (f.kind === 'address' ? f.address : f.name) ?? '',
    since: new Date(f.since ?? 0), by: f.by ?? '',
    ...(f.until !== undefined && { until: new Date(f.until) }), ...(f.text !== undefined && { reason: f.text }),
  };
}

export function isStaffRole(role: string | undefined): role is StaffRole {
  return role === 'admin' || role === 'moderator';
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * "90s", "15m", "1h", "7d", "2w" in seconds; undefined for anything else. Hand-written rather than
 * `ms`: a bare number or "1 hour" must not pass for a duration (it starts a ban's reason).
 */
export function durationSeconds(typed: string): number | undefined {
  const m = /^(\d{1,6})([smhdw])$/i.exec(typed);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]! : undefined;
}

/** "for ever", or "until 2026-12-06 14:00" (UTC, as the server's times are told). */
export function untilText(until: Date | undefined): string {
  return until ? `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'for ever';
}

/** A ban as one line: "#3 address 10.0.0.0/8 until … by admin: spam". */
export function banText(b: Ban): string {
  return `#${b.id} ${b.kind} ${b.value} ${untilText(b.until)}, by ${b.by}${b.reason ? `: ${b.reason}` : ''}`;
}

/**
 * The ISO 8601 times within a server's text ("muted until 2026-12-06T14:05:00.000Z") as
 * "2026-12-06 14:05 UTC": its reasons, and what `Server` tells a user (§10.6), shown by the clients.
 */
export function plainTimes(reason: string): string {
  return reason.replace(/(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\d(?:\.\d+)?Z/g, '$1 $2 UTC');
}

/**
 * A moderation verdict or refusal (codes 08xx, §10.6) in plain words for both clients ("You were
 * kicked by admin: spam."), or undefined for another code. The server's reasons say it already;
 * they are made sentences, their times readable.
 */
export function moderationText(code: number | undefined, reason: string): string | undefined {
  if (code === undefined || code >> 8 !== 0x08) return undefined;
  const plain = plainTimes(reason).trim();
  const said = code === ErrorCode.BANNED && /^banned\b/.test(plain) ? `you are ${plain}`
    : code === ErrorCode.FORBIDDEN ? `not allowed: ${plain}` : plain;
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}${/[.!?]$/.test(said) ? '' : '.'}`;
}

import { BlockList, isIP } from 'node:net';
import {
  Capability, controlCharReason, encodeFrame, encodeMessageFrame, encodeNameField, ErrorCode, forbiddenTextByteAt, HcpError, MsgType, nameKey, SERVER,
  utf8Encode, type ExtensionFields, type RequestType,
} from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';
import { LOBBY_FIELD } from './lobby.js';
import { BAN_KINDS, STAFF_ROLES, type AccountStore, type AuditRecord, type Ban, type BanKind, type ModerationStore, type Report, type StaffRole, type StoredMessage } from './ports.js';
import type { Rooms } from './rooms.js';
import type { Session } from './session.js';
import { guard } from './store-errors.js';

/**
 * Who may do what (docs/protocol.md §10.6, README "Moderation"): the least role each action needs.
 * An admin may do all a moderator may.
 */
export const NEEDS = {
  users: 'moderator', warn: 'moderator', kick: 'moderator', mute: 'moderator', delete: 'moderator', bans: 'moderator',
  reports: 'moderator', audit: 'moderator',
  ban: 'admin', unban: 'admin', announce: 'admin', room: 'admin', grant: 'admin',
} as const satisfies Record<string, StaffRole>;
export type ModAction = keyof typeof NEEDS;

const RANK: Record<StaffRole, number> = { moderator: 1, admin: 2 };
/** Longest reason, in UTF-8 bytes: it is told within a MESSAGE or an ERROR. */
const REASON_BYTES = 300;
const SERVER_FIELD = encodeNameField(SERVER);
/** Longest page of the audit trail and of the reports a request gets, and the default (docs/protocol.md §10.6). */
const PAGE_MOST = 200;
const PAGE_DEFAULT = 50;
/** How much of a reported message the staff's notice quotes, in characters. */
const QUOTE_CHARS = 120;

/** Who acts: a logged-in account with a role, an admin API token, the CLI. */
export interface Actor {
  /** As the audit trail names it: the account's name, `api-token:` and its hash's first 6 hex, `cli`. */
  readonly name: string;
  readonly role: StaffRole;
  /** The acting account's key, when an account acts (a room is taken over for it). */
  readonly account?: string | undefined;
}

export interface UserInfo {
  readonly name: string;
  readonly address: string;
  readonly since: Date;
  /** e.g. `tcp/classic`, `ws/framed`. */
  readonly transport: string;
  readonly role: StaffRole | undefined;
  readonly mutedUntil: Date | undefined;
}

/** What the moderation service needs of the chat core. */
export interface ModerationHost {
  /** Users online (their names accepted). */
  online(): Iterable<Session>;
  byKey(key: string): Session | undefined;
  /** Every connection, named or not. */
  connections(): Iterable<Session>;
  /** Blanks any message and tells its readers (docs/protocol.md §11); throws NO_SUCH_MESSAGE. */
  deleteMessage(id: number): Promise<StoredMessage>;
  /** The message if `session` may read it (docs/protocol.md §11); throws NO_SUCH_MESSAGE. */
  readableMessage(session: Session, id: number | undefined): Promise<StoredMessage>;
  readonly rooms: Rooms<Session> | undefined;
  readonly maxTextBytes: number;
}

interface Mute { until: number; reason: string }
interface ActiveBan { ban: Ban; block: BlockList | undefined }

/**
 * Moderation (docs/protocol.md §10.6): staff roles, warnings, kicks, mutes, bans, announcements,
 * deletions, rooms closed or taken over. Every action is checked against the actor's role (read
 * from the store at each action, so a role granted by `howdy admin grant` counts at once), logged,
 * and written to the audit trail. Bans are held in memory (loaded at start, checked at connect and
 * registration without a query); mutes live in memory only, by name, until they end or a restart.
 */
export class Moderation {
  private bansHeld: ActiveBan[] = [];
  private readonly mutes = new Map<string, Mute>();

  constructor(
    private readonly store: ModerationStore,
    private readonly accounts: AccountStore | undefined,
    private readonly host: ModerationHost,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    this.bansHeld = (await guard(this.store.bans())).map((ban) => ({ ban, block: blockOf(ban) }));
  }

  /** A connection from `address` is refused: the reason, or undefined when no ban covers it. */
  addressBan(address: string): string | undefined {
    if (this.bansHeld.length === 0) return undefined;
    const ip = plainAddress(address);
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    const found = this.active().find(({ block }) => block?.check(ip, family));
    return found && bannedWhy(found.ban);
  }

  /** A name about to be accepted (a guest's, or an account's at LOGIN): BANNED if a ban covers it. */
  registrationBan(session: Session): HcpError | undefined {
    if (this.bansHeld.length === 0) return undefined;
    const found = this.active().find(({ ban }) => (ban.kind === 'name' && ban.value === session.key) || (ban.kind === 'account' && ban.value === session.account));
    return found && new HcpError(ErrorCode.BANNED, bannedWhy(found.ban));
  }

  /** Before a MESSAGE is relayed: a muted sender's is refused (MUTED); a classic peer is told by Server. */
  checkSpeaker(session: Session): void {
    if (this.mutes.size === 0) return;
    const mute = this.mutes.get(session.key!);
    if (!mute) return;
    if (mute.until <= Date.now()) return void this.mutes.delete(session.key!);
    const why = `you are muted until ${new Date(mute.until).toISOString()}${mute.reason && `: ${mute.reason}`}; your message was not sent`;
    if (session.link.wire === 'classic') tell(session, why);
    throw new HcpError(ErrorCode.MUTED, why);
  }

  /** The actor a connection is: its account, with the role the store gives it now; FORBIDDEN without one. */
  async actorOf(session: Session): Promise<Actor> {
    const role = session.account === undefined ? undefined : await guard(this.store.role(session.account));
    if (!role) throw new HcpError(ErrorCode.FORBIDDEN, 'only a logged-in admin or moderator may do that');
    return { name: session.name!, role, account: session.account };
  }

  /** A moderation request (docs/protocol.md §10.6); resolves with the REPLY's fields. */
  async serve(session: Session, type: RequestType, f: ExtensionFields): Promise<ExtensionFields> {
    const actor = await this.actorOf(session);
    switch (type) {
      case MsgType.MOD_USERS:
        return { entry: (await this.users(actor)).map(userFields) };
      case MsgType.MOD_WARN:
        await this.warn(actor, need(f.name, 'NAME'), need(f.text, 'TEXT'));
        return {};
      case MsgType.MOD_KICK:
        await this.kick(actor, need(f.name, 'NAME'), f.text ?? '');
        return {};
      case MsgType.MOD_MUTE: {
        const until = await this.mute(actor, need(f.name, 'NAME'), need(f.duration, 'DURATION'), f.text ?? '');
        return until ? { until: until.getTime() } : {};
      }
      case MsgType.MOD_BAN: {
        const kind = need(f.kind, 'KIND');
        const value = kind === 'address' ? need(f.address, 'ADDRESS') : need(f.name, 'NAME');
        return banFields(await this.ban(actor, { kind, value, seconds: f.duration, reason: f.text ?? '' }));
      }
      case MsgType.MOD_UNBAN:
        await this.unban(actor, need(f.banId, 'BAN_ID'));
        return {};
      case MsgType.MOD_BANS:
        return { entry: (await this.bans(actor)).map(banFields) };
      case MsgType.MOD_ANNOUNCE:
        await this.announce(actor, need(f.text, 'TEXT'));
        return {};
      case MsgType.MOD_DELETE:
        await this.deleteMessage(actor, need(f.msgId, 'MSG_ID'));
        return {};
      case MsgType.MOD_ROOM:
        await this.room(actor, need(f.room, 'ROOM'), need(f.action, 'ACTION'), session);
        return {};
      case MsgType.MOD_REPORTS:
        return { entry: (await this.reports(actor, f.limit)).map(reportFields) };
      case MsgType.MOD_REPORT_CLOSE:
        await this.closeReport(actor, need(f.reportId, 'REPORT_ID'));
        return {};
      case MsgType.MOD_AUDIT: {
        const { entries, more } = await this.auditLog(actor, f.limit, f.before || undefined);
        return { entry: entries.map(auditFields), ...(more && { more: true }) };
      }
      case MsgType.MOD_GRANT:
        return { name: await this.grant(actor, need(f.name, 'NAME'), need(f.role, 'ROLE')) };
      default:
        throw new HcpError(ErrorCode.REQUEST_INVALID, `frame type ${type} is not a moderation request`);
    }
  }

  /**
   * REPORT (docs/protocol.md §10.6), anyone's: keeps the message as it is now, with the reason, and
   * tells the staff online (a MESSAGE from Server each); resolves with the REPLY's REPORT_ID.
   */
  async report(session: Session, f: ExtensionFields): Promise<ExtensionFields> {
    const reason = f.text ?? '';
    checkText(reason, REASON_BYTES, 'the reason');
    const message = await this.host.readableMessage(session, f.msgId);
    const report = await guard(this.store.addReport({
      at: new Date(), reporter: session.name!, msgId: message.id, from: message.from, to: message.to, text: message.text, reason,
    }));
    this.log.info({ report: report.id, reporter: report.reporter, message: message.id }, 'message reported');
    const chars = Array.from(message.text); // by code point: a cut never splits a character
    const quote = chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : message.text;
    const notice = `Report #${report.id} by ${report.reporter}: ${message.from} to ${message.to}: "${quote}"${reason && ` (${reason})`}`;
    const roles = await guard(this.store.roles());
    for (const s of this.host.online()) if (s.account !== undefined && roles.has(s.account)) tell(s, notice);
    return { reportId: report.id };
  }

  /** The reports, open ones first, each newest first; at most `limit` (default 50, at most 200). */
  async reports(actor: Actor, limit?: number): Promise<Report[]> {
    this.allow(actor, 'reports');
    return guard(this.store.reports(pageLimit(limit)));
  }

  /** Closes an open report, as the actor; NO_SUCH_REPORT, or MOD_INVALID when it is closed already. */
  async closeReport(actor: Actor, id: number): Promise<void> {
    this.allow(actor, 'reports');
    const report = await guard(this.store.closeReport(id, actor.name, new Date()));
    if (!report) throw new HcpError(ErrorCode.NO_SUCH_REPORT, `there is no report ${id}`);
    if (report.closed) throw new HcpError(ErrorCode.MOD_INVALID, `report ${id} was closed by ${report.closed.by}`);
    await this.audit(actor, 'report-close', `report ${id}`, `message ${report.msgId} from ${report.from}`);
  }

  /** Users online: name, address, since when, how connected, role, muted until. */
  async users(actor: Actor): Promise<UserInfo[]> {
    this.allow(actor, 'users');
    const roles = await guard(this.store.roles());
    return Array.from(this.host.online(), (s) => ({
      name: s.name!, address: s.address, since: new Date(s.since), transport: `${s.link.transport}/${s.link.wire}`,
      role: s.account === undefined ? undefined : roles.get(s.account), mutedUntil: this.mutedUntil(s.key!),
    }));
  }

  /** A MESSAGE from Server to the user, and nobody else. */
  async warn(actor: Actor, name: string, text: string): Promise<void> {
    this.allow(actor, 'warn');
    const target = await this.target(actor, name);
    checkText(text, this.host.maxTextBytes, 'the warning');
    tell(target, `Warning from ${actor.name}: ${text}`);
    await this.audit(actor, 'warn', target.name!, text);
  }

  /** Tells the user (framed: ERROR KICKED; classic: a MESSAGE from Server), then closes its connection. */
  async kick(actor: Actor, name: string, reason: string): Promise<void> {
    this.allow(actor, 'kick');
    const target = await this.target(actor, name);
    checkText(reason, REASON_BYTES, 'the reason');
    expel(target, ErrorCode.KICKED, `you were kicked by ${actor.name}${reason && `: ${reason}`}`);
    await this.audit(actor, 'kick', target.name!, reason);
  }

  /** Mutes the name (online now) for `seconds`, or unmutes it with 0; resolves with the end. */
  async mute(actor: Actor, name: string, seconds: number, reason: string): Promise<Date | undefined> {
    this.allow(actor, 'mute');
    const target = await this.target(actor, name);
    checkText(reason, REASON_BYTES, 'the reason');
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw new HcpError(ErrorCode.MOD_INVALID, 'a mute lasts a whole number of seconds (0: unmute)');
    const key = target.key!;
    if (seconds === 0) {
      this.mutes.delete(key);
      tell(target, `${actor.name} unmuted you`);
      await this.audit(actor, 'unmute', target.name!, reason);
      return undefined;
    }
    const until = Date.now() + seconds * 1000;
    this.mutes.set(key, { until, reason });
    tell(target, `${actor.name} muted you until ${new Date(until).toISOString()}${reason && `: ${reason}`}`);
    await this.audit(actor, 'mute', target.name!, `${seconds} s${reason && `: ${reason}`}`);
    return new Date(until);
  }

  /** Bans a name, an account or an address (CIDR allowed) for `seconds` or for ever; who it covers now is expelled. */
  async ban(actor: Actor, asked: { kind: string; value: string; seconds?: number | undefined; reason: string }): Promise<Ban> {
    this.allow(actor, 'ban');
    if (!BAN_KINDS.includes(asked.kind as BanKind)) throw new HcpError(ErrorCode.MOD_INVALID, `a ban's kind is one of ${BAN_KINDS.join(', ')}`);
    const kind = asked.kind as BanKind;
    const seconds = asked.seconds;
    if (seconds !== undefined && (!Number.isSafeInteger(seconds) || seconds < 1)) throw new HcpError(ErrorCode.MOD_INVALID, 'a ban lasts at least a second (none: for ever)');
    checkText(asked.reason, REASON_BYTES, 'the reason');
    const value = kind === 'address' ? checkAddress(asked.value) : nameKey(asked.value.trim());
    if (value === '') throw new HcpError(ErrorCode.MOD_INVALID, 'a ban names what it covers');
    const at = new Date();
    const ban = await guard(this.store.addBan({
      kind, value, until: seconds === undefined ? undefined : new Date(at.getTime() + seconds * 1000), reason: asked.reason, by: actor.name, at,
    }));
    const held: ActiveBan = { ban, block: blockOf(ban) };
    this.bansHeld.push(held);
    const covered = kind === 'address'
      ? [...this.host.connections()].filter((s) => held.block!.check(plainAddress(s.address), isIP(plainAddress(s.address)) === 6 ? 'ipv6' : 'ipv4'))
      : [...this.host.online()].filter((s) => (kind === 'name' ? s.key === value : s.account === value));
    for (const s of covered) expel(s, ErrorCode.BANNED, bannedWhy(ban));
    await this.audit(actor, 'ban', `${kind} ${value}`, `${describeUntil(ban.until)}${asked.reason && `: ${asked.reason}`}`);
    return ban;
  }

  async unban(actor: Actor, id: number): Promise<void> {
    this.allow(actor, 'unban');
    const held = this.bansHeld.find((h) => h.ban.id === id);
    if (!(await guard(this.store.removeBan(id)))) throw new HcpError(ErrorCode.NO_SUCH_BAN, `there is no ban ${id}`);
    this.bansHeld = this.bansHeld.filter((h) => h.ban.id !== id);
    await this.audit(actor, 'unban', held ? `${held.ban.kind} ${held.ban.value}` : `ban ${id}`, `ban ${id}`);
  }

  /** The bans in force, oldest first. */
  async bans(actor: Actor): Promise<Ban[]> {
    this.allow(actor, 'bans');
    return this.active().map((h) => h.ban);
  }

  /** From Server to everyone online: a NOTICE to peers granted `notices`, else a MESSAGE to All (docs/protocol.md §10.6). */
  async announce(actor: Actor, text: string): Promise<number> {
    this.allow(actor, 'announce');
    checkText(text, this.host.maxTextBytes, 'the announcement');
    const notice = encodeFrame({ type: MsgType.NOTICE, fields: { text } });
    const message = encodeMessageFrame(SERVER_FIELD, LOBBY_FIELD, utf8Encode(text));
    let told = 0;
    for (const s of this.host.online()) {
      s.link.send(s.capabilities?.has(Capability.NOTICES) ? notice : message);
      told++;
    }
    await this.audit(actor, 'announce', 'All', text);
    return told;
  }

  async deleteMessage(actor: Actor, id: number): Promise<void> {
    this.allow(actor, 'delete');
    const message = await this.host.deleteMessage(id);
    await this.audit(actor, 'delete', `message ${id}`, `from ${message.from} to ${message.to}`);
  }

  /** Closes a room, or takes it over (the acting account becomes its owner). */
  async room(actor: Actor, name: string, action: string, session?: Session): Promise<void> {
    this.allow(actor, 'room');
    const rooms = this.host.rooms;
    if (!rooms) throw new HcpError(ErrorCode.NO_SUCH_ROOM, `there is no room called ${name}`);
    let room: string;
    if (action === 'close') room = await rooms.close(name, actor.name);
    else if (action === 'takeover') {
      if (actor.account === undefined) throw new HcpError(ErrorCode.MOD_INVALID, 'a room is taken over by an admin logged in to an account');
      room = await rooms.takeOver(name, actor.account, actor.name, session ?? this.host.byKey(actor.account));
    } else throw new HcpError(ErrorCode.MOD_INVALID, 'a room action is close or takeover');
    await this.audit(actor, action === 'close' ? 'room-close' : 'room-takeover', room, '');
  }

  /** Gives an account a role, or none (`howdy admin grant`, the API). */
  async grant(actor: Actor, name: string, role: string): Promise<string> {
    this.allow(actor, 'grant');
    if (!this.accounts) throw new HcpError(ErrorCode.NO_SUCH_USER, 'this server keeps no accounts');
    return grantRole(this.store, this.accounts, actor.name, name, role, this.log);
  }

  /** The audit trail's newest `limit` entries (default 50, at most 200) numbered below `before`, newest first; `more` when older ones are left. */
  async auditLog(actor: Actor, limit?: number, before?: number): Promise<{ entries: AuditRecord[]; more: boolean }> {
    this.allow(actor, 'audit');
    const most = pageLimit(limit);
    const found = await guard(this.store.auditLog(most + 1, before));
    return { entries: found.slice(0, most), more: found.length > most };
  }

  /** Throws FORBIDDEN unless the actor's role may do `action`. */
  private allow(actor: Actor, action: ModAction): void {
    if (RANK[actor.role] >= RANK[NEEDS[action]]) return;
    this.log.warn({ actor: actor.name, role: actor.role, action }, 'moderation refused');
    throw new HcpError(ErrorCode.FORBIDDEN, `only an ${NEEDS[action]} may ${action}`);
  }

  /** The user online called `name`, if the actor outranks or equals its role (a moderator may not act on an admin). */
  private async target(actor: Actor, name: string): Promise<Session> {
    const target = this.host.byKey(nameKey(name));
    if (!target?.registered) throw new HcpError(ErrorCode.NO_SUCH_USER, `nobody called "${name}" is online`);
    const role = target.account === undefined ? undefined : await guard(this.store.role(target.account));
    if (role && RANK[role] > RANK[actor.role]) throw new HcpError(ErrorCode.FORBIDDEN, `${target.name} is an ${role}`);
    return target;
  }

  private mutedUntil(key: string): Date | undefined {
    const mute = this.mutes.get(key);
    return mute && mute.until > Date.now() ? new Date(mute.until) : undefined;
  }

  private active(): ActiveBan[] {
    const now = Date.now();
    return this.bansHeld.filter(({ ban }) => ban.until === undefined || ban.until.getTime() > now);
  }

  private audit(actor: Actor, action: string, target: string, detail: string): Promise<void> {
    return writeAudit(this.store, this.log, { at: new Date(), actor: actor.name, action, target, detail });
  }
}

/** Logs an administrative action and writes it to the audit trail. */
async function writeAudit(store: ModerationStore, log: Logger, entry: { at: Date; actor: string; action: string; target: string; detail: string }): Promise<void> {
  log.info({ actor: entry.actor, action: entry.action, target: entry.target, detail: entry.detail }, 'moderation');
  await guard(store.audit(entry));
}

/**
 * Gives the account `name` the role (`none` takes it away), audited as `actor`; resolves with the
 * name as registered. Shared by the server and `howdy admin grant`, which works on the store alone.
 */
export async function grantRole(store: ModerationStore, accounts: AccountStore, actor: string, name: string, role: string, log: Logger): Promise<string> {
  if (role !== 'none' && !STAFF_ROLES.includes(role as StaffRole)) throw new HcpError(ErrorCode.MOD_INVALID, `a role is one of ${STAFF_ROLES.join(', ')}, none`);
  const account = await guard(accounts.get(nameKey(name)));
  if (!account) throw new HcpError(ErrorCode.NO_SUCH_USER, `no account is registered as "${name}"`);
  await guard(store.setRole(account.key, role === 'none' ? undefined : (role as StaffRole)));
  await writeAudit(store, log, { at: new Date(), actor, action: 'grant', target: account.name, detail: role });
  return account.name;
}

/** A MESSAGE from Server to the user alone (docs/protocol.md §10.6). */
function tell(session: Session, text: string): void {
  session.link.send(encodeMessageFrame(SERVER_FIELD, session.nameField ?? LOBBY_FIELD, utf8Encode(text)));
}

/** Ends a connection over a moderator's action: a framed peer gets a fatal ERROR, a classic peer a MESSAGE from Server first. */
function expel(session: Session, code: ErrorCode, why: string): void {
  if (session.link.wire === 'classic' && session.registered) tell(session, why);
  session.fail(new HcpError(code, why, true));
}

function bannedWhy(ban: Ban): string {
  return `banned ${describeUntil(ban.until)}${ban.reason && `: ${ban.reason}`}`;
}

function describeUntil(until: Date | undefined): string {
  return until ? `until ${until.toISOString()}` : 'for ever';
}

/** A text told within a MESSAGE: not empty, within `max` UTF-8 bytes, no control characters but tab and line breaks (docs/protocol.md §3). */
function checkText(text: string, max: number, what: string): void {
  const bytes = utf8Encode(text);
  if (bytes.length > max) throw new HcpError(ErrorCode.MOD_INVALID, `${what} is ${bytes.length} bytes; at most ${max}`);
  const control = forbiddenTextByteAt(bytes, 0, bytes.length);
  if (control >= 0) throw new HcpError(ErrorCode.MOD_INVALID, controlCharReason(bytes[control]!));
  if (what !== 'the reason' && text.trim() === '') throw new HcpError(ErrorCode.MOD_INVALID, `${what} is empty`);
}

/** An IPv4-mapped IPv6 address as the IPv4 address it is. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** `address` or `address/prefix`, checked and written plainly; MOD_INVALID otherwise. */
function checkAddress(given: string): string {
  const [ip = '', prefix, ...rest] = given.trim().split('/');
  const plain = plainAddress(ip);
  const family = isIP(plain);
  const bits = prefix === undefined ? undefined : Number(prefix);
  const most = family === 6 ? 128 : 32;
  if (family === 0 || rest.length > 0 || (bits !== undefined && (!/^\d+$/.test(prefix!) || bits > most))) {
    throw new HcpError(ErrorCode.MOD_INVALID, `"${given}" is not an IP address or a CIDR block (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32)`);
  }
  return bits === undefined ? plain : `${plain}/${bits}`;
}

/** An address ban's addresses, as node's BlockList checks them. */
function blockOf(ban: Ban): BlockList | undefined {
  if (ban.kind !== 'address') return undefined;
  const block = new BlockList();
  const [ip, bits] = ban.value.split('/');
  const type = isIP(ip!) === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) block.addAddress(ip!, type);
  else block.addSubnet(ip!, Number(bits), type);
  return block;
}

/** A page's LIMIT: default 50, at most 200 (MOD_INVALID beyond). */
function pageLimit(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return PAGE_DEFAULT;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > PAGE_MOST) throw new HcpError(ErrorCode.MOD_INVALID, `a LIMIT is at most ${PAGE_MOST}`);
  return limit;
}

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new HcpError(ErrorCode.MALFORMED, `this request carries a ${field} field`);
  return value;
}

function userFields(u: UserInfo): ExtensionFields {
  return {
    name: u.name, address: u.address, since: u.since.getTime(), transport: u.transport,
    ...(u.role && { role: u.role }), ...(u.mutedUntil && { until: u.mutedUntil.getTime() }),
  };
}

function banFields(b: Ban): ExtensionFields {
  return {
    banId: b.id, kind: b.kind, ...(b.kind === 'address' ? { address: b.value } : { name: b.value }),
    ...(b.until && { until: b.until.getTime() }), since: b.at.getTime(), by: b.by, ...(b.reason && { text: b.reason }),
  };
}

function reportFields(r: Report): ExtensionFields {
  return {
    reportId: r.id, time: r.at.getTime(), reporter: r.reporter, msgId: r.msgId, from: r.from, to: r.to, text: r.text,
    ...(r.reason && { reason: r.reason }), ...(r.closed && { closedBy: r.closed.by, closedAt: r.closed.at.getTime() }),
  };
}

function auditFields(e: AuditRecord): ExtensionFields {
  return { auditId: e.id, time: e.at.getTime(), by: e.actor, action: e.action, target: e.target, ...(e.detail && { text: e.detail }) };
}

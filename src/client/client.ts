import {
  ALL, Capability, checkTextCharacters, CLASSIC_MAX_TEXT, encodeFrame, ErrorCode, HcpError, isModerationRequest, MsgType, nameKey, parseMessage, utf8Encode,
  type ExtensionFields, type RequestType, type HcpMessage, type RoomHistory,
} from '../protocol/index.js';
import type { Connection, Wire } from './connection.js';
import { Emitter } from './emitter.js';
import { pageOf, stampedOf, type ClientMessage, type DeletedMessage, type HistoryPage, type PageAt, type SearchHit } from './history.js';
import { auditEntryOf, banOf, onlineUserOf, reportOf, type AuditPage, type Ban, type BanRequest, type OnlineUser, type Report, type StaffRole } from './moderation.js';
import { UserStatuses } from './statuses.js';
import { isRoomName, roomEventOf, roomInfoOf, roomMemberOf, type RoomEvent, type RoomInfo, type RoomMember, type RoomRole } from './rooms.js';

export interface UsersEvent {
  /** Everyone online, the user included, in order of joining. */
  users: string[];
  joined: string[];
  left: string[];
  /** The first list after the name was accepted. */
  initial: boolean;
}

export interface ClientEvents extends Record<string, unknown> {
  accepted: { name: string };
  /** A refused name; framed servers say why. */
  refused: { name: string; code?: number; reason?: string };
  users: UsersEvent;
  /**
   * A message to show: received, or sent by this user (`own`); `to` a room's name (`#` first) for a
   * room's message (§10.4). Granted `history`, with its id and time, and the user's own come as the
   * server's echo (a STAMPED frame, §11); else `send` tells them at once.
   */
  message: ClientMessage;
  /** A message was deleted by its sender (DELETED, §11). */
  deleted: DeletedMessage;
  /** A guest's resume token (SESSION, §11): RESUME with it takes the guest's session up again. */
  session: { token: string };
  /** Something happened in a room the user is in (ROOM_EVENT, docs/protocol.md §10.4). */
  room: RoomEvent;
  /** The status of these users online (the user too) changed: `statuses` has it (STATUS, §10.3). */
  statuses: { names: string[] };
  /** The server's message of the day (NOTICE, §10.5), after the user list; granted `notices` only. */
  notice: { text: string };
  /** The server refused something or reported a problem (framed servers only). */
  error: { code: number; reason: string; fatal: boolean };
  /** `code`: the fatal ERROR that ended the connection, if one did (KICKED, BANNED: §10.6). */
  close: { reason: string; code?: number };
}

export interface ClientOptions {
  /** Longest text accepted by `send`; the classic limit by default. */
  maxTextBytes?: number;
}

/** What a room's settings request may change (ROOM_CREATE, ROOM_SET). */
export interface RoomSettings { topic?: string; private?: boolean; history?: RoomHistory }

/** One of the user's blocks (docs/protocol.md §10.7): a name, and whether it is an account's (blocked everywhere) or a guest's. */
export interface BlockEntry { name: string; registered: boolean }

/** The requests of rooms (docs/protocol.md §10.4). */
const ROOM_REQUESTS: ReadonlySet<number> = new Set([
  MsgType.ROOM_CREATE, MsgType.ROOM_JOIN, MsgType.ROOM_PART, MsgType.ROOM_LIST, MsgType.ROOM_MEMBERS,
  MsgType.ROOM_SET, MsgType.ROOM_INVITE, MsgType.ROOM_REMOVE, MsgType.ROOM_DELETE, MsgType.ROOM_ROLE,
]);

/** The requests of history (docs/protocol.md §11), and REPORT, which names a message by its id (§10.6). */
const HISTORY_REQUESTS: ReadonlySet<number> = new Set([MsgType.HISTORY, MsgType.CATCH_UP, MsgType.SEARCH, MsgType.DELETE, MsgType.RESUME, MsgType.REPORT]);

/** The capability a request needs: rooms' `rooms` (§10.4), history's `history` (§11), moderation's `moderation` (§10.6), the others `accounts` (§10.3); CAPS, which asks for them, none. */
function capabilityOf(type: RequestType): string | undefined {
  if (type === MsgType.CAPS) return undefined;
  if (isModerationRequest(type)) return Capability.MODERATION;
  if (HISTORY_REQUESTS.has(type)) return Capability.HISTORY;
  return ROOM_REQUESTS.has(type) ? Capability.ROOMS : Capability.ACCOUNTS;
}

/** A framed server sends the reason for a NAK right after it; wait this long for it. */
const NAK_REASON_WAIT_MS = 200;

/**
 * An HCP client over any Connection: tracks its name and the user list, checks messages before
 * sending them, and reports everything as typed events.
 */
export class ChatClient extends Emitter<ClientEvents> {
  name: string | undefined;
  users: string[] = [];
  closed = false;
  private closeReason: string | undefined;
  private fatalCode: number | undefined;
  private pendingNak: { name: string; timer: ReturnType<typeof setTimeout> } | undefined;
  /** Requests sent and not yet answered, by id (docs/protocol.md §10.1). */
  private readonly requests = new Map<number, { resolve(fields: ExtensionFields): void; reject(err: HcpError): void }>();
  private nextRequestId = 1;
  /** The capabilities the server granted (docs/protocol.md §10.2). */
  granted: string[] = [];
  /** The identity of the server's history, given with `history` (§11): ids compare only within one. */
  epoch: string | undefined;
  /** Longest text `send` takes, in UTF-8 bytes. */
  readonly maxTextBytes: number;
  /** Who online is away or busy (granted `accounts`, §10.3). */
  readonly statuses = new UserStatuses();

  constructor(
    private readonly connection: Connection,
    options: ClientOptions = {},
  ) {
    super();
    this.maxTextBytes = options.maxTextBytes ?? CLASSIC_MAX_TEXT;
    connection.onFrame = (type, body) => this.receive(type, body);
    connection.onClose = (reason) => {
      if (this.closed) return;
      this.closed = true;
      this.flushNak();
      this.emit('close', { reason: this.closeReason ?? reason, ...(this.fatalCode !== undefined && { code: this.fatalCode }) });
    };
  }

  get wire(): Wire {
    return this.connection.wire;
  }

  get address(): string {
    return this.connection.address;
  }

  /** Asks for a name; answered by an `accepted` or a `refused` event. */
  propose(name: string): void {
    this.connection.send(encodeFrame({ type: MsgType.PROPOSAL, name: name.normalize('NFC') }));
  }

  /** Waits for the answer to a proposal. */
  async register(name: string): Promise<{ accepted: true; name: string } | { accepted: false; code?: number; reason?: string }> {
    const answer = Promise.race([
      this.once('accepted').then((e) => ({ accepted: true as const, name: e.name })),
      this.once('refused').then((e) => ({ accepted: false as const, code: e.code, reason: e.reason })),
      this.once('close').then((e) => ({ accepted: false as const, reason: e.reason })),
    ]);
    this.propose(name);
    return answer;
  }

  /**
   * Sends `text` to `to` (a user, "All", or a room when the server granted rooms: the server
   * checks that the user is in it, §10.4), after checking it; throws HcpError when the message
   * cannot be sent (no name yet, unknown receiver, empty or oversize text, a control character).
   */
  send(to: string, text: string): void {
    if (this.closed) throw new HcpError(ErrorCode.NOT_REGISTERED, 'not connected');
    if (this.name === undefined) throw new HcpError(ErrorCode.NOT_REGISTERED, 'pick a name first');
    const receiver = this.receiver(to);
    if (receiver === undefined) throw new HcpError(ErrorCode.UNKNOWN_RECEIVER, `nobody called "${to}" is online`);
    if (text.trim() === '') throw new HcpError(ErrorCode.EMPTY_TEXT, 'the message is empty');
    checkTextCharacters(text);
    const bytes = utf8Encode(text).length;
    if (bytes > this.maxTextBytes) {
      throw new HcpError(ErrorCode.TEXT_TOO_LONG, `the message is ${bytes} bytes; at most ${this.maxTextBytes} can be sent`);
    }
    this.connection.send(encodeFrame({ type: MsgType.MESSAGE, from: this.name, to: receiver, text }));
    if (!this.stamped) this.emit('message', { from: this.name, to: receiver, text, own: true });
  }

  /** Whether the server stamps messages (granted `history`, §11): the user's own then come back as its echo. */
  get stamped(): boolean {
    return this.granted.includes(Capability.HISTORY);
  }

  /** `to` as a MESSAGE's receiver: "All", a room (as given), or the online user of that name as registered. */
  private receiver(to: string): string | undefined {
    if (nameKey(to) === nameKey(ALL)) return ALL;
    if (isRoomName(to)) return this.granted.includes(Capability.ROOMS) ? to : undefined;
    return this.users.find((u) => nameKey(u) === nameKey(to));
  }

  /**
   * Asks for capabilities (docs/protocol.md §10.2), before proposing a name; resolves with those
   * the server grants. A classic server has none; a server that does not know CAPS never answers,
   * so after `timeoutMs` none are granted.
   */
  async requestCapabilities(wanted: string[], timeoutMs = 2000): Promise<string[]> {
    if (this.wire === 'classic') return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      const reply = await Promise.race([this.request(MsgType.CAPS, { caps: wanted }), late]);
      this.granted = reply?.caps ?? [];
      this.epoch = reply?.epoch;
      return this.granted;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logs in to an account (docs/protocol.md §10.3): the name is then this client's, as after an accepted proposal. */
  async login(name: string, password: string): Promise<void> {
    await this.request(MsgType.LOGIN, { name: name.normalize('NFC'), password });
  }

  /** Registers the name this client holds (or, before it has one, `name`, and logs in) with a password. */
  async createAccount(password: string, name?: string): Promise<void> {
    await this.request(MsgType.ACCOUNT_CREATE, { password, ...(name !== undefined && { name: name.normalize('NFC') }) });
  }

  async changePassword(password: string, newPassword: string): Promise<void> {
    await this.request(MsgType.PASSWORD_CHANGE, { password, newPassword });
  }

  /** Deletes this client's account; it stays online as a guest, available. */
  async deleteAccount(password: string): Promise<void> {
    await this.request(MsgType.ACCOUNT_DELETE, { password });
    this.setStatuses([{ name: this.name, status: 'available' }]);
  }

  /** Changes the profile's fields given; resolves with the whole profile. The user's own status is the REPLY's (others get STATUS). */
  async setProfile(profile: Pick<ExtensionFields, 'displayName' | 'about' | 'status' | 'statusMessage'>): Promise<ExtensionFields> {
    const reply = await this.request(MsgType.PROFILE_SET, profile);
    this.setStatuses([{ ...reply, name: this.name }]);
    return reply;
  }

  private setStatuses(entries: readonly ExtensionFields[]): void {
    const names = this.statuses.apply(entries);
    if (names.length > 0) this.emit('statuses', { names });
  }

  /** Looks a user up: name, online, registered, a registered user's profile, and the rooms in common (`commonRoom`, with rooms). */
  whois(name: string): Promise<ExtensionFields> {
    return this.request(MsgType.WHOIS, { name });
  }

  // Blocking (docs/protocol.md §10.7): names in any case; replies as the server has them.

  /** Blocks a user (an account on all its connections, a guest for its session); resolves with the name as its owner writes it. */
  async block(name: string): Promise<string> {
    return (await this.request(MsgType.BLOCK, { name })).name ?? name;
  }

  async unblock(name: string): Promise<void> {
    await this.request(MsgType.UNBLOCK, { name });
  }

  /** Whom this user blocks, oldest first. */
  async blocks(): Promise<BlockEntry[]> {
    return ((await this.request(MsgType.BLOCKS, {})).entry ?? []).map((e) => ({ name: e.name ?? '', registered: e.registered ?? false }));
  }

  // Rooms (docs/protocol.md §10.4): room names in any case; replies as the server has them.

  /** Creates a room (registered users only); the user is its owner. */
  async createRoom(room: string, settings: RoomSettings = {}): Promise<RoomInfo> {
    return roomInfoOf(await this.request(MsgType.ROOM_CREATE, { room: room.normalize('NFC'), ...settings }));
  }

  async joinRoom(room: string): Promise<RoomInfo> {
    return roomInfoOf(await this.request(MsgType.ROOM_JOIN, { room }));
  }

  async partRoom(room: string): Promise<void> {
    await this.request(MsgType.ROOM_PART, { room });
  }

  /** The rooms the user may see (public ones, and their own), by name; `joined` tells which the user is in. */
  async listRooms(): Promise<RoomInfo[]> {
    return ((await this.request(MsgType.ROOM_LIST, {})).entry ?? []).map(roomInfoOf);
  }

  async roomMembers(room: string): Promise<RoomMember[]> {
    return ((await this.request(MsgType.ROOM_MEMBERS, { room })).entry ?? []).map(roomMemberOf);
  }

  /** Changes a room's topic, privacy and/or what its newcomers read of its history (owners and operators). */
  async setRoom(room: string, settings: RoomSettings): Promise<RoomInfo> {
    return roomInfoOf(await this.request(MsgType.ROOM_SET, { room, ...settings }));
  }

  /** Adds a user to a room (owners and operators). */
  async inviteToRoom(room: string, name: string): Promise<void> {
    await this.request(MsgType.ROOM_INVITE, { room, name });
  }

  /** Takes a member out of a room (owners; operators, plain members only). */
  async removeFromRoom(room: string, name: string): Promise<void> {
    await this.request(MsgType.ROOM_REMOVE, { room, name });
  }

  /** Deletes a room (its owner only). */
  async deleteRoom(room: string): Promise<void> {
    await this.request(MsgType.ROOM_DELETE, { room });
  }

  /** Gives a member a role (the owner only); `owner` hands the room over, and the user becomes an operator. */
  async setRoomRole(room: string, name: string, role: RoomRole): Promise<void> {
    await this.request(MsgType.ROOM_ROLE, { room, name, role });
  }

  // History (docs/protocol.md §11): conversations are `All`, a room, or the other party of whispers.

  /** A page of a conversation, oldest first: the newest, or older than `before`, or newer than `after` (at most 200). */
  async history(conversation: string, at: PageAt & { limit?: number } = {}): Promise<HistoryPage> {
    return pageOf(await this.request(MsgType.HISTORY, { conversation, ...at }), this.name);
  }

  /** What the user missed after the message `after`, in every conversation they may read, up to what this connection got live. */
  async catchUp(after: number, limit?: number): Promise<HistoryPage> {
    return pageOf(await this.request(MsgType.CATCH_UP, { after, limit }), this.name);
  }

  /** Messages holding every word of `query`, newest first: in one conversation, or in all the user may read. */
  async search(query: string, options: { conversation?: string; before?: number; limit?: number } = {}): Promise<SearchHit[]> {
    const reply = await this.request(MsgType.SEARCH, { query, ...options });
    return (reply.entry ?? []).flatMap((e) => {
      const hit = stampedOf(e, this.name);
      return hit ? [{ ...hit, conversation: e.conversation ?? hit.to }] : [];
    });
  }

  /** Deletes a message the user sent, for everyone (who are told by DELETED; the user is not). */
  async deleteMessage(id: number): Promise<void> {
    await this.request(MsgType.DELETE, { msgId: id });
  }

  /** Takes a guest's session up again with its token, before having a name: resolves with the name, as after an accepted proposal. */
  async resume(token: string): Promise<string> {
    return (await this.request(MsgType.RESUME, { token })).name ?? this.name!;
  }

  /** Reports a message (by its id, §11) to the moderators, with an optional reason; resolves with the report's number (§10.6). */
  async report(msgId: number, reason?: string): Promise<number> {
    return (await this.request(MsgType.REPORT, { msgId, ...(reason && { text: reason }) })).reportId ?? 0;
  }

  // Moderation (docs/protocol.md §10.6): staff only; others are refused with FORBIDDEN.

  /** The reports: open ones first, each newest first. */
  async reports(limit?: number): Promise<Report[]> {
    return ((await this.request(MsgType.MOD_REPORTS, limit === undefined ? {} : { limit })).entry ?? []).map(reportOf);
  }

  async closeReport(id: number): Promise<void> {
    await this.request(MsgType.MOD_REPORT_CLOSE, { reportId: id });
  }

  /** A page of the audit trail, newest first: the newest, or those older than the entry numbered `before`. */
  async audit(page: { before?: number; limit?: number } = {}): Promise<AuditPage> {
    const reply = await this.request(MsgType.MOD_AUDIT, { ...(page.before !== undefined && { before: page.before }), ...(page.limit !== undefined && { limit: page.limit }) });
    return { entries: (reply.entry ?? []).map(auditEntryOf), more: reply.more ?? false };
  }

  /** Gives a registered account a staff role, or takes it (`none`) (admins); resolves with the name as registered. */
  async grant(name: string, role: StaffRole | 'none'): Promise<string> {
    return (await this.request(MsgType.MOD_GRANT, { name, role })).name ?? name;
  }

  /** Who is online, with address, since when, how connected, staff role and mute. */
  async onlineUsers(): Promise<OnlineUser[]> {
    return ((await this.request(MsgType.MOD_USERS, {})).entry ?? []).map(onlineUserOf);
  }

  /** Tells `name` "Warning from <you>: <text>", from Server. */
  async warn(name: string, text: string): Promise<void> {
    await this.request(MsgType.MOD_WARN, { name, text });
  }

  /** Disconnects `name`, who is told the reason. */
  async kick(name: string, reason?: string): Promise<void> {
    await this.request(MsgType.MOD_KICK, { name, ...(reason && { text: reason }) });
  }

  /** Mutes `name` for `seconds` (0 unmutes); resolves with when the mute ends. */
  async mute(name: string, seconds: number, reason?: string): Promise<Date | undefined> {
    const { until } = await this.request(MsgType.MOD_MUTE, { name, duration: seconds, ...(reason && { text: reason }) });
    return until === undefined ? undefined : new Date(until);
  }

  /** Bans a name, an account, or an address or CIDR block (admins); resolves with the ban made. */
  async ban(ban: BanRequest): Promise<Ban> {
    const what = ban.kind === 'address' ? { address: ban.value } : { name: ban.value };
    const reply = await this.request(MsgType.MOD_BAN, {
      kind: ban.kind, ...what, ...(ban.seconds !== undefined && { duration: ban.seconds }), ...(ban.reason && { text: ban.reason }),
    });
    return banOf(reply);
  }

  async unban(id: number): Promise<void> {
    await this.request(MsgType.MOD_UNBAN, { banId: id });
  }

  /** The bans in force. */
  async bans(): Promise<Ban[]> {
    return ((await this.request(MsgType.MOD_BANS, {})).entry ?? []).map(banOf);
  }

  /** Tells everyone `text`, from Server (admins). */
  async announce(text: string): Promise<void> {
    await this.request(MsgType.MOD_ANNOUNCE, { text });
  }

  /** Deletes anyone's message. */
  async deleteAny(id: number): Promise<void> {
    await this.request(MsgType.MOD_DELETE, { msgId: id });
  }

  /** Closes a room, or makes the user its owner (admins). */
  async moderateRoom(room: string, action: 'close' | 'takeover'): Promise<void> {
    await this.request(MsgType.MOD_ROOM, { room, action });
  }

  /** Sends a request and waits for its REPLY (its fields), or rejects with the ERROR that answered it (§10.1). */
  private request(type: RequestType, fields: ExtensionFields): Promise<ExtensionFields> {
    if (this.wire === 'classic') return Promise.reject(new HcpError(ErrorCode.REQUEST_INVALID, 'a classic server has no extensions'));
    const needed = capabilityOf(type);
    if (needed !== undefined && !this.granted.includes(needed)) {
      return Promise.reject(new HcpError(ErrorCode.REQUEST_INVALID, `the server did not grant the ${needed} capability`));
    }
    const id = this.nextRequestId++;
    const answered = new Promise<ExtensionFields>((resolve, reject) => this.requests.set(id, { resolve, reject }));
    this.connection.send(encodeFrame({ type, id, fields }));
    return answered;
  }

  /** The waiting request with this id, taken out of the waiting list. */
  private answer(id: number): { resolve(fields: ExtensionFields): void; reject(err: HcpError): void } | undefined {
    const waiting = this.requests.get(id);
    this.requests.delete(id);
    return waiting;
  }

  close(): void {
    this.closeReason ??= 'you left';
    this.connection.close();
  }

  private receive(type: number, body: Uint8Array): void {
    let msg: HcpMessage | undefined;
    try {
      msg = parseMessage(type, body);
    } catch {
      return; // the seed: discard what cannot be parsed
    }
    if (!msg) return;
    if (this.pendingNak && msg.type === MsgType.ERROR) return this.flushNak(msg);
    this.flushNak();
    switch (msg.type) {
      case MsgType.ACK:
        this.name = msg.name;
        this.users = [];
        return this.emit('accepted', { name: msg.name });
      case MsgType.NAK:
        if (this.wire === 'classic') return this.emit('refused', { name: msg.name });
        this.pendingNak = { name: msg.name, timer: setTimeout(() => this.flushNak(), NAK_REASON_WAIT_MS) };
        return;
      case MsgType.UPDATE: {
        const before = new Set(this.users.map(nameKey));
        const after = new Set(msg.names.map(nameKey));
        const initial = this.users.length === 0;
        const joined = initial ? [] : msg.names.filter((n) => !before.has(nameKey(n)));
        const left = this.users.filter((n) => !after.has(nameKey(n)));
        this.users = msg.names;
        this.statuses.forget(left);
        return this.emit('users', { users: this.users, joined, left, initial });
      }
      case MsgType.PRESENCE: {
        const joined: string[] = [];
        const left: string[] = [];
        // one pass however many entries (a storm's frame may carry thousands); a Set keeps the
        // order of joining, and one who leaves and comes back goes last
        const users = new Set(this.users);
        for (const change of msg.changes) {
          if (change.op === 0x01) {
            users.add(change.name);
            joined.push(change.name);
          } else {
            users.delete(change.name);
            left.push(change.name);
          }
        }
        this.users = [...users];
        this.statuses.forget(left);
        return this.emit('users', { users: this.users, joined, left, initial: false });
      }
      case MsgType.MESSAGE:
        return this.emit('message', { from: msg.from, to: msg.to, text: msg.text, own: false });
      case MsgType.STAMPED: {
        const stamped = stampedOf(msg.fields, this.name);
        if (stamped) this.emit('message', stamped);
        return;
      }
      case MsgType.DELETED:
        if (msg.fields.msgId !== undefined) this.emit('deleted', { id: msg.fields.msgId, conversation: msg.fields.conversation ?? '' });
        return;
      case MsgType.SESSION:
        if (msg.fields.token !== undefined) this.emit('session', { token: msg.fields.token });
        return;
      case MsgType.NOTICE:
        if (msg.fields.text !== undefined) this.emit('notice', { text: msg.fields.text });
        return;
      case MsgType.REPLY:
        return this.answer(msg.id)?.resolve(msg.fields);
      case MsgType.STATUS:
        return this.setStatuses(msg.fields.entry ?? []);
      case MsgType.ROOM_EVENT: {
        const event = roomEventOf(msg.fields);
        if (event) this.emit('room', event);
        return;
      }
      case MsgType.ERROR:
        if (msg.fatal) {
          this.closeReason = msg.reason;
          this.fatalCode = msg.code;
        }
        if (msg.id !== undefined && !msg.fatal) return this.answer(msg.id)?.reject(new HcpError(msg.code as ErrorCode, msg.reason));
        return this.emit('error', { code: msg.code, reason: msg.reason, fatal: msg.fatal });
      case MsgType.PING:
        return this.connection.send(encodeFrame({ type: MsgType.PONG, data: msg.data }));
      default:
        return;
    }
  }

  /** Reports a pending NAK, with the reason that followed it if any. */
  private flushNak(reason?: { code: number; reason: string }): void {
    const nak = this.pendingNak;
    if (!nak) return;
    this.pendingNak = undefined;
    clearTimeout(nak.timer);
    this.emit('refused', reason ? { name: nak.name, code: reason.code, reason: reason.reason } : { name: nak.name });
  }
}

import { ALL, Capability, ErrorCode, HcpError, nameKey, utf8Encode, type ExtensionFields } from '../protocol/index.js';
import type { BlockEntry, ChatClient, ClientEvents, RoomSettings, UsersEvent } from './client.js';
import { ACTION_PREFIX, actionOf } from './commands.js';
import type { Wire } from './connection.js';
import { Emitter } from './emitter.js';
import {
  isStamped, mergeCatchUp, pagesAfter, SeenMessages,
  type ClientMessage, type DeletedMessage, type HistoryPage, type PageAt, type SearchHit, type StampedMessage,
} from './history.js';
import {
  applyRoomEvent, findRoom, isRoomName, sameName, withoutRoom, withRoom, type RoomEvent, type RoomInfo, type RoomMember, type RoomRole,
} from './rooms.js';
import { LastingState, type ChatStorage, type GuestToken } from './session-storage.js';
import { isStaffRole, type StaffRole } from './moderation.js';
import { splitText } from './split-text.js';
import { AVAILABLE, type UserStatus } from './statuses.js';

/** Where a session stands, for the status line. */
export type SessionState =
  | { kind: 'connecting' }
  /** Connected, without a name yet; `waitingFor` while the server still holds our old connection's name. */
  | { kind: 'naming'; waitingFor?: string }
  | { kind: 'joined'; name: string }
  | { kind: 'disconnected'; reason: string; retryInMs: number }
  /** Put out by the server's staff (ERROR KICKED or BANNED, docs/protocol.md §10.6): no reconnecting until `rejoin`. */
  | { kind: 'removed'; code: number; reason: string };

export interface SessionEvents extends Record<string, unknown> {
  state: SessionState;
  /** Connected to the server: at the start, and after each reconnect; `joining` is the name about to be proposed. */
  connected: { address: string; wire: Wire; joining: string | undefined };
  /** The name was accepted; `again` after a reconnect ("Reconnected as alice"); `loggedIn` when taken by logging in to its account. */
  joined: { name: string; again: boolean; loggedIn?: true };
  /** The name was refused (or could not be taken back after a reconnect): pick another. */
  refused: ClientEvents['refused'];
  users: UsersEvent;
  /** A message to show, once: live, or missed and caught up on after a reconnect (docs/protocol.md §11). */
  message: ClientMessage;
  /** A message was deleted: told by the server (DELETED, §11), or the user's own, once the server deleted it. */
  deleted: DeletedMessage;
  /**
   * A catch-up is over (§11): the messages missed (`messages`) were just shown as `message` events,
   * in order with the live ones that came meanwhile.
   */
  caughtUp: { messages: StampedMessage[] };
  /** Reported by the server, or by the session about messages it could not send. */
  error: ClientEvents['error'];
  /** Whom plain text goes to changed, or they (a user, a room) left or came back. */
  target: { target: string; present: boolean };
  /** The rooms the user is in changed (docs/protocol.md §10.4): joined, parted, added or removed by someone, a topic. */
  rooms: RoomInfo[];
  /** Something happened in a room the user is in (ROOM_EVENT, §10.4). */
  room: RoomEvent;
  /** These users' status changed (§10.3): `statusOf` tells it. */
  statuses: ClientEvents['statuses'];
  /** The server's message of the day (NOTICE, §10.5): after each join, reconnects included. */
  notice: ClientEvents['notice'];
  /** The user's staff role (§10.6) is known: after each join with an account on a server granting `moderation`. */
  staff: { role: StaffRole | undefined };
}

export interface SessionOptions {
  /** Wait before the first reconnect; doubled after each failure up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** After a reconnect, how often and how far apart to ask for our name back while it is taken. */
  rejoinTries?: number;
  rejoinWaitMs?: number;
  /** The pace of sending: well under the server's flood limit (50 a second, burst 100, by default). */
  messagesPerSecond?: number;
  /**
   * Keeps the last message id seen and a guest's resume token beyond the session (§11), so that a
   * new one (a page reloaded) catches up and takes the guest's session back: a page's
   * sessionStorage, say. Without it they are kept in memory, for the session's life.
   */
  storage?: ChatStorage;
}

interface Outgoing {
  to: string;
  text: string;
  /** The message (as the user sent it) this part belongs to. */
  message: number;
}

/**
 * A chat session as a person has it, over connections that come and go: it connects, reconnects
 * with backoff after a drop under the same name, keeps whom the user talks to and who last
 * whispered, and sends texts of any length, split at the server's limit and paced under its flood
 * limit. Browser-safe: both clients run it, each over its own `connect`.
 */
export class ChatSession extends Emitter<SessionEvents> {
  state: SessionState = { kind: 'connecting' };
  /** Whom plain text goes to: everyone (`ALL`), one user, or a room; a user who leaves, or a room the user is no longer in, stays the target. */
  target = ALL;
  /** The rooms the user is in (docs/protocol.md §10.4), from replies and events; kept while reconnecting. */
  rooms: RoomInfo[] = [];
  /** ROOM_LISTs on their way, and the rooms deleted or left meanwhile (by key): an answer may still hold them. */
  private listings = 0;
  private readonly goneWhileListing = new Set<string>();
  /** The last user who whispered to us: `/r` answers them. */
  lastWhisperer: string | undefined;
  /** The user's staff role (§10.6), learned after joining: undefined for guests and accounts without one. */
  staffRole: StaffRole | undefined;
  private client: ChatClient | undefined;
  /** The name accepted, proposed again after each reconnect. */
  private joinedName: string | undefined;
  /** A name asked for while there was no connection, proposed once there is one. */
  private wantedName: string | undefined;
  /**
   * The password of the account the user logged in to (or registered), so that a reconnect logs
   * in again. Kept in memory only, for this session's life: never written anywhere, never logged.
   */
  private password: string | undefined;
  /** The next join creates the account it logs in to (signUp). */
  private creating = false;
  private proposing = false;
  private retryMs: number;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private outbox: Outgoing[] = [];
  private pacing: ReturnType<typeof setTimeout> | undefined;
  private messages = 0;
  private toldTargetPresent = true;
  private started = false;
  private stopped = false;
  private readonly options: Required<Omit<SessionOptions, 'storage'>>;
  /** The cursor and a guest's token, kept (§11). */
  private readonly lasting: LastingState;
  /** The messages shown, by id: the cursor, and no message twice. */
  private readonly seen: SeenMessages;
  /** Live messages held while this connection catches up (§11); undefined when it does not. */
  private held: StampedMessage[] | undefined;

  constructor(
    private readonly connect: () => Promise<ChatClient>,
    options: SessionOptions = {},
  ) {
    super();
    const { storage, ...timing } = options;
    this.options = { firstRetryMs: 1000, maxRetryMs: 10_000, rejoinTries: 5, rejoinWaitMs: 2000, messagesPerSecond: 10, ...timing };
    this.retryMs = this.options.firstRetryMs;
    this.lasting = new LastingState(storage);
    this.seen = new SeenMessages(this.lasting.cursor);
  }

  /** Connects, once (add listeners first); later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.open();
  }

  get name(): string | undefined {
    return this.joinedName;
  }

  /** Everyone online, the user included (nobody while disconnected). */
  get users(): string[] {
    return this.client?.users ?? [];
  }

  get address(): string | undefined {
    return this.client?.address;
  }

  get wire(): Wire | undefined {
    return this.client?.wire;
  }

  /** Whether the server has accounts (granted the `accounts` capability on this connection). */
  get accounts(): boolean {
    return this.client?.granted.includes(Capability.ACCOUNTS) ?? false;
  }

  /** `name`'s status (§10.3): away or busy as the server told, else available (also while disconnected). */
  statusOf(name: string): UserStatus {
    return this.client?.statuses.of(name) ?? AVAILABLE;
  }

  /** Whether the server has rooms (granted the `rooms` capability on this connection). */
  get roomsEnabled(): boolean {
    return this.client?.granted.includes(Capability.ROOMS) ?? false;
  }

  /** Whether the server keeps history (granted the `history` capability on this connection): messages carry ids and times. */
  get historyEnabled(): boolean {
    return this.client?.stamped ?? false;
  }

  /** The highest message id shown (§11): a catch-up after a reconnect starts from it. */
  get cursor(): number | undefined {
    return this.seen.cursor;
  }

  /** Whether the user holds their name by an account (logged in or registered), so reconnects log in again. */
  get loggedIn(): boolean {
    return this.password !== undefined && this.joinedName !== undefined;
  }

  /** Whether the target is everyone, someone online or a room the user is in (a whisper target may have left). */
  get targetPresent(): boolean {
    return this.present(this.target);
  }

  /** Whether messages can go to `to` now: ALL, a user online, or a room the user is in. */
  present(to: string): boolean {
    return this.receiver(to) !== undefined;
  }

  /** Asks for a name; answered by a `joined` or a `refused` event. Without a connection, asked once there is one. */
  join(name: string): void {
    if (this.joinedName !== undefined || this.proposing) return;
    if (this.client) void this.register(name, false);
    else this.wantedName = name;
  }

  /**
   * Takes a registered name by logging in (docs/protocol.md §10.3); answered like `join`, by a
   * `joined` (with `loggedIn`) or a `refused` event. Without a connection, done once there is one.
   */
  login(name: string, password: string): void {
    if (this.joinedName !== undefined || this.proposing) return;
    this.password = password;
    this.join(name);
  }

  /**
   * Creates an account for `name` before joining, and joins with it (docs/protocol.md §10.3: the
   * way in on a server that admits only users who log in); answered like `login`.
   */
  signUp(name: string, password: string): void {
    if (this.joinedName !== undefined || this.proposing) return;
    this.password = password;
    this.creating = true;
    this.join(name);
  }

  /** Registers the name held with `password`; later reconnects log in with it. Rejects with the server's refusal. */
  async createAccount(password: string): Promise<void> {
    await this.ask((c) => c.createAccount(password));
    this.password = password;
    this.lasting.guest = undefined; // a reconnect logs in: nothing to resume
  }

  async changePassword(password: string, newPassword: string): Promise<void> {
    await this.ask((c) => c.changePassword(password, newPassword));
    this.password = newPassword;
  }

  /** Deletes the account; the user stays online as a guest, and reconnects as one. Its rooms are left (§10.4). */
  async deleteAccount(password: string): Promise<void> {
    await this.ask((c) => c.deleteAccount(password));
    this.password = undefined;
    if (this.staffRole !== undefined) this.emit('staff', { role: (this.staffRole = undefined) });
    void this.learnRooms();
  }

  /** Changes the given fields of the user's profile; resolves with the whole profile. */
  setProfile(fields: Parameters<ChatClient['setProfile']>[0]): Promise<ExtensionFields> {
    return this.ask((c) => c.setProfile(fields));
  }

  /** Looks a user up (online or registered), named or not yet. */
  whois(name: string): Promise<ExtensionFields> {
    const client = this.client;
    if (!client) throw new HcpError(ErrorCode.NOT_REGISTERED, this.notJoinedReason());
    return untilClosed(client, client.whois(name));
  }

  // Blocking (docs/protocol.md §10.7).

  block(name: string): Promise<string> {
    return this.ask((c) => c.block(name));
  }

  unblock(name: string): Promise<void> {
    return this.ask((c) => c.unblock(name));
  }

  blocks(): Promise<BlockEntry[]> {
    return this.ask((c) => c.blocks());
  }

  // Rooms (docs/protocol.md §10.4): each call resolves once the server answered, `rooms` updated.

  /** Creates a room (registered users only) and is in it, as its owner. */
  async createRoom(room: string, settings: RoomSettings = {}): Promise<RoomInfo> {
    return this.keepRoom(await this.ask((c) => c.createRoom(room, settings)));
  }

  async joinRoom(room: string): Promise<RoomInfo> {
    return this.keepRoom(await this.ask((c) => c.joinRoom(room)));
  }

  /** Joins a room, creating it when there is none and the user may (logged in): `/join` as irssi users know it. */
  async enterRoom(room: string): Promise<{ room: RoomInfo; created: boolean }> {
    try {
      return { room: await this.joinRoom(room), created: false };
    } catch (err) {
      if (!(err instanceof HcpError && err.code === ErrorCode.NO_SUCH_ROOM && this.loggedIn)) throw err;
      return { room: await this.createRoom(room), created: true };
    }
  }

  async partRoom(room: string): Promise<void> {
    await this.ask((c) => c.partRoom(room));
    this.setRooms(withoutRoom(this.rooms, room));
  }

  /** The rooms the user may see, joined or not. */
  listRooms(): Promise<RoomInfo[]> {
    return this.ask((c) => c.listRooms());
  }

  roomMembers(room: string): Promise<RoomMember[]> {
    return this.ask((c) => c.roomMembers(room));
  }

  async setRoom(room: string, settings: RoomSettings): Promise<RoomInfo> {
    return this.keepRoom(await this.ask((c) => c.setRoom(room, settings)));
  }

  async inviteToRoom(room: string, name: string): Promise<void> {
    await this.ask((c) => c.inviteToRoom(room, name));
    void this.learnRooms(); // its count of members
  }

  async removeFromRoom(room: string, name: string): Promise<void> {
    await this.ask((c) => c.removeFromRoom(room, name));
    void this.learnRooms();
  }

  async deleteRoom(room: string): Promise<void> {
    await this.ask((c) => c.deleteRoom(room));
    this.setRooms(withoutRoom(this.rooms, room));
  }

  /** Gives a member a role; `owner` hands the room over (the user's events tell others, not the user: §10.4). */
  async setRoomRole(room: string, name: string, role: RoomRole): Promise<void> {
    await this.ask((c) => c.setRoomRole(room, name, role));
    const mine = findRoom(this.rooms, room);
    if (mine && role === 'owner' && !sameName(name, this.joinedName ?? '')) this.keepRoom({ ...mine, role: 'operator' });
  }

  // History (docs/protocol.md §11): a conversation is `All`, a room, or the other party of whispers.

  /** A page of a conversation, oldest first: the newest, or older than `before`, or newer than `after`. */
  history(conversation: string, at: PageAt & { limit?: number } = {}): Promise<HistoryPage> {
    return this.ask((c) => c.history(conversation, at));
  }

  /** Messages holding every word of `query`, newest first, each with its conversation. */
  search(query: string, options: Parameters<ChatClient['search']>[1] = {}): Promise<SearchHit[]> {
    return this.ask((c) => c.search(query, options));
  }

  /** Deletes a message the user sent; everyone who has it, the user included, is told by a DELETED (§11). */
  async deleteMessage(id: number): Promise<void> {
    await this.ask((c) => c.deleteMessage(id));
  }

  /** Reports a message to the moderators (REPORT, §10.6); resolves with the report's number. */
  async report(msgId: number, reason?: string): Promise<number> {
    return this.ask((c) => c.report(msgId, reason));
  }

  /**
   * Talks to `to` (a user online, a room the user is in, or ALL) from now on; throws HcpError when
   * there is none such. With `absent`, also to a user who left or a room the user is no longer in
   * (a client showing their conversation again): the target then waits for them, as for one who
   * leaves while being the target.
   */
  setTarget(to: string, { absent = false } = {}): void {
    const present = this.receiver(to);
    if (present === undefined && !absent) throw this.unreachable(to);
    const target = present ?? to;
    this.target = target;
    this.toldTargetPresent = present !== undefined;
    this.emit('target', { target, present: present !== undefined });
  }

  /**
   * Sends `text` to `to` (the target by default): split into as few messages as the server's text
   * limit needs, each sent in turn at a pace the flood limit allows. Returns how many messages it
   * takes; throws HcpError, and sends nothing, when it cannot be sent now (not joined, the
   * receiver is not online, an empty text).
   */
  send(text: string, to = this.target): number {
    const client = this.client;
    if (!client || this.state.kind !== 'joined') throw new HcpError(ErrorCode.NOT_REGISTERED, this.notJoinedReason());
    const receiver = this.receiver(to);
    if (receiver === undefined) throw this.unreachable(to);
    const parts = this.split(text, client.maxTextBytes);
    if (parts.length === 0) throw new HcpError(ErrorCode.EMPTY_TEXT, 'the message is empty');
    const message = ++this.messages;
    for (const part of parts) this.outbox.push({ to: receiver, text: part, message });
    this.pump();
    return parts.length;
  }

  /**
   * After being put out (state `removed`): connects again and asks for the name back, logged in
   * as before; a ban refuses it (`refused`, or `removed` again for a banned address) with its reason.
   */
  rejoin(): void {
    if (this.state.kind !== 'removed' || this.stopped) return;
    this.retryMs = this.options.firstRetryMs;
    void this.open();
  }

  /** Leaves for good: no reconnect. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.pacing);
    this.client?.close();
  }

  private async open(): Promise<void> {
    this.setState({ kind: 'connecting' });
    let client: ChatClient;
    try {
      client = await this.connect();
    } catch (err) {
      return this.retryLater(err instanceof Error ? err.message : String(err));
    }
    if (this.stopped) return client.close();
    this.retryMs = this.options.firstRetryMs;
    this.client = client;
    client.on('users', (e) => this.onUsers(e));
    client.on('message', (m) => this.onMessage(m));
    client.on('deleted', (e) => this.emit('deleted', e));
    client.on('session', ({ token }) => {
      if (client.name !== undefined) this.lasting.guest = { name: client.name, token };
    });
    client.on('room', (e) => this.onRoomEvent(e));
    client.on('statuses', (e) => this.emit('statuses', e));
    client.on('notice', (e) => this.emit('notice', e));
    client.on('error', (e) => this.emit('error', e));
    client.on('close', ({ reason, code }) => this.onClose(client, reason, code));
    // before the name: a login needs the capability (a classic server has none: no wait)
    await client.requestCapabilities([Capability.ACCOUNTS, Capability.ROOMS, Capability.HISTORY, Capability.NOTICES, Capability.MODERATION]);
    if (client !== this.client) return;
    // ids of another history (a server whose history started anew) mean nothing here (§11)
    if (client.epoch !== undefined && this.lasting.belongTo(client.epoch)) this.seen.forget();
    // what comes live waits while what was missed since the cursor is asked for (§11)
    this.held = client.stamped && this.seen.cursor !== undefined ? [] : undefined;
    const name = this.joinedName ?? this.wantedName;
    this.emit('connected', { address: client.address, wire: client.wire, joining: name });
    this.setState({ kind: 'naming' });
    if (name !== undefined) void this.register(name, this.joinedName !== undefined);
  }

  /**
   * Proposes `name`, or logs in to its account when the user has one, or resumes the guest's
   * session that held it (RESUME with its token, §11; a proposal when the token is refused); after
   * a reconnect (`again`), waits a while for the server to release it.
   */
  private async register(name: string, again: boolean): Promise<void> {
    const client = this.client!;
    this.proposing = true;
    try {
      for (let tries = this.options.rejoinTries; ; tries--) {
        const password = this.password;
        const guest = password === undefined ? this.resumable(client, name) : undefined;
        const answer = password !== undefined
          ? await requestAnswer(client, this.creating ? client.createAccount(password, name) : client.login(name, password))
          : guest !== undefined ? await requestAnswer(client, client.resume(guest.token)) : await client.register(name);
        this.creating = false; // made or not, the account is not made again: a reconnect logs in
        if (client !== this.client) return; // the connection dropped: the reconnect proposes again
        if (answer.accepted) {
          this.joinedName = answer.name;
          this.wantedName = undefined;
          if (password !== undefined) this.lasting.guest = undefined; // an account's name is logged in to, never resumed
          this.setState({ kind: 'joined', name: answer.name });
          this.emit('joined', { name: answer.name, again, ...(password !== undefined && { loggedIn: true as const }) });
          void this.afterJoin(client, again && password === undefined);
          if (password !== undefined) void this.learnStaffRole(client, answer.name);
          return;
        }
        if (guest !== undefined && answer.code !== ErrorCode.NAME_TAKEN) {
          // unknown or expired (a server restarted), or the name registered since: join anew
          this.lasting.guest = undefined;
          continue;
        }
        // a classic server says no more than "refused"; the name was fine before, so likely taken
        const taken = answer.code === ErrorCode.NAME_TAKEN || (answer.code === undefined && client.wire === 'classic');
        if (again && taken && tries > 1) {
          // the server has not yet noticed that our old connection is gone
          this.setState({ kind: 'naming', waitingFor: name });
          await new Promise((resolve) => setTimeout(resolve, this.options.rejoinWaitMs));
          if (client !== this.client) return;
          continue;
        }
        this.joinedName = this.wantedName = this.password = undefined;
        this.setState({ kind: 'naming' });
        this.emit('refused', { name, code: answer.code, reason: answer.reason ?? (again ? `"${name}" is still taken` : undefined) });
        return;
      }
    } finally {
      this.proposing = false;
    }
  }

  /**
   * The protocol has no "my role" request: MOD_USERS answers staff only, and carries each staff
   * member's ROLE, the user's own included (§10.6); anyone else is refused (FORBIDDEN).
   */
  private async learnStaffRole(client: ChatClient, name: string): Promise<void> {
    if (!client.granted.includes(Capability.MODERATION)) return;
    const role = await client.onlineUsers().then((users) => users.find((u) => sameName(u.name, name))?.role, () => undefined);
    if (client !== this.client) return;
    this.staffRole = isStaffRole(role) ? role : undefined;
    this.emit('staff', { role: this.staffRole });
  }

  /** Whether the server offers moderation (granted `moderation` on this connection); only staff may use it. */
  get moderationEnabled(): boolean {
    return this.client?.granted.includes(Capability.MODERATION) ?? false;
  }

  /** A moderation request (§10.6) on the connection, once joined: `session.moderate((c) => c.kick(name, why))`. */
  moderate<T>(request: (client: ChatClient) => Promise<T>): Promise<T> {
    return this.ask(request);
  }

  /** The guest's session to resume for `name`, when the server keeps history and the session holds its token. */
  private resumable(client: ChatClient, name: string): GuestToken | undefined {
    const guest = this.lasting.guest;
    return client.stamped && guest !== undefined && sameName(guest.name, name) ? guest : undefined;
  }

  /** Once the name is taken: the rooms the user is in (a guest's, after a reconnect, joined again: `rejoin`), then what was missed. */
  private async afterJoin(client: ChatClient, rejoin: boolean): Promise<void> {
    await this.learnRooms({ rejoin });
    if (client !== this.client || !client.stamped) return;
    if (this.held !== undefined) await this.catchUp(client, rejoin ? this.rooms.map((r) => r.name) : []);
    if (client === this.client && this.seen.cursor === undefined) await this.learnCursor(client);
  }

  /**
   * No message seen yet (the first join, or a server whose history was reset): the newest of the
   * lobby is where a catch-up after a drop starts, so that nothing said after the user joined is
   * missed, however quiet it was.
   */
  private async learnCursor(client: ChatClient): Promise<void> {
    try {
      const newest = await untilClosed(client, client.history(ALL, { limit: 1 }));
      this.seen.cursor ??= newest.messages[0]?.id ?? 0;
      this.lasting.cursor = this.seen.cursor;
    } catch {
      // the next message seen sets it
    }
  }

  /**
   * Catches up (docs/protocol.md §11): asks CATCH_UP from the cursor, again while MORE, then shows
   * what was missed and the live messages held meanwhile, each once, in order (refused: the live
   * ones, and why, without a `caughtUp`). The rooms a guest
   * joined again after its name (`rejoined`) are read from the cursor on too: what was said there
   * between its name and its join came neither live nor in the catch-up.
   */
  private async catchUp(client: ChatClient, rejoined: readonly string[]): Promise<void> {
    const after = this.seen.cursor ?? 0;
    const missed: StampedMessage[] = [];
    let failed = false;
    try {
      missed.push(...(await untilClosed(client, pagesAfter(after, (from) => client.catchUp(from)))));
      for (const room of rejoined) {
        missed.push(...(await untilClosed(client, pagesAfter(after, (from) => client.history(room, { after: from })))));
      }
    } catch (err) {
      if (client !== this.client) return; // the next connection catches up from the same cursor
      failed = true;
      const code = err instanceof HcpError ? err.code : ErrorCode.INTERNAL;
      // HISTORY_INVALID: the server never gave the cursor; its history started anew (a server that keeps none on disk)
      const reset = code === ErrorCode.HISTORY_INVALID;
      if (reset) this.seen.forget();
      const why = reset ? "the server's history starts after you left (it was reset)" : (err as Error).message;
      this.emit('error', { code, reason: `could not catch up on what you missed: ${why}`, fatal: false });
    }
    if (client !== this.client) return;
    const { show, caughtUp } = mergeCatchUp(missed, this.held ?? [], this.seen);
    this.held = undefined;
    this.lasting.cursor = this.seen.cursor;
    for (const m of show) this.show(m);
    if (!failed) this.emit('caughtUp', { messages: caughtUp });
  }

  /** A message from the connection: held while catching up, shown once (§11). */
  private onMessage(m: ClientMessage): void {
    if (!isStamped(m)) return this.show(m);
    if (this.held !== undefined) return void this.held.push(m);
    if (!this.seen.see(m.id)) return;
    this.lasting.cursor = this.seen.cursor;
    this.show(m);
  }

  private show(m: ClientMessage): void {
    if (!m.own && m.to !== ALL && !isRoomName(m.to)) this.lastWhisperer = m.from;
    this.emit('message', m);
  }

  private onUsers(event: UsersEvent): void {
    // one who comes back may spell their name in another case: whisper to them as they are now
    this.target = this.target === ALL ? ALL : (this.online(this.target) ?? this.target);
    this.emit('users', event);
    this.tellTargetPresence();
  }

  private onRoomEvent(e: RoomEvent): void {
    const me = this.joinedName ?? '';
    this.setRooms(applyRoomEvent(this.rooms, e, me));
    const mine = e.name !== undefined && sameName(e.name, me);
    if (this.listings > 0 && (e.event === 'delete' || (e.event === 'part' && mine))) this.goneWhileListing.add(nameKey(e.room));
    // added by someone: the event does not carry the room's fields, the list does
    if (e.event === 'join' && mine) {
      this.goneWhileListing.delete(nameKey(e.room));
      void this.learnRooms();
    }
    this.emit('room', e);
    this.tellTargetPresence();
  }

  /**
   * Asks which rooms the user is in (ROOM_LIST, after each join: §10.4). A registered user's
   * memberships are kept by the server; a guest's last as long as its connection, so after a
   * reconnect (`rejoin`) a guest joins again the public rooms it was in.
   */
  private async learnRooms({ rejoin = false } = {}): Promise<void> {
    const client = this.client;
    if (!client || !this.roomsEnabled) return this.setRooms([]);
    const before = this.rooms;
    this.listings++;
    try {
      const visible = await untilClosed(client, client.listRooms());
      if (client !== this.client) return;
      let rooms = visible.filter((r) => r.joined && !this.goneWhileListing.has(nameKey(r.name)));
      if (rejoin) {
        for (const lost of before.filter((r) => !findRoom(rooms, r.name))) {
          const again = findRoom(visible, lost.name) && (await untilClosed(client, client.joinRoom(lost.name)).catch(() => undefined));
          if (again) rooms = withRoom(rooms, again);
          else this.emit('error', { code: ErrorCode.NO_SUCH_ROOM, reason: `could not join ${lost.name} again after reconnecting`, fatal: false });
        }
      }
      if (client === this.client) this.setRooms(rooms);
    } catch (err) {
      this.emit('error', { code: err instanceof HcpError ? err.code : ErrorCode.INTERNAL, reason: `could not list your rooms: ${(err as Error).message}`, fatal: false });
    } finally {
      if (--this.listings === 0) this.goneWhileListing.clear();
    }
  }

  /** The rooms with `room` as the server just described it (joined, or changed). */
  private keepRoom(room: RoomInfo): RoomInfo {
    this.setRooms(room.joined ? withRoom(this.rooms, room) : withoutRoom(this.rooms, room.name));
    return room;
  }

  private setRooms(rooms: RoomInfo[]): void {
    if (JSON.stringify(rooms) === JSON.stringify(this.rooms)) return;
    this.rooms = rooms;
    this.emit('rooms', rooms);
    this.tellTargetPresence();
  }

  /** Emits `target` when the target left or came back since last told. */
  private tellTargetPresence(): void {
    const present = this.targetPresent;
    if (present === this.toldTargetPresent) return;
    this.toldTargetPresent = present;
    this.emit('target', { target: this.target, present });
  }

  private onClose(client: ChatClient, reason: string, code: number | undefined): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.held = undefined; // the next connection catches up on them
    this.dropOutbox('the connection was lost');
    if (this.stopped) return;
    this.tellTargetPresence();
    // kicked or banned (online, or at connect): coming back by itself would defy the moderator
    if (code === ErrorCode.KICKED || code === ErrorCode.BANNED) return this.setState({ kind: 'removed', code, reason });
    this.retryLater(reason);
  }

  private retryLater(reason: string): void {
    if (this.stopped) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(delay * 2, this.options.maxRetryMs);
    this.setState({ kind: 'disconnected', reason, retryInMs: delay });
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.emit('state', state);
  }

  private notJoinedReason(): string {
    const s = this.state;
    if (s.kind === 'disconnected') return `not connected: reconnecting in ${Math.ceil(s.retryInMs / 1000)} s`;
    if (s.kind === 'connecting') return 'not connected yet';
    if (s.kind === 'removed') return `not connected: ${s.reason}`;
    return 'pick a name first';
  }

  /** A request on the connection, when the user has a name on it (else throws why not), rejected if the connection drops first. */
  private ask<T>(request: (client: ChatClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client || this.state.kind !== 'joined') throw new HcpError(ErrorCode.NOT_REGISTERED, this.notJoinedReason());
    return untilClosed(client, request(client));
  }

  private online(name: string): string | undefined {
    return this.users.find((u) => nameKey(u) === nameKey(name));
  }

  /** `to` as messages go to it now: ALL, the room the user is in, or the user online, as the server has their names. */
  private receiver(to: string): string | undefined {
    if (nameKey(to) === nameKey(ALL)) return ALL;
    return isRoomName(to) ? findRoom(this.rooms, to)?.name : this.online(to);
  }

  /** Why nothing can go to `to` now, with what to do about it. */
  private unreachable(to: string): HcpError {
    const target = nameKey(to) === nameKey(this.target);
    if (isRoomName(to)) {
      return new HcpError(ErrorCode.NOT_IN_ROOM, target ? `you are not in ${to} (any more); /all to talk to everyone` : `you are not in ${to}: /join ${to} first`);
    }
    return new HcpError(ErrorCode.UNKNOWN_RECEIVER, target ? `${this.target} left; /all to talk to everyone` : `nobody called "${to}" is online`);
  }

  /** An action ("/me …") stays one in every part. */
  private split(text: string, maxBytes: number): string[] {
    const action = actionOf(text);
    if (action === undefined) return splitText(text, maxBytes);
    return splitText(action, maxBytes - utf8Encode(ACTION_PREFIX).length).map((part) => ACTION_PREFIX + part);
  }

  /** Sends the next part, then waits a beat before the one after (the flood limit counts messages). */
  private pump(): void {
    if (this.pacing !== undefined) return;
    const next = this.outbox.shift();
    if (!next) return;
    try {
      // the user may have left a room between two parts: its rest is not sent
      if (isRoomName(next.to) && !this.present(next.to)) throw this.unreachable(next.to);
      this.client!.send(next.to, next.text);
    } catch (err) {
      // the receiver left between two parts: the rest of that message cannot follow
      const dropped = this.outbox.filter((o) => o.message === next.message).length + 1;
      this.outbox = this.outbox.filter((o) => o.message !== next.message);
      const code = err instanceof HcpError ? err.code : ErrorCode.INTERNAL;
      this.emit('error', { code, reason: `${(err as Error).message}: ${partsNotSent(dropped)}`, fatal: false });
    }
    this.pacing = setTimeout(() => {
      this.pacing = undefined;
      this.pump();
    }, 1000 / this.options.messagesPerSecond);
  }

  private dropOutbox(why: string): void {
    clearTimeout(this.pacing);
    this.pacing = undefined;
    if (this.outbox.length > 0) this.emit('error', { code: ErrorCode.NOT_REGISTERED, reason: `${why}: ${partsNotSent(this.outbox.length)}`, fatal: false });
    this.outbox = [];
  }
}

/** A request that takes a name (LOGIN, ACCOUNT_CREATE, RESUME) answered as a proposal is (ChatClient.register): the name taken, or why not. */
async function requestAnswer(client: ChatClient, request: Promise<unknown>): ReturnType<ChatClient['register']> {
  try {
    await untilClosed(client, request);
    return { accepted: true, name: client.name! };
  } catch (err) {
    return { accepted: false, code: err instanceof HcpError ? err.code : undefined, reason: (err as Error).message };
  }
}

/** A request's answer, or a rejection when the connection closes first (its answer would never come). */
function untilClosed<T>(client: ChatClient, request: Promise<T>): Promise<T> {
  if (client.closed) return Promise.reject(new HcpError(ErrorCode.NOT_REGISTERED, 'the connection was lost'));
  const closed = client.once('close').then(({ reason }): never => {
    throw new HcpError(ErrorCode.NOT_REGISTERED, `the connection was lost: ${reason}`);
  });
  return Promise.race([request, closed]);
}

function partsNotSent(n: number): string {
  return n === 1 ? 'the last part of your message was not sent' : `the last ${n} parts of your message were not sent`;
}

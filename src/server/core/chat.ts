import {
  Capability, encodeFrame, encodeMessageFrame, encodeNameField, ErrorCode, HcpError, isModerationRequest, MsgType, NAME_BYTES, nameKey, readNameField, ROOM_PREFIX, SERVER, utf8DecodeStrict,
  utf8Encode, validateName,
  type ExtensionFields, type ExtensionMessage,
} from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';
import { LocalDirectory } from './directory.js';
import { coarseNow, isLoopback } from './limits.js';
import { fieldLength, isLobbyField, LOBBY, LOBBY_FIELD, LOBBY_KEY, LOBBY_NAME, type Lobby } from './lobby.js';
import type { PeerLink } from './peer.js';
import type { AccountStore, BlockStore, Directory, HistoryStore, ModerationStore, RoomStore, Router, StoredMessage } from './ports.js';
import { Blocks } from './blocks.js';
import { Moderation } from './moderation.js';
import { Room, Rooms } from './rooms.js';
import { conversationName, History, whisperKey, type HistoryOptions } from './history.js';
import { PresenceBatcher } from './presence.js';
import { RelayLog } from './relay-log.js';
import { LocalRouter } from './router.js';
import { Accounts } from './accounts.js';
import { LoginThrottle } from './login-throttle.js';
import { Session, type SessionHost, type SessionOptions } from './session.js';
import { AVAILABLE, Statuses } from './statuses.js';
import { newStats, tally, type MessageKind } from './stats.js';

/** Failed logins wait twice as long each time, up to this lock-out window (docs/security.md). */
const LOGIN_LOCKOUT_MS = 15 * 60_000;

export interface CoreOptions extends SessionOptions, HistoryOptions {
  /** Keep history and offer the `history` capability (docs/protocol.md §11), given a store for it. */
  history: boolean;
  /** optional: guests and accounts; required: only logged-in users; off: no accounts (docs/protocol.md §10.3). */
  accounts: 'optional' | 'required' | 'off';
  /** The wait after a first failed login; it doubles with each failure (LoginThrottle). */
  loginDelayMs: number;
  /** Log message texts too (off by default: privacy). */
  logText: boolean;
  /** Relayed messages logged one line each per second; the rest are summarised. */
  logRelaysPerSecond: number;
  /**
   * Shortest time between two presence flushes (0 = one per turn of the event loop); during a storm
   * of joins it grows (see PresenceBatcher), so each peer gets a frame per window, not one per join.
   */
  presenceWindowMs: number;
  /**
   * Bytes of full user lists written to newcomers per turn of the event loop (at least one list):
   * a join storm's lists go out in slices, so the server keeps answering everyone meanwhile.
   */
  welcomeBytesPerTurn: number;
  /** Message of the day and rules, shown after registration; '' = none. */
  motd: string;
  /** Connections at once, in all. */
  maxConnections: number;
  /** Connections at once from one address (loopback exempt unless limitLoopback). */
  maxConnectionsPerAddress: number;
  /** Connections at once that have no name yet. */
  maxUnregistered: number;
  limitLoopback: boolean;
  /**
   * A framed peer silent for half of this gets a PING; silent for all of it, it is dropped
   * (IDLE_TIMEOUT). Classic peers have no PING and may lurk: TCP keep-alive finds dead ones. 0 = off.
   */
  idleTimeoutMs: number;
}

const PING_FRAME = encodeFrame({ type: MsgType.PING, data: new Uint8Array(0) });
/** The sender of the message of the day in its MESSAGE form: a name nobody may take (docs/protocol.md §2). */
const SERVER_FIELD = encodeNameField(SERVER);

/**
 * The chat core: who is online, registration, routing and presence, in one place. It sees
 * connections only as PeerLinks; transports create a Session per connection with `connect` and
 * feed it decoded messages.
 */
/** What the core works with besides its options: its seams, in-process unless given. */
export interface CoreSeams {
  directory?: Directory<Session>;
  router?: Router<Session>;
  /** Accounts and profiles; without a store the server has none (and offers no `accounts`). */
  accounts?: AccountStore;
  /** Rooms and memberships: offered (`rooms`) together with accounts. */
  rooms?: RoomStore;
  /** Every message said: offered (`history`) unless the options say no. */
  history?: HistoryStore;
  /** The end of each turn, when the transports write: history is stored first (docs/protocol.md §11). */
  turns?: TurnEnd;
  /** Staff roles, bans, admin tokens, the audit trail: moderation (docs/protocol.md §10.6) is offered with it. */
  moderation?: ModerationStore;
  /** The accounts each account blocks: blocking (docs/protocol.md §10.7) is offered with accounts. */
  blocks?: BlockStore;
}

/** Where the transports write what a turn queued; the core asks for it, and stores its history first. */
export interface TurnEnd {
  /** Asks for the end of this turn to come (the writes), if it is not already asked for. */
  wake(): void;
  /** Set by the core: run at the end of each turn before any byte is written; the writes wait for it. */
  beforeWrites: (() => Promise<void> | undefined) | undefined;
}

export class ChatCore implements SessionHost {
  /** What CAPS may grant (docs/protocol.md §10.2): `accounts` when there is a store for them. */
  readonly capabilities: ReadonlySet<string>;
  private readonly directory: Directory<Session>;
  private readonly router: Router<Session>;
  private readonly accounts: Accounts | undefined;
  private readonly rooms: Rooms<Session> | undefined;
  private readonly history: History<Session> | undefined;
  /** Roles, bans, mutes and the staff's actions (docs/protocol.md §10.6); the HTTP admin API uses it too. */
  readonly moderation: Moderation | undefined;
  /** Who blocks whom (docs/protocol.md §10.7): with accounts. */
  private readonly blocks: Blocks<Session> | undefined;
  /** Who online is away or busy, told to peers granted `accounts` (docs/protocol.md §10.3). */
  private readonly statuses: Statuses | undefined;
  /** Online connections granted history: while there are none, no STAMPED frame is built. */
  private stampedOnline = 0;
  private readonly sessions = new Set<Session>();
  private nextId = 1;
  private readonly presence: PresenceBatcher;
  private readonly relayLog: RelayLog;
  private readonly perAddress = new Map<string, number>();
  private idleSweep: ReturnType<typeof setInterval> | undefined;
  /** Running counts for the server's metrics (stats.ts). */
  readonly stats = newStats();
  /** The message of the day as last encoded, in both forms. */
  private motdFrames: { text: string; notice: Uint8Array; message: Uint8Array } | undefined;

  constructor(
    readonly options: CoreOptions,
    readonly log: Logger,
    seams: CoreSeams = {},
  ) {
    this.directory = seams.directory ?? new LocalDirectory<Session>();
    this.router = seams.router ?? new LocalRouter<Session>();
    const store = options.accounts === 'off' ? undefined : seams.accounts;
    const accounts = (this.accounts = store && new Accounts(store, new LoginThrottle(options.loginDelayMs, LOGIN_LOCKOUT_MS)));
    this.statuses = accounts && new Statuses(() => this.presence.flush());
    this.blocks = accounts && seams.blocks && new Blocks(seams.blocks, {
      byKey: (key) => this.directory.byKey(key),
      accountName: async (key) => (accounts.isRegistered(key) ? (await accounts.find(key))?.name : undefined),
    }, log);
    this.rooms = accounts && seams.rooms && new Rooms(seams.rooms, this.directory, this.router, log, async (key) => (await accounts.find(key))?.name, () => this.history?.nextId ?? 0);
    if (options.history && seams.history) {
      const turns = seams.turns;
      const wake = turns ? () => turns.wake() : () => setImmediate(() => void this.history!.commit());
      this.history = new History(
        seams.history, options, log, wake, (sender) => this.notKept(sender), (member, key) => this.rooms?.firstReadable(member, key) ?? 0,
        (member) => this.blocks?.blockedBy(member),
      );
      if (turns) turns.beforeWrites = () => this.history!.commit();
    }
    this.moderation = seams.moderation && new Moderation(seams.moderation, store, {
      online: () => this.directory.online(),
      byKey: (key) => this.directory.byKey(key),
      connections: () => this.sessions,
      deleteMessage: (id) => this.deleteMessage(undefined, id),
      readableMessage: async (session, id) => {
        const message = await this.history!.message(id);
        if (!this.mayRead(session, message)) throw new HcpError(ErrorCode.NO_SUCH_MESSAGE, `there is no message ${id}`);
        return message;
      },
      rooms: this.rooms,
      get maxTextBytes() { return options.maxTextBytes; },
    }, log);
    this.capabilities = new Set([
      ...(this.accounts ? [Capability.ACCOUNTS] : []), ...(this.rooms ? [Capability.ROOMS] : []), ...(this.history ? [Capability.HISTORY] : []),
      Capability.NOTICES,
      // staff log in to accounts; each request is checked against the account's role
      ...(this.accounts && this.moderation ? [Capability.MODERATION] : []),
    ]);
    this.relayLog = new RelayLog(log, options.logRelaysPerSecond, options.logText);
    this.optionsChanged();
    this.presence = new PresenceBatcher(
      () => this.directory.online(),
      () => this.names(),
      options.presenceWindowMs,
      options.welcomeBytesPerTurn,
      (peer) => {
        this.statuses?.listed(peer);
        this.greet(peer);
      },
    );
  }

  /**
   * The options object is shared and read where used; a reload that changed it calls this for what
   * was set up from it: the idle check's pace.
   */
  optionsChanged(): void {
    clearInterval(this.idleSweep);
    this.idleSweep = undefined;
    if (this.options.idleTimeoutMs > 0) {
      // Checked often enough that the PING and the drop come within a few seconds of their time
      // (docs/protocol.md §5.2); a pass over the sessions costs microseconds.
      this.idleSweep = setInterval(() => this.sweepIdle(), idleSweepMs(this.options.idleTimeoutMs));
      this.idleSweep.unref?.();
    }
  }

  /**
   * The message of the day, after a newcomer's user list (docs/protocol.md §10.5): a NOTICE to a
   * peer granted `notices`, else a MESSAGE from Server in the lobby, to that peer only.
   */
  private greet(session: Session): void {
    const text = this.options.motd;
    if (text === '' || !session.isOpen) return;
    if (this.motdFrames?.text !== text) {
      this.motdFrames = {
        text,
        notice: encodeFrame({ type: MsgType.NOTICE, fields: { text } }),
        message: encodeMessageFrame(SERVER_FIELD, LOBBY_FIELD, utf8Encode(text)),
      };
    }
    session.link.send(session.capabilities?.has(Capability.NOTICES) ? this.motdFrames.notice : this.motdFrames.message);
  }

  /**
   * A new connection: returns the session the transport feeds, or throws TOO_MANY_CONNECTIONS
   * (fatal) when a connection limit is reached; the transport then tells the peer and closes.
   */
  connect(link: PeerLink, address: string): Session {
    this.admit(link, address);
    const session = new Session(this.nextId++, link, this, address);
    this.sessions.add(session);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.log.info({ peer: session.id, remote: link.remote, transport: link.transport }, 'connection opened');
    return session;
  }

  private admit(link: PeerLink, address: string): void {
    const o = this.options;
    const banned = this.moderation?.addressBan(address); // loopback included: a ban is deliberate
    let why: string | undefined;
    if (banned !== undefined) why = banned;
    else if (this.sessions.size >= o.maxConnections) why = `the server is full (${o.maxConnections} connections)`;
    else if (this.sessions.size - this.directory.size >= o.maxUnregistered) why = `too many connections without a name (${o.maxUnregistered})`;
    else if ((o.limitLoopback || !isLoopback(address)) && (this.perAddress.get(address) ?? 0) >= o.maxConnectionsPerAddress) {
      why = `too many connections from ${address} (${o.maxConnectionsPerAddress})`;
    }
    if (why === undefined) return;
    const err = new HcpError(banned !== undefined ? ErrorCode.BANNED : ErrorCode.TOO_MANY_CONNECTIONS, why, true);
    this.log.warn({ remote: link.remote, transport: link.transport, code: err.codeName, reason: why }, 'connection refused');
    tally(this.stats.drops, err.codeName);
    throw err;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Users online (names accepted). */
  get onlineCount(): number {
    return this.directory.size;
  }

  /** Every connection's link: for counting them by transport and wire form when metrics are read. */
  links(): PeerLink[] {
    return Array.from(this.sessions, (s) => s.link);
  }

  /** Pings quiet framed peers and drops the ones that stay silent (see idleTimeoutMs). */
  private sweepIdle(): void {
    const idle = this.options.idleTimeoutMs;
    const now = coarseNow();
    for (const s of this.sessions) {
      if (s.link.wire !== 'framed') continue;
      const silent = now - s.lastHeard;
      if (silent >= idle) {
        s.fail(new HcpError(ErrorCode.IDLE_TIMEOUT, `nothing heard from you for ${Math.round(idle / 1000)} s`, true));
      } else if (silent >= idle / 2 && !s.pinged) {
        s.pinged = true;
        s.link.send(PING_FRAME);
      }
    }
  }

  /** The history's identity, told with a grant of `history` (docs/protocol.md §11). */
  get historyEpoch(): string | undefined {
    return this.history?.epoch;
  }

  /** Names online, in order of registration. */
  names(): string[] {
    return Array.from(this.directory.online(), (s) => s.name!);
  }

  exactReceiver(body: Uint8Array, at: number): Session | Lobby | undefined {
    const length = fieldLength(body, at);
    return isLobbyField(body, at, length) ? LOBBY : this.directory.byField(body, at, length);
  }

  roomOf(session: Session, body: Uint8Array, at: number): Room {
    if (!this.rooms) throw new HcpError(ErrorCode.UNKNOWN_RECEIVER, 'this server has no rooms');
    return this.rooms.receiver(session, readNameField(body.subarray(at, at + NAME_BYTES)));
  }

  receiverOf(body: Uint8Array, at: number): Session | Lobby {
    const to = readNameField(body.subarray(at, at + NAME_BYTES));
    const key = nameKey(to);
    if (key === LOBBY_KEY) return LOBBY;
    const session = this.directory.byKey(key);
    if (!session) throw new HcpError(ErrorCode.UNKNOWN_RECEIVER, `nobody called "${to}" is online`);
    return session;
  }

  /**
   * Claims `name` (valid, its key on the session) in the directory. A directory may answer later:
   * the session is "claiming" meanwhile, and if its connection closed by then the name is given
   * back and nobody hears of a join that never happened.
   */
  claim(session: Session, name: string, proposal: Uint8Array): void {
    const refuse = (err: HcpError) => session.refused(proposal, err, name);
    if (!this.accounts) return this.take(session, name, refuse);
    if (this.options.accounts === 'required') {
      return refuse(new HcpError(ErrorCode.LOGIN_REQUIRED, 'this server admits only users who log in'));
    }
    // a registered name is its owner's: a guest may not wear it (docs/protocol.md §10.3)
    if (this.accounts.isRegistered(session.key!)) {
      return refuse(new HcpError(ErrorCode.NAME_REGISTERED, `"${name}" is a registered name: log in to use it`));
    }
    this.take(session, name, refuse);
  }

  /** Resolves when what the core writes to its store on its own (last-seen times) is written. */
  async settle(): Promise<void> {
    await this.history?.commit();
    await this.accounts?.settle();
  }

  /** Loads what the core keeps in memory of its store (the registered names); before serving. */
  async load(): Promise<void> {
    await this.accounts?.load();
    await this.rooms?.load();
    await this.history?.load();
    await this.moderation?.load();
    await this.blocks?.load();
  }

  /**
   * Takes `name` (valid, being claimed by the session) in the directory. A directory may answer
   * later: if the connection closed by then the name is given back and nobody hears of a join that
   * never happened.
   */
  private take(session: Session, name: string, refuse: (err: HcpError) => void, then?: () => void): void {
    const claimed = (ok: boolean): void => {
      if (!session.isOpen) {
        if (ok) this.directory.release(session);
        return;
      }
      if (!ok) return refuse(new HcpError(ErrorCode.NAME_TAKEN, `"${name}" is already taken`));
      session.accepted(name);
      this.router.enter(session);
      this.presence.joined(session);
      this.rooms?.online(session);
      this.rooms?.rejoin(session, session.resumedRooms); // a resumed guest's, before it gets live
      this.blocks?.arrived(session);
      if (session.stamped) this.stampedOnline++;
      this.stats.registrations[session.account !== undefined ? 'account' : 'guest']++;
      const guest = this.history?.online(session);
      if (guest) session.link.send(encodeFrame({ type: MsgType.SESSION, fields: guest }));
      this.log.info({ peer: session.id, name, wire: session.link.wire, account: session.account !== undefined, online: this.directory.size }, 'name accepted');
      then?.();
    };
    const banned = this.moderation?.registrationBan(session);
    if (banned) return refuse(banned);
    const answer = this.directory.claim(session);
    if (typeof answer === 'boolean') return claimed(answer);
    answer.then(claimed, (err: unknown) => session.fail(err));
  }

  /**
   * Accounts and profiles (docs/protocol.md §10.3). Each request is answered once, REPLY or ERROR
   * with its id; a failure of the store fails that request only.
   */
  request(session: Session, request: ExtensionMessage): void {
    const refuse = (err: HcpError) => session.refuse(err, 'request refused', { request: request.type }, request.id);
    this.serve(session, request).then(
      (answer) => session.isOpen && answer && session.reply(request.id, answer),
      (err: unknown) => {
        if (!session.isOpen) return;
        if (!(err instanceof HcpError)) return session.fail(err);
        if (err.code === ErrorCode.STORE_FAILED) this.log.error({ peer: session.id, err: err.cause }, 'store failed');
        refuse(err);
      },
    );
  }

  /**
   * RESUME (docs/protocol.md §11): a guest's session taken up again on a new connection: its
   * identity, and its name when nobody else holds it; answered after the ACK, as a LOGIN is.
   */
  private resume(session: Session, id: number, token: string | undefined): undefined {
    if (token === undefined) throw new HcpError(ErrorCode.MALFORMED, 'this request carries a TOKEN field');
    if (session.registered) throw new HcpError(ErrorCode.ALREADY_REGISTERED, `you are already "${session.name}"`);
    const guest = this.history!.resume(token);
    session.beginClaim(guest.name);
    const refuse = (err: HcpError) => {
      session.refuse(err, 'request refused', { name: guest.name }, id);
      session.abandonClaim();
    };
    if (this.accounts?.isRegistered(session.key!)) {
      refuse(new HcpError(ErrorCode.NAME_REGISTERED, `"${guest.name}" has been registered since`));
      return undefined;
    }
    const before = session.guestIdentity;
    session.guestIdentity = guest.identity;
    session.resumedRooms = guest.rooms;
    this.take(session, guest.name, (err) => {
      session.guestIdentity = before;
      session.resumedRooms = [];
      refuse(err);
    }, () => session.reply(id, { name: guest.name }));
    return undefined;
  }

  /** Carries out a request; resolves with the REPLY's fields, or undefined when it answered itself. */
  private async serve(session: Session, { type, id, fields }: ExtensionMessage): Promise<ExtensionFields | undefined> {
    if (type >= MsgType.ROOM_CREATE && type <= MsgType.ROOM_ROLE) {
      if (!session.registered) throw new HcpError(ErrorCode.NOT_REGISTERED, 'take a name first');
      return this.rooms!.serve(session, type, fields);
    }
    if (type === MsgType.RESUME) return this.resume(session, id, fields.token);
    if (isModerationRequest(type) || type === MsgType.REPORT) {
      if (!session.registered) throw new HcpError(ErrorCode.NOT_REGISTERED, 'take a name first');
      if (!this.moderation) throw new HcpError(ErrorCode.REQUEST_INVALID, 'this server takes no reports');
      return type === MsgType.REPORT ? this.moderation.report(session, fields) : this.moderation.serve(session, type, fields);
    }
    if (type >= MsgType.BLOCK && type <= MsgType.BLOCKS) {
      if (!session.registered) throw new HcpError(ErrorCode.NOT_REGISTERED, 'take a name first');
      if (!this.blocks) throw new HcpError(ErrorCode.REQUEST_INVALID, 'this server keeps no blocks');
      return this.blocks.serve(session, type, fields);
    }
    if (type >= MsgType.HISTORY && type <= MsgType.DELETE) {
      if (!session.registered) throw new HcpError(ErrorCode.NOT_REGISTERED, 'take a name first');
      if (type !== MsgType.DELETE) return this.history!.serve(session, type, fields, (name) => this.conversationKey(session, name));
      await this.deleteMessage(session, fields.msgId);
      return {};
    }
    const accounts = this.accounts!;
    const needAccount = (): string => {
      if (session.account === undefined) throw new HcpError(ErrorCode.NOT_LOGGED_IN, 'log in first');
      return session.account;
    };
    const text = (field: 'name' | 'password' | 'newPassword'): string => {
      const value = fields[field];
      if (value === undefined) throw new HcpError(ErrorCode.MALFORMED, `this request carries a ${field} field`);
      return value;
    };
    switch (type) {
      case MsgType.LOGIN:
      case MsgType.ACCOUNT_CREATE: {
        if (type === MsgType.ACCOUNT_CREATE && session.registered) {
          // the guest registers the name it holds
          if (session.account !== undefined) throw new HcpError(ErrorCode.ALREADY_REGISTERED, 'you are logged in to your account already');
          await accounts.create(session.key!, session.name!, text('password'));
          const before = session.identity;
          session.account = session.key;
          await this.rooms?.registered(session);
          await this.blocks?.changed(session, before);
          this.log.info({ peer: session.id, name: session.name }, 'account created');
          return { name: session.name! };
        }
        if (session.registered) throw new HcpError(ErrorCode.ALREADY_REGISTERED, `you are already "${session.name}"`);
        const name = validateName(text('name'));
        session.beginClaim(name);
        let registered = name;
        let status = AVAILABLE; // a user-set status is kept until they change it (docs/protocol.md §10.3)
        try {
          if (type === MsgType.LOGIN) {
            registered = (await accounts.login(session.key!, text('password'), session.address)).name;
            status = (await accounts.profile(session.key!)) ?? AVAILABLE;
          } else await accounts.create(session.key!, name, text('password'));
        } catch (err) {
          if (err instanceof HcpError && err.code === ErrorCode.LOGIN_FAILED) this.log.warn({ peer: session.id, name, remote: session.address }, 'login failed');
          if (session.isOpen) session.abandonClaim();
          throw err;
        }
        if (!session.isOpen) return undefined;
        session.beginClaim(registered); // the name as its account has it ("ALICE" logs in as "Alice")
        session.account = session.key;
        const refuse = (err: HcpError) => {
          session.account = undefined;
          session.refuse(err, 'request refused', { name }, id);
          session.abandonClaim();
        };
        this.take(session, registered, refuse, () => {
          this.statuses?.set(session, status);
          session.reply(id, { name: registered });
        });
        return undefined;
      }
      case MsgType.PASSWORD_CHANGE:
        await accounts.changePassword(needAccount(), text('password'), text('newPassword'), session.address);
        return {};
      case MsgType.ACCOUNT_DELETE: {
        await accounts.remove(needAccount(), text('password'), session.address);
        this.rooms?.accountDeleted(session.account!, session);
        this.statuses?.set(session, AVAILABLE);
        const before = session.identity;
        session.account = undefined; // online on as a guest
        await this.blocks?.changed(session, before);
        this.log.info({ peer: session.id, name: session.name }, 'account deleted');
        return {};
      }
      case MsgType.PROFILE_SET: {
        const profile = await accounts.setProfile(needAccount(), fields);
        this.statuses?.set(session, profile);
        return { ...profile };
      }
      case MsgType.WHOIS: {
        const key = nameKey(text('name'));
        const online = this.directory.byKey(key);
        const account = await accounts.find(key);
        if (!online?.registered && !account) throw new HcpError(ErrorCode.NO_SUCH_USER, `nobody called "${fields.name}" is online or registered`);
        const profile = account && (await accounts.profile(key));
        const lastSeen = !online?.registered && account?.lastSeen ? { lastSeen: account.lastSeen.toISOString() } : {};
        const common = session.speaksRooms && this.rooms ? { commonRoom: this.rooms.common(session, key) } : {};
        return { name: account?.name ?? online!.name!, online: Boolean(online?.registered), registered: Boolean(account), ...profile, ...lastSeen, ...common };
      }
      default:
        throw new HcpError(ErrorCode.REQUEST_INVALID, `frame type ${type} is not a request`);
    }
  }

  /**
   * Relays a checked MESSAGE (its body up to `textEnd`) to `receiver` or to everyone in the lobby
   * but the sender. One frame serves every receiver: the frame as received when given, else one
   * built with both names as registered.
   */
  relay(sender: Session, receiver: Session | Lobby | Room, receiverField: Uint8Array, body: Uint8Array, textEnd: number, received?: Uint8Array): void {
    this.moderation?.checkSpeaker(sender); // throws MUTED
    this.presence.flush(); // joins and leaves of this moment reach everyone before the message
    const frame = received ?? encodeMessageFrame(sender.nameField!, receiverField, body.subarray(2 * NAME_BYTES, textEnd));
    const to = receiver === LOBBY ? LOBBY_NAME : receiver.name!;
    // those who block the sender get none of its messages (docs/protocol.md §10.7); nearly always none
    const except = sender.blockedBy?.size ? sender.blockedBy : undefined;
    // a whisper to one who blocks the sender: told as sent, neither delivered nor kept
    const unheard = except !== undefined && receiver !== LOBBY && !(receiver instanceof Room) && except.has(receiver.link);
    const stamped = this.history && this.stamp(sender, receiver, to, body, textEnd, !unheard);
    let receivers = 1;
    let kind: MessageKind = 'whisper';
    if (receiver === LOBBY) {
      kind = 'lobby';
      receivers = this.router.toLobby(sender, frame, stamped, except);
    } else if (receiver instanceof Room) {
      kind = 'room';
      receivers = this.router.toRoom(sender, receiver.key, frame, stamped, except);
    } else {
      if (unheard) receivers = 0;
      else this.router.toMember(receiver, stamped && receiver.stamped ? stamped : frame);
      if (stamped && sender.stamped) this.router.toMember(sender, stamped); // the echo
    }
    this.stats.messages[kind] += 1;
    this.stats.deliveries[kind] += receivers;
    const textLength = textEnd - 2 * NAME_BYTES;
    const text = this.options.logText ? body.subarray(2 * NAME_BYTES, textEnd) : undefined;
    this.relayLog.relayed(sender.id, sender.name!, to, textLength, receivers, text);
  }

  /**
   * Keeps the message in history (docs/protocol.md §11): its id and time, its conversation; returns
   * its STAMPED frame when someone online takes that form. Unless `keep`, it gets an id and is not
   * kept (a whisper to one who blocks its sender, §10.7).
   */
  private stamp(sender: Session, receiver: Session | Lobby | Room, to: string, body: Uint8Array, textEnd: number, keep: boolean): Uint8Array | undefined {
    const text = utf8DecodeStrict(body.subarray(2 * NAME_BYTES, textEnd))!; // checked by the session
    const message = receiver === LOBBY
      ? this.history!.record(sender, LOBBY_NAME, undefined, sender.name!, to, text)
      : receiver instanceof Room
        ? this.history!.record(sender, receiver.key, undefined, sender.name!, to, text)
        : this.history!.record(sender, whisperKey(sender.identity, receiver.identity), receiver.identity, sender.name!, to, text, keep);
    return this.stampedOnline > 0 ? History.stampedFrame(message) : undefined;
  }

  /** A sender whose messages were delivered but could not be kept is told so (framed peers). */
  private notKept(sender: Session): void {
    if (!sender.isOpen) return;
    sender.refuse(new HcpError(ErrorCode.STORE_FAILED, 'your last messages were delivered but the server could not keep them in history'), 'history not kept');
  }

  /**
   * The conversation a CONVERSATION field names (docs/protocol.md §11), as the key history keeps it
   * under, if `session` may read it; throws why not.
   */
  private async conversationKey(session: Session, name: string): Promise<string> {
    if (nameKey(name) === LOBBY_KEY) return LOBBY_NAME;
    if (name.startsWith(ROOM_PREFIX)) {
      if (!this.rooms || !session.speaksRooms) throw new HcpError(ErrorCode.NO_SUCH_ROOM, `there is no room called ${name}`);
      return this.rooms.receiver(session, name).key;
    }
    const key = nameKey(name);
    const online = this.directory.byKey(key);
    const other = online?.registered ? online.identity : this.accounts?.isRegistered(key) ? `a:${key}` : undefined;
    if (other === undefined) throw new HcpError(ErrorCode.NO_SUCH_USER, `nobody called "${name}" is online or registered`);
    return whisperKey(session.identity, other);
  }

  /**
   * DELETE (docs/protocol.md §11): blanks the message, and tells those granted history who may read
   * it; any message when no session asks (a moderator's, §10.6).
   */
  private async deleteMessage(session: Session | undefined, id: number | undefined): Promise<StoredMessage> {
    if (!this.history) throw new HcpError(ErrorCode.NO_SUCH_MESSAGE, `there is no message ${id}: this server keeps no history`);
    const message = await this.history.delete(session, id);
    const frame = encodeFrame({ type: MsgType.DELETED, fields: { msgId: message.id, conversation: message.to } });
    for (const reader of this.directory.online()) {
      if (!reader.stamped || !this.mayRead(reader, message)) continue;
      const fields = message.recipient === undefined ? frame : encodeFrame({ type: MsgType.DELETED, fields: { msgId: message.id, conversation: conversationName(message, reader.identity) } });
      reader.link.send(fields);
    }
    return message;
  }

  /** Whether `reader` may read the message (docs/protocol.md §11): the lobby, its rooms from where it reads them, its whispers. */
  private mayRead(reader: Session, message: StoredMessage): boolean {
    return message.recipient === undefined
      ? message.conversation === LOBBY_NAME || (reader.rooms.has(message.conversation) && message.id >= this.rooms!.firstReadable(reader, message.conversation))
      : reader.identity === message.recipient || reader.identity === message.sender;
  }

  /** Forgets a session whose connection ended, and tells the others if it was online. */
  disconnect(session: Session, reason: string): void {
    this.sessions.delete(session);
    const n = (this.perAddress.get(session.address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(session.address, n);
    else this.perAddress.delete(session.address);
    if (session.registered && session.key !== undefined && this.directory.byKey(session.key) === session) {
      if (session.stamped) this.stampedOnline--;
      this.history?.offline(session);
      this.rooms?.offline(session);
      this.blocks?.left(session);
      this.statuses?.offline(session);
      this.directory.release(session);
      this.router.leave(session);
      this.presence.left(session);
      if (session.account !== undefined) this.accounts?.seen(session.account, (err) => this.log.error({ peer: session.id, err }, 'store failed'));
    }
    this.log.info({ peer: session.id, name: session.name, reason, online: this.directory.size }, 'connection closed');
  }

  /** Tells every framed peer the server is going away, then closes every connection. */
  shutdown(reason = 'the server is shutting down'): void {
    clearInterval(this.idleSweep);
    this.history?.stop();
    this.presence.flush();
    this.relayLog.flush();
    const err = new HcpError(ErrorCode.SERVER_SHUTDOWN, reason, true);
    const frame = encodeFrame({ type: MsgType.ERROR, code: err.code, fatal: true, reason });
    for (const session of [...this.sessions]) {
      if (session.link.wire === 'framed') session.link.send(frame);
      session.end(reason);
    }
  }
}

/** How often the idle check runs: a fortieth of the timeout, between 100 ms and 3 s. */
function idleSweepMs(idleTimeoutMs: number): number {
  return Math.min(3000, Math.max(100, idleTimeoutMs / 40));
}

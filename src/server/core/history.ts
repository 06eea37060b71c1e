import { randomBytes } from 'node:crypto';
import {
  encodeFrame, ErrorCode, HcpError, MsgType, ALL,
  type ExtensionFields, type RequestType,
} from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';
import type { FirstReadable, HistoryStore, StoredMessage } from './ports.js';
import type { RoomMember } from './rooms.js';
import { guard } from './store-errors.js';

/** How long a guest's session can be resumed after its connection is lost (docs/protocol.md §11). */
export const RESUME_WINDOW_MS = 5 * 60_000;
/** Page sizes (docs/protocol.md §11): default and most, per request. */
const PAGE = { default: 50, most: 200 };
const CATCH_UP = { default: 1000, most: 1000 };
const SEARCH = { default: 20, most: 100 };
/**
 * The work behind the live path (the store's `index`: the search index, chunks not yet full put in place) is
 * done in steps, grown or shrunk to take about STEP_MS, and may take INDEX_SHARE of the time while
 * it trails (more when nobody said anything since the step before): the live chat keeps the rest,
 * however busy it is; the index then trails the history (docs/protocol.md §11), never the reverse.
 * A message that arrives during a step waits for it: steps are short (`calm`) while the work keeps
 * up, and longer (`trailing`: less a message) only once TRAILING_AFTER steps in a row found more.
 * A store whose steps run beside the event loop (`stepsApart`) takes the next one straight away
 * when nobody chats: only a query waits for a step there. While people chat, they rest as on it:
 * the thread may share a core with the live path, and the index may trail (it catches up after).
 */
const INDEX_STEP = { first: 100, least: 20, most: 20_000 };
const STEP_MS = { calm: 0.5, trailing: 4 };
const TRAILING_AFTER = 20;
const INDEX_SHARE = { chatting: 0.1, quiet: 0.5 };
const INDEX_EVERY_MS = 5;
/** How often a server that keeps up looks for new work behind the live path. */
const CALM_EVERY_MS = 250;
const PRUNE_EVERY_MS = 60 * 60_000;

/** What history needs of a connection besides being in rooms. */
export interface HistoryMember extends RoomMember {
  /** Who the user is for whispers: `a:` + account key, or `g:` + the guest session's id. */
  readonly identity: string;
  /** Granted `history`: gets STAMPED frames (docs/protocol.md §11). */
  readonly stamped: boolean;
  /** The first id this connection got live: catch-ups end before it. */
  firstLive: number;
}

export interface HistoryOptions {
  /** Keep messages this many days (0: for ever). */
  historyDays: number;
  /** Keep at most this many messages per conversation (0: all). */
  historyMax: number;
}

interface GuestSession {
  identity: string;
  name: string;
  /** The rooms it was in when its connection ended, and where it read each from: a resume takes it back in (docs/protocol.md §11). */
  rooms: GuestPlace[];
  /** While its connection lives: undefined; then until when it can be resumed. */
  expires: number | undefined;
}

/** A room a guest was in, and the first message id it may read there. */
export interface GuestPlace {
  room: string;
  from: number;
}

/** The key of the whispers between two identities: the same whichever of them asks. */
export function whisperKey(a: string, b: string): string {
  return a < b ? `w:${a} ${b}` : `w:${b} ${a}`;
}

/**
 * History (docs/protocol.md §11): every relayed message gets an id and a time and joins the turn's
 * batch; the batch is stored before the transports write a byte of it (`commit`, called at the end
 * of the turn). Pages, catch-ups, search and deletion read and change the store; guests' sessions
 * can be resumed with a token.
 */
export class History<M extends HistoryMember> {
  private lastId = 0;
  /** The history's identity (docs/protocol.md §11), told in the REPLY to CAPS. */
  epoch = '';
  private batch: StoredMessage[] = [];
  /** The sender of each message in the batch, to be told if it could not be kept. */
  private batchSenders: M[] = [];
  /** Guests' sessions by token, and each one's token by its identity (a guest's connections find it without a search). */
  private readonly guests = new Map<string, GuestSession>();
  private readonly tokens = new Map<string, string>();
  /** When expired sessions were last let go: at most once a resume window, however many leave. */
  private lastSweep = 0;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  /** Messages may wait for the search index (none since the last step found it complete). */
  private trailing = true;
  /** Something was said since the last step. */
  private said = false;
  /** Messages a step of it takes on. */
  private step = INDEX_STEP.first;
  /** Steps in a row that found a full step's work. */
  private fullSteps = 0;

  constructor(
    private readonly store: HistoryStore,
    private readonly options: HistoryOptions,
    private readonly log: Logger,
    /** Asks for the end of this turn (the transports' flush), which calls `commit` before writing. */
    private readonly wake: () => void,
    /** Tells a sender its messages were delivered but not kept (the store failed). */
    private readonly notKept: (sender: M) => void,
    /** The first message id `member` may read of a conversation it may read (a room's newcomer's: from its join; docs/protocol.md §11). */
    private readonly firstReadable: (member: M, conversation: string) => number,
    /** The senders' identities whose messages `member` blocks (docs/protocol.md §10.7); undefined: none. */
    private readonly blocked: (member: M) => ReadonlyMap<string, string> | undefined = () => undefined,
  ) {}

  async load(): Promise<void> {
    this.lastId = await guard(this.store.lastId());
    this.epoch = await guard(this.store.epoch());
    await this.prune();
    this.timers.push(setInterval(() => void this.prune(), PRUNE_EVERY_MS));
    for (const t of this.timers) t.unref?.();
    this.nextIndexStep(INDEX_EVERY_MS);
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    clearTimeout(this.indexTimer);
    this.indexTimer = undefined;
  }

  /** The id the next message will get: a connection accepted now gets live from it. */
  get nextId(): number {
    return this.lastId + 1;
  }

  /** A message being relayed: stamped and added to the turn's batch (unless not `keep`: a whisper nobody gets, docs/protocol.md §10.7). */
  record(sender: M, conversation: string, recipient: string | undefined, from: string, to: string, text: string, keep = true): StoredMessage {
    const message: StoredMessage = { id: ++this.lastId, conversation, at: Date.now(), sender: sender.identity, recipient, from, to, text, deleted: false };
    if (!keep) return message;
    if (this.batch.length === 0) this.wake();
    this.batch.push(message);
    this.batchSenders.push(sender);
    return message;
  }

  /** The STAMPED frame of a message (docs/protocol.md §11). */
  static stampedFrame(m: StoredMessage): Uint8Array {
    return encodeFrame({ type: MsgType.STAMPED, fields: { msgId: m.id, time: m.at, from: m.from, to: m.to, text: m.text } });
  }

  /**
   * Stores the turn's batch; undefined when there is none. Its senders are told (non-fatal
   * STORE_FAILED) when it could not be kept: delivered, but not in history.
   */
  commit(): Promise<void> | undefined {
    if (this.batch.length === 0) return undefined;
    const batch = this.batch;
    const senders = this.batchSenders;
    this.batch = [];
    this.batchSenders = [];
    this.trailing = this.said = true;
    return this.store.append(batch).catch((err: unknown) => {
      this.log.error({ err, messages: batch.length }, 'history: messages not kept');
      for (const sender of new Set(senders)) this.notKept(sender);
    });
  }

  /** A connection's name was accepted: it gets live from now; a guest granted history gets its token. */
  online(member: M): ExtensionFields | undefined {
    member.firstLive = this.nextId;
    if (!member.stamped || member.account !== undefined) return undefined;
    const known = this.tokens.get(member.identity);
    const guest = known === undefined ? undefined : this.guests.get(known);
    if (known !== undefined && guest) {
      guest.expires = undefined;
      guest.name = member.name!;
      return { token: known };
    }
    const token = randomBytes(18).toString('base64url');
    this.guests.set(token, { identity: member.identity, name: member.name!, rooms: [], expires: undefined });
    this.tokens.set(member.identity, token);
    return { token };
  }

  /** A connection ended: its guest session (and the rooms it was in) can be resumed for a while. */
  offline(member: M): void {
    const now = Date.now();
    const token = this.tokens.get(member.identity);
    const guest = token === undefined ? undefined : this.guests.get(token);
    if (guest) {
      guest.expires = now + RESUME_WINDOW_MS;
      guest.rooms = [...member.rooms].map((room) => ({ room, from: this.firstReadable(member, room) }));
    }
    if (now - this.lastSweep < RESUME_WINDOW_MS) return;
    this.lastSweep = now;
    for (const [expired, g] of this.guests) {
      if (g.expires === undefined || g.expires >= now) continue;
      this.guests.delete(expired);
      this.tokens.delete(g.identity);
    }
  }

  /** The guest session a RESUME names: its identity, name and rooms; throws RESUME_FAILED. */
  resume(token: string): { identity: string; name: string; rooms: readonly GuestPlace[] } {
    const guest = this.guests.get(token);
    if (!guest || (guest.expires !== undefined && guest.expires < Date.now())) {
      throw new HcpError(ErrorCode.RESUME_FAILED, 'that session is unknown or has expired: join anew');
    }
    return guest;
  }

  /**
   * Carries out a history request (docs/protocol.md §11). `conversation` resolves a
   * CONVERSATION field to the key of a conversation the member may read, or throws why not.
   */
  async serve(member: M, type: RequestType, fields: ExtensionFields, conversation: (name: string) => Promise<string>): Promise<ExtensionFields> {
    await this.commit(); // what was relayed this turn is in the store before it is read
    switch (type) {
      case MsgType.HISTORY:
        return this.page(member, fields, conversation);
      case MsgType.CATCH_UP:
        return this.catchUp(member, fields);
      case MsgType.SEARCH:
        return this.search(member, fields, conversation);
      default:
        throw new HcpError(ErrorCode.REQUEST_INVALID, `frame type ${type} is not a history request`);
    }
  }

  /**
   * DELETE: blanks a message the member sent (any message for `member` undefined: a moderator's,
   * docs/protocol.md §10.6); resolves with the message as it was (to tell its readers).
   */
  async delete(member: M | undefined, id: number | undefined): Promise<StoredMessage> {
    const message = await this.message(id);
    if (member && message.sender !== member.identity) throw new HcpError(ErrorCode.NOT_YOURS, 'only its sender may delete a message');
    await guard(this.store.delete(message.id));
    if (member) this.log.info({ name: member.name, message: message.id }, 'message deleted');
    return message;
  }

  /** The message numbered `id`, not deleted; NO_SUCH_MESSAGE otherwise. */
  async message(id: number | undefined): Promise<StoredMessage> {
    if (id === undefined) throw new HcpError(ErrorCode.MALFORMED, 'this request carries a MSG_ID field');
    await this.commit();
    const message = await guard(this.store.get(id));
    if (!message || message.deleted) throw new HcpError(ErrorCode.NO_SUCH_MESSAGE, `there is no message ${id}`);
    return message;
  }

  private async page(member: M, fields: ExtensionFields, conversation: (name: string) => Promise<string>): Promise<ExtensionFields> {
    const key = await conversation(need(fields.conversation, 'CONVERSATION'));
    const limit = this.limit(fields.limit, PAGE);
    if (fields.after !== undefined && fields.before) throw new HcpError(ErrorCode.HISTORY_INVALID, 'ask for BEFORE or AFTER, not both');
    const first = this.firstReadable(member, key);
    const except = this.blockedBy(member);
    // newest first, what comes before `first` is the tail: cutting it leaves MORE right
    const found = fields.after !== undefined
      ? await guard(this.store.after(key, Math.max(this.id(fields.after), first - 1), limit + 1, except))
      : (await guard(this.store.before(key, fields.before ? this.id(fields.before) : this.lastId + 1, limit + 1, except))).filter((m) => m.id >= first).reverse();
    const more = found.length > limit;
    const page = fields.after !== undefined ? found.slice(0, limit) : found.slice(found.length - Math.min(limit, found.length));
    return { entry: page.map(entryOf), ...(more && { more: true }) };
  }

  private async catchUp(member: M, fields: ExtensionFields): Promise<ExtensionFields> {
    const limit = this.limit(fields.limit, CATCH_UP);
    const found = await guard(this.store.catchUp({
      identity: member.identity,
      conversations: [ALL, ...member.rooms],
      from: this.firstReadableOf(member, member.rooms),
      after: this.id(fields.after ?? 0),
      before: member.firstLive,
      limit: limit + 1,
      except: this.blockedBy(member),
    }));
    return { entry: found.slice(0, limit).map(entryOf), ...(found.length > limit && { more: true }) };
  }

  private async search(member: M, fields: ExtensionFields, conversation: (name: string) => Promise<string>): Promise<ExtensionFields> {
    const text = need(fields.query, 'QUERY');
    if (text.trim() === '') throw new HcpError(ErrorCode.HISTORY_INVALID, 'a search needs at least one word');
    const limit = this.limit(fields.limit, SEARCH);
    const keys = fields.conversation !== undefined ? [await conversation(fields.conversation)] : await this.readable(member);
    const before = fields.before ? this.id(fields.before) : undefined;
    const found = await guard(this.store.search({ conversations: keys, from: this.firstReadableOf(member, keys), text, limit, before, except: this.blockedBy(member) }));
    return { entry: found.map((m) => ({ ...entryOf(m), conversation: conversationName(m, member.identity) })) };
  }

  /**
   * The senders whose messages `member` does not read: those it blocks (docs/protocol.md §10.7). The
   * store leaves them out, so a page is full and MORE right however many there are.
   */
  private blockedBy(member: M): string[] | undefined {
    const blocked = this.blocked(member);
    return blocked?.size ? [...blocked.keys()] : undefined;
  }

  /** Every conversation the member may read: the lobby, its rooms, and its whispers. */
  private async readable(member: M): Promise<string[]> {
    return [ALL, ...member.rooms, ...(await guard(this.store.whispersOf(member.identity)))];
  }

  /** Of `conversations`, those `member` reads only from some id on, with that id. */
  private firstReadableOf(member: M, conversations: Iterable<string>): FirstReadable {
    const from = new Map<string, number>();
    for (const key of conversations) {
      const first = this.firstReadable(member, key);
      if (first > 0) from.set(key, first);
    }
    return from;
  }

  private limit(asked: number | undefined, bounds: { default: number; most: number }): number {
    if (asked === undefined || asked === 0) return bounds.default;
    if (asked > bounds.most) throw new HcpError(ErrorCode.HISTORY_INVALID, `a LIMIT is at most ${bounds.most}`);
    return asked;
  }

  /** A message id a client gave: never beyond the last one given. */
  private id(id: number): number {
    if (id > this.lastId) throw new HcpError(ErrorCode.HISTORY_INVALID, `no message has id ${id} yet (the last is ${this.lastId})`);
    return id;
  }

  /**
   * Takes a step of the work behind the live path. While a step finds a full step's work, the next
   * comes after INDEX_SHARE's worth of rest; else after CALM_EVERY_MS, which gathers a few hundred
   * ms of messages into one step: each step stalls the live chat a moment, however little it does.
   */
  private async indexStep(): Promise<void> {
    const started = performance.now();
    let taken = 0;
    if (this.trailing) {
      this.trailing = false; // a commit meanwhile sets it again
      try {
        taken = await this.store.index(this.step);
      } catch (err) {
        this.log.error({ err }, 'history: the work behind the live path failed (messages not yet in place wait; the search index trails)');
      }
    }
    const took = performance.now() - started;
    const behind = taken >= this.step;
    this.fullSteps = behind ? this.fullSteps + 1 : 0;
    if (behind) this.trailing = true;
    if (taken > 0) {
      // larger steps cost less a message; the live chat waits for a whole step, so not too large
      const ms = this.fullSteps > TRAILING_AFTER ? STEP_MS.trailing : STEP_MS.calm;
      this.step = Math.round(Math.min(INDEX_STEP.most, Math.max(INDEX_STEP.least, (taken * ms) / Math.max(took, 0.05))));
    }
    const share = this.said ? INDEX_SHARE.chatting : INDEX_SHARE.quiet;
    const rest = this.store.stepsApart?.() && !this.said ? 0 : Math.max(INDEX_EVERY_MS, (took * (1 - share)) / share);
    this.said = false;
    this.nextIndexStep(behind ? rest : CALM_EVERY_MS);
  }

  private nextIndexStep(ms: number): void {
    if (this.timers.length === 0) return; // stopped
    this.indexTimer = setTimeout(() => void this.indexStep(), ms);
    this.indexTimer.unref?.();
  }

  private async prune(): Promise<void> {
    const { historyDays, historyMax } = this.options;
    if (historyDays <= 0 && historyMax <= 0) return;
    try {
      const removed = await this.store.prune({
        ...(historyDays > 0 && { olderThan: Date.now() - historyDays * 86_400_000 }),
        ...(historyMax > 0 && { keep: historyMax }),
      });
      if (removed > 0) this.log.info({ removed, historyDays, historyMax }, 'history: old messages removed');
    } catch (err) {
      this.log.error({ err }, 'history: old messages could not be removed');
    }
  }
}

/** How a conversation is named to `identity` on the wire: `All`, a room's name, or the other party's name. */
export function conversationName(m: StoredMessage, identity: string): string {
  if (m.recipient === undefined) return m.to;
  return m.sender === identity ? m.to : m.from;
}

/** A message entry (docs/protocol.md §11). */
function entryOf(m: StoredMessage): ExtensionFields {
  return { msgId: m.id, time: m.at, from: m.from, to: m.to, text: m.text, ...(m.deleted && { deleted: true }) };
}

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new HcpError(ErrorCode.MALFORMED, `this request carries a ${field} field`);
  return value;
}

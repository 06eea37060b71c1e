import {
  Capability, encodeFrame, encodeNameFieldFrame, ErrorCode, HcpError, isModerationRequest, isRequestType, malformedRequestId, MsgType, NAME_BYTES, nameKey,
  parseExtension, type ExtensionFields, type ExtensionMessage, type RequestType,
  controlCharReason, encodeNameField, ROOM_PREFIX, forbiddenTextByteAt, lengthWithoutTrailingNuls, readNameField, validateName,
} from '../../protocol/index.js';
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging/logger.js';
import { sameBytes } from './field-index.js';
import type { GuestPlace } from './history.js';
import { coarseNow, TokenBucket } from './limits.js';
import { LOBBY_FIELD, type Lobby, LOBBY } from './lobby.js';
import type { PeerLink } from './peer.js';
import type { Member } from './ports.js';
import type { Room } from './rooms.js';
import { tally, type CoreStats } from './stats.js';

/** A receiver field starting with this byte names a room (docs/protocol.md §10.4). */
const ROOM_PREFIX_BYTE = ROOM_PREFIX.charCodeAt(0);

/** The capability each request needs (docs/protocol.md §10.3, §10.4, §10.6, §10.7, §11). */
function capabilityOf(type: RequestType): string {
  if (type >= MsgType.ROOM_CREATE && type <= MsgType.ROOM_ROLE) return Capability.ROOMS;
  // a REPORT names a message by its id, which only `history` tells
  if ((type >= MsgType.HISTORY && type <= MsgType.RESUME) || type === MsgType.REPORT) return Capability.HISTORY;
  if (isModerationRequest(type)) return Capability.MODERATION;
  return Capability.ACCOUNTS; // accounts, and blocking (§10.7)
}

/** The options a session applies itself. */
export interface SessionOptions {
  /** Longest text a MESSAGE may carry, in UTF-8 bytes. */
  maxTextBytes: number;
  /** Time an unregistered connection is given to get a name accepted; 0 = no limit. */
  registrationTimeoutMs: number;
  /** Messages a connection may send per second (token bucket rate); 0 = no limit. */
  messageRate: number;
  /** Messages a connection may send in a burst; two bursts held over the rate at once and it is dropped. */
  messageBurst: number;
}

/** What a session needs of the chat core (chat.ts fulfils it; the session imports no core). */
export interface SessionHost {
  readonly options: SessionOptions;
  /** The capabilities this server offers to CAPS (docs/protocol.md §10.2). */
  readonly capabilities: ReadonlySet<string>;
  /** The history's identity, given with `history` (docs/protocol.md §11). */
  readonly historyEpoch: string | undefined;
  readonly log: Logger;
  /** Where refusals and drops are counted. */
  readonly stats: CoreStats;
  /** Takes the valid name `name` for the session: it is told `accepted`, or `refused` with NAME_TAKEN. */
  claim(session: Session, name: string, proposal: Uint8Array): void;
  /** The receiver written exactly as registered in the field at body[at] (or "All"), found without decoding. */
  exactReceiver(body: Uint8Array, at: number): Session | Lobby | undefined;
  /** The receiver named in the field at body[at] in any spelling; throws UNKNOWN_RECEIVER. */
  receiverOf(body: Uint8Array, at: number): Session | Lobby;
  /** Carries out an extension request of a capability granted to the session; it answers with reply or refuse. */
  request(session: Session, request: ExtensionMessage): void;
  /** The room named in the field at body[at] (`#…`, any case), if the session may write to it; throws why not. */
  roomOf(session: Session, body: Uint8Array, at: number): Room;
  /** Routes a checked MESSAGE (its body up to textEnd); `received` is the frame when it may go as it came. */
  relay(sender: Session, receiver: Session | Lobby | Room, receiverField: Uint8Array, body: Uint8Array, textEnd: number, received?: Uint8Array): void;
  /** The connection has ended: forget it, and tell the others if it was online. */
  disconnect(session: Session, reason: string): void;
}

interface HeldMessage { type: number; body: Uint8Array; frame: Uint8Array | undefined }

/**
 * One connection as the core sees it: phase 1 (naming: proposing, then claiming while the
 * directory answers) until ACK, then phase 2 (chatting). docs/protocol.md §1.
 */
export class Session implements Member {
  /** Registered name (NFC), once accepted. */
  name: string | undefined;
  /** The name's key, from the claim on. */
  key: string | undefined;
  /** The registered name as its 64-byte NUL-padded field, to check senders byte for byte. */
  nameField: Uint8Array | undefined;
  /** Bytes of the name in `nameField`. */
  nameLength = 0;
  /** The account this connection logged in to (its key), if any (docs/protocol.md §10.3). */
  account: string | undefined;
  /** The capabilities granted by CAPS (docs/protocol.md §10.2); undefined until asked. */
  capabilities: ReadonlySet<string> | undefined;
  /** The keys of the rooms this connection is in (docs/protocol.md §10.4). */
  readonly rooms = new Set<string>();
  /** Who a guest is for its whispers (docs/protocol.md §11): this session, or the one it resumed. */
  guestIdentity = `g:${randomBytes(12).toString('base64url')}`;
  /** The first message id this connection got live (docs/protocol.md §11). */
  firstLive = 0;
  /** The rooms of the guest session this connection resumed, to be back in (docs/protocol.md §11). */
  resumedRooms: readonly GuestPlace[] = [];
  /** A name is being claimed: what the peer sends meanwhile waits, in order. */
  private claiming = false;
  private open = true;
  private registrationTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly bucket: TokenBucket;
  /**
   * Messages read while the peer was over its rate or claiming a name, in order; reading from the
   * peer is paused meanwhile, so the rest wait in its own connection (fake lag: nothing is lost).
   */
  private held: HeldMessage[] = [];
  private heldTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the peer was last heard from (coarse clock), for the idle check. */
  lastHeard = coarseNow();
  /** A PING went out for the present silence. */
  pinged = false;
  /** When the connection was made (ms since the epoch), for the staff's user list (docs/protocol.md §10.6). */
  readonly since = Date.now();
  /** The links of the online users who block this one (blocks.ts): its messages skip them. */
  blockedBy: Set<PeerLink> | undefined;

  constructor(
    readonly id: number,
    readonly link: PeerLink,
    private readonly host: SessionHost,
    /** Remote address, without the port. */
    readonly address: string,
  ) {
    const ms = host.options.registrationTimeoutMs;
    this.bucket = new TokenBucket(host.options);
    if (ms > 0) {
      this.registrationTimer = setTimeout(
        () => this.fail(new HcpError(ErrorCode.REGISTRATION_TIMEOUT, `no name was accepted within ${ms / 1000} s`, true)),
        ms,
      );
      this.registrationTimer.unref?.();
    }
  }

  get registered(): boolean {
    return this.name !== undefined;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** One complete message from the transport's decoder. */
  receive(type: number, body: Uint8Array, frame?: Uint8Array): void {
    if (!this.open) return;
    this.lastHeard = coarseNow();
    this.pinged = false;
    if (this.held.length > 0 || this.claiming || !this.bucket.take()) return this.hold(type, body, frame);
    this.handle(type, body, frame);
  }

  private handle(type: number, body: Uint8Array, frame: Uint8Array | undefined): void {
    try {
      switch (type) {
        case MsgType.MESSAGE:
          return this.onMessage(body, frame);
        case MsgType.PROPOSAL:
          return this.onProposal(body);
        case MsgType.PING:
          if (this.link.wire === 'framed') this.link.send(encodeFrame({ type: MsgType.PONG, data: body }));
          return;
        case MsgType.PONG:
          return; // being heard from is all a PONG is for
      }
      // a classic peer knows nothing of ours (docs/protocol.md §4): its bytes of these are unknown types
      if (isRequestType(type) && this.link.wire === 'framed') return this.onRequest(type, body);
      // The seed: the server discards other types silently (docs/protocol.md §9).
      this.host.log.debug({ peer: this.id, type }, 'message of an unhandled type ignored');
    } catch (err) {
      if (err instanceof HcpError) return this.refuse(err);
      this.fail(err);
    }
  }

  /** A PROPOSAL: ACK, or NAK (plus the reason, to framed peers) and the connection stays in phase 1. */
  private onProposal(body: Uint8Array): void {
    let proposed: string | undefined;
    let name: string;
    try {
      if (body.length > NAME_BYTES) {
        throw new HcpError(ErrorCode.NAME_INVALID, `the name is ${body.length} bytes long; at most ${NAME_BYTES} are allowed`);
      }
      if (body.length < NAME_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a PROPOSAL body is ${NAME_BYTES} bytes, not ${body.length}`);
      proposed = readNameField(body);
      this.host.log.debug({ peer: this.id, name: proposed }, 'name proposed');
      if (this.registered) {
        throw new HcpError(ErrorCode.ALREADY_REGISTERED, `you are already registered as "${this.name}"`);
      }
      name = validateName(proposed);
    } catch (err) {
      if (!(err instanceof HcpError)) throw err;
      return this.refused(body, err, proposed);
    }
    this.beginClaim(name);
    this.host.claim(this, name, body);
  }

  /** An extension request (docs/protocol.md §10): answered by exactly one REPLY or ERROR with its id. */
  private onRequest(type: RequestType, body: Uint8Array): void {
    let request: ExtensionMessage;
    try {
      request = parseExtension(type, body);
    } catch (err) {
      if (err instanceof HcpError) return this.refuse(err, 'request refused', {}, malformedRequestId(err));
      throw err;
    }
    if (type === MsgType.CAPS) return this.onCaps(request);
    if (type === MsgType.REPLY) return this.refuse(new HcpError(ErrorCode.REQUEST_INVALID, 'a REPLY is the server\'s'), 'request refused', {}, request.id);
    const needed = capabilityOf(type);
    if (!this.capabilities?.has(needed)) {
      return this.refuse(new HcpError(ErrorCode.REQUEST_INVALID, `ask for the "${needed}" capability first (CAPS)`), 'request refused', {}, request.id);
    }
    this.host.request(this, request);
  }

  /**
   * CAPS (docs/protocol.md §10.2): once, before the name is accepted; the REPLY grants the
   * capabilities asked for that this server has. Until then the peer gets only the base frames.
   */
  private onCaps({ id, fields }: ExtensionMessage): void {
    if (this.registered || this.capabilities !== undefined) {
      const when = this.registered ? 'after the name was accepted' : 'twice';
      return this.refuse(new HcpError(ErrorCode.REQUEST_INVALID, `CAPS comes once, before the name: not ${when}`), 'request refused', {}, id);
    }
    const granted = (fields.caps ?? []).filter((c) => this.host.capabilities.has(c));
    this.capabilities = new Set(granted);
    const epoch = this.stamped ? this.host.historyEpoch : undefined;
    this.reply(id, { caps: granted, ...(epoch !== undefined && { epoch }) });
  }

  /** Who the user is for whispers: its account, or its guest session (docs/protocol.md §11). */
  get identity(): string {
    return this.account !== undefined ? `a:${this.account}` : this.guestIdentity;
  }

  /** Granted `history`: takes messages as STAMPED frames (docs/protocol.md §11). */
  get stamped(): boolean {
    return this.capabilities?.has(Capability.HISTORY) ?? false;
  }

  /** Granted `rooms` (docs/protocol.md §10.4): only such connections are ever in a room. */
  get speaksRooms(): boolean {
    return this.capabilities?.has(Capability.ROOMS) ?? false;
  }

  /** Answers request `id` (docs/protocol.md §10.1). */
  reply(id: number, fields: ExtensionFields): void {
    this.link.send(encodeFrame({ type: MsgType.REPLY, id, fields }));
  }

  /** Takes `name` as the one to claim: the directory indexes it by key and exact field bytes. */
  beginClaim(name: string): void {
    this.key = nameKey(name);
    this.nameField = encodeNameField(name);
    this.nameLength = lengthWithoutTrailingNuls(this.nameField);
    this.claiming = true;
  }

  /** The claim failed (refused, or the request behind it did): back to proposing. */
  abandonClaim(): void {
    this.key = this.nameField = undefined;
    this.nameLength = 0;
    this.claimDone();
  }

  /** The claim is answered; what the peer sent meanwhile is handled now, in order. */
  claimDone(): void {
    this.claiming = false;
    if (this.held.length > 0) this.release();
  }

  /** Called by the core once the name is taken: ACK now, the user list follows this moment. */
  accepted(name: string): void {
    this.name = name;
    clearTimeout(this.registrationTimer);
    this.link.send(encodeFrame({ type: MsgType.ACK, name }));
    this.claimDone();
  }

  /** A proposal refused: NAK echoing the field as received (docs/protocol.md §3), and the reason. */
  refused(proposal: Uint8Array, err: HcpError, proposed?: string): void {
    const claiming = this.claiming;
    this.link.send(encodeNameFieldFrame(MsgType.NAK, echoField(proposal)));
    if (proposed === undefined) this.refuse(err);
    else this.refuse(err, 'name refused', { name: proposed });
    if (claiming) this.abandonClaim();
  }

  /** The hot path: checks a MESSAGE without decoding it, then hands it to the core to route. */
  private onMessage(body: Uint8Array, frame: Uint8Array | undefined): void {
    if (body.length < 2 * NAME_BYTES) throw new HcpError(ErrorCode.MALFORMED, 'a MESSAGE body has two 64-byte names');
    if (!this.registered) throw new HcpError(ErrorCode.NOT_REGISTERED, 'propose a name before sending messages');
    const ownField = sameBytes(body, 0, this.nameField!, 0, NAME_BYTES);
    if (!ownField && nameKey(readNameField(body.subarray(0, NAME_BYTES))) !== this.key) {
      throw new HcpError(ErrorCode.SPOOFED_SENDER, `the sender must be your own name, "${this.name}"`);
    }
    let end = body.length;
    while (end > 2 * NAME_BYTES && body[end - 1] === 0) end--; // the originals may pad text with NULs
    const textLength = end - 2 * NAME_BYTES;
    const max = this.host.options.maxTextBytes;
    if (textLength > max) {
      throw new HcpError(ErrorCode.TEXT_TOO_LONG, `the text is ${textLength} bytes; at most ${max} are allowed`);
    }
    if (!isUtf8(new Uint8Array(body.buffer, body.byteOffset + 2 * NAME_BYTES, textLength))) {
      throw new HcpError(ErrorCode.INVALID_UTF8, 'the message text is not valid UTF-8');
    }
    const control = forbiddenTextByteAt(body, 2 * NAME_BYTES, end);
    if (control >= 0) throw new HcpError(ErrorCode.TEXT_INVALID, controlCharReason(body[control]!));
    let receiver: Session | Lobby | Room;
    let exact: boolean;
    if (body[NAME_BYTES] === ROOM_PREFIX_BYTE && this.speaksRooms) {
      receiver = this.host.roomOf(this, body, NAME_BYTES); // throws NO_SUCH_ROOM, NOT_IN_ROOM
      exact = sameBytes(body, NAME_BYTES, receiver.nameField, 0, NAME_BYTES);
    } else {
      const found = this.host.exactReceiver(body, NAME_BYTES);
      exact = found !== undefined;
      receiver = found ?? this.host.receiverOf(body, NAME_BYTES); // throws UNKNOWN_RECEIVER
    }
    const receiverField = receiver === LOBBY ? LOBBY_FIELD : receiver.nameField!;
    // The frame as received is the frame to send when both names in it are written exactly as
    // registered ("bob", not "BOB"; "All", not "all"; a room as created) and the text is not padded.
    const asReceived = ownField && exact && end === body.length;
    this.host.relay(this, receiver, receiverField, body, end, asReceived ? frame : undefined);
  }

  /**
   * Flood control by fake lag (docs/protocol.md §8): a message over the rate waits for its token,
   * and the server stops reading from the peer until what it holds is handled, so a fast sender
   * is slowed, never loses a message, and delays nobody else. Only a peer that packs more than two
   * bursts' worth over its rate into what it sent at once is dropped: no person types that. What
   * arrives while a name is being claimed waits the same way, for the claim's answer.
   */
  private hold(type: number, body: Uint8Array, frame: Uint8Array | undefined): void {
    const { messageRate, messageBurst } = this.host.options;
    if (this.held.length >= 2 * messageBurst) {
      return this.fail(new HcpError(ErrorCode.RATE_LIMITED, `sent more than ${2 * messageBurst} messages at once over the rate of ${messageRate} a second`, true));
    }
    // the transport may reuse what the views point into once this turn is over
    this.held.push({ type, body: body.slice(), frame: frame?.slice() });
    if (this.held.length > 1) return;
    this.link.pauseReading();
    if (!this.claiming) {
      this.host.log.info({ peer: this.id, name: this.name, rate: messageRate }, 'over the message rate: reading paused');
      this.heldTimer = setTimeout(this.release, 1000 / messageRate);
    }
  }

  /** Handles held messages as tokens come back; reading resumes once none is left. */
  private readonly release = (): void => {
    this.heldTimer = undefined;
    while (this.open && !this.claiming && this.held.length > 0 && this.bucket.take()) {
      const { type, body, frame } = this.held.shift()!;
      this.handle(type, body, frame);
    }
    if (!this.open || this.claiming) return;
    if (this.held.length > 0) this.heldTimer ??= setTimeout(this.release, 1000 / this.host.options.messageRate);
    else this.link.resumeReading();
  };

  /**
   * Refuses one request: framed peers are told why (with the request's id when it had one,
   * docs/protocol.md §10.1), classic peers get the seed's silence; logged.
   */
  refuse(err: HcpError, what = 'request refused', fields: object = {}, id?: number): void {
    this.host.log.warn({ peer: this.id, name: this.name, ...fields, code: err.codeName, reason: err.message }, what);
    tally(err.fatal ? this.host.stats.drops : this.host.stats.refusals, err.codeName);
    if (this.link.wire === 'framed') {
      this.link.send(encodeFrame({ type: MsgType.ERROR, code: err.code, fatal: err.fatal, reason: err.message, ...(id !== undefined && { id }) }));
    }
    if (err.fatal) this.end(err.message);
  }

  /**
   * Ends the connection over an error found by the transport, a limit or a handler: tell (framed),
   * log, close. The connection's error boundary: anything but an HcpError is a fault of ours, logged
   * with its cause and told as INTERNAL; it costs this connection, never the process.
   */
  fail(err: unknown): void {
    if (!this.open) return;
    if (!(err instanceof HcpError)) {
      this.host.log.error({ peer: this.id, name: this.name, err }, 'internal error');
      err = new HcpError(ErrorCode.INTERNAL, 'the server failed to handle what you sent; please reconnect', true);
    }
    const known = err as HcpError;
    this.refuse(known.fatal ? known : new HcpError(known.code, known.message, true), 'connection dropped');
  }

  /** Closes the connection from our side; the core forgets the session at once. */
  end(reason: string): void {
    this.closed(reason);
    this.link.close();
  }

  /** The connection has ended (either side); idempotent. */
  closed(reason: string): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.registrationTimer);
    clearTimeout(this.heldTimer);
    this.held = [];
    this.host.disconnect(this, reason);
  }
}

/** The 64-byte name field a NAK echoes: the proposal's first 64 bytes, NUL-padded if it was short. */
function echoField(body: Uint8Array): Uint8Array {
  if (body.length === NAME_BYTES) return body;
  const field = new Uint8Array(NAME_BYTES);
  field.set(body.subarray(0, NAME_BYTES));
  return field;
}

import {
  ALL, encodeFrame, encodeMessageFrame, ErrorCode, HcpError, MsgType, NAME_BYTES, nameKey, readNameField,
} from '../../protocol/index.js';
import { FieldIndex } from './field-index.js';
import { coarseNow, isLoopback } from './limits.js';
import type { Logger } from '../../logging/logger.js';
import type { BroadcastChannel, PeerLink } from './peer.js';
import { PresenceBatcher } from './presence.js';
import { RelayLog } from './relay-log.js';
import { Session } from './session.js';

export interface CoreOptions {
  /** Longest text a MESSAGE may carry, in UTF-8 bytes. */
  maxTextBytes: number;
  /** Time an unregistered connection is given to get a name accepted; 0 = no limit. */
  registrationTimeoutMs: number;
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
  /** Messages a connection may send per second (token bucket rate); 0 = no limit. */
  messageRate: number;
  /** Messages a connection may send in a burst; also how many over the limit it may send before it is dropped. */
  messageBurst: number;
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

/** Receiver meaning everyone but the sender. */
export const ALL_RECEIVERS = Symbol('All');
const ALL_KEY = nameKey(ALL);
const PING_FRAME = encodeFrame({ type: MsgType.PING, data: new Uint8Array(0) });

/**
 * The chat core: who is online, registration, routing and presence, in one place. It sees
 * connections only as PeerLinks; transports create a Session per connection with `connect` and
 * feed it decoded messages.
 */
export class ChatCore {
  /** Online users by name key (case-insensitive), in order of registration. */
  private readonly online = new Map<string, Session>();
  private readonly sessions = new Set<Session>();
  private nextId = 1;
  private readonly presence: PresenceBatcher;
  private readonly relayLog: RelayLog;
  private readonly fields = new FieldIndex();
  private readonly perAddress = new Map<string, number>();
  /** Online sessions whose broadcasts go through `send`, and the shared channels of the others. */
  private readonly direct = new Set<Session>();
  private readonly channels = new Set<BroadcastChannel>();
  private idleSweep: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly options: CoreOptions,
    readonly log: Logger,
  ) {
    this.relayLog = new RelayLog(log, options.logRelaysPerSecond, options.logText);
    if (options.idleTimeoutMs > 0) {
      // Checked often enough that the PING and the drop come within a few seconds of their time
      // (docs/protocol.md §5.2); a pass over the sessions costs microseconds.
      this.idleSweep = setInterval(() => this.sweepIdle(), idleSweepMs(options.idleTimeoutMs));
      this.idleSweep.unref?.();
    }
    this.presence = new PresenceBatcher(
      () => this.online.values(),
      () => this.names(),
      options.presenceWindowMs,
      options.welcomeBytesPerTurn,
    );
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
    let why: string | undefined;
    if (this.sessions.size >= o.maxConnections) why = `the server is full (${o.maxConnections} connections)`;
    else if (this.sessions.size - this.online.size >= o.maxUnregistered) why = `too many connections without a name (${o.maxUnregistered})`;
    else if ((o.limitLoopback || !isLoopback(address)) && (this.perAddress.get(address) ?? 0) >= o.maxConnectionsPerAddress) {
      why = `too many connections from ${address} (${o.maxConnectionsPerAddress})`;
    }
    if (why === undefined) return;
    this.log.warn({ remote: link.remote, transport: link.transport, code: 'TOO_MANY_CONNECTIONS', reason: why }, 'connection refused');
    throw new HcpError(ErrorCode.TOO_MANY_CONNECTIONS, why, true);
  }

  get connectionCount(): number {
    return this.sessions.size;
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

  /** Names online, in order of registration. */
  names(): string[] {
    return Array.from(this.online.values(), (s) => s.name!);
  }

  /**
   * The receiver whose name is written exactly, byte for byte, in the 64-byte field at body[at]
   * ("All" for everyone): found without decoding. Undefined for any other spelling.
   */
  exactReceiver(body: Uint8Array, at: number): Session | typeof ALL_RECEIVERS | undefined {
    let length = NAME_BYTES;
    while (length > 0 && body[at + length - 1] === 0) length--;
    if (length === 3 && body[at] === 0x41 && body[at + 1] === 0x6c && body[at + 2] === 0x6c) return ALL_RECEIVERS;
    return this.fields.find(body, at, length);
  }

  /** The receiver named in the field at body[at] in any case or Unicode form; throws UNKNOWN_RECEIVER. */
  receiverOf(body: Uint8Array, at: number): Session | typeof ALL_RECEIVERS {
    const to = readNameField(body.subarray(at, at + NAME_BYTES));
    const key = nameKey(to);
    if (key === ALL_KEY) return ALL_RECEIVERS;
    const session = this.online.get(key);
    if (!session) throw new HcpError(ErrorCode.UNKNOWN_RECEIVER, `nobody called "${to}" is online`);
    return session;
  }

  /** Takes `name` for `session` or throws NAME_TAKEN; the name is already validated. */
  register(session: Session, name: string): void {
    const key = nameKey(name);
    if (this.online.has(key)) throw new HcpError(ErrorCode.NAME_TAKEN, `"${name}" is already taken`);
    session.accepted(name);
    this.online.set(key, session);
    this.fields.add(session);
    const channel = session.link.channel;
    if (channel) {
      channel.subscribe(session.link);
      this.channels.add(channel);
    } else {
      this.direct.add(session);
    }
    this.presence.joined(session);
    this.log.info({ peer: session.id, name, wire: session.link.wire, online: this.online.size }, 'name accepted');
  }

  /**
   * Relays a checked MESSAGE (its body up to `textEnd`) to `receiver` or to everyone but the
   * sender. One frame serves every receiver: the frame as received when given, else one built
   * with both names as registered.
   */
  relay(
    sender: Session,
    receiver: Session | typeof ALL_RECEIVERS,
    receiverField: Uint8Array,
    body: Uint8Array,
    textEnd: number,
    received?: Uint8Array,
  ): void {
    this.presence.flush(); // joins and leaves of this moment reach everyone before the message
    const frame = received ?? encodeMessageFrame(sender.nameField!, receiverField, body.subarray(2 * NAME_BYTES, textEnd));
    let receivers = 0;
    if (receiver !== ALL_RECEIVERS) {
      receiver.link.send(frame);
      receivers = 1;
    } else {
      for (const channel of this.channels) {
        channel.broadcast(frame, sender.link);
        receivers += channel.memberCount - (sender.link.channel === channel ? 1 : 0);
      }
      for (const peer of this.direct) {
        if (peer !== sender) {
          peer.link.send(frame);
          receivers++;
        }
      }
    }
    const textLength = textEnd - 2 * NAME_BYTES;
    const text = this.options.logText ? body.subarray(2 * NAME_BYTES, textEnd) : undefined;
    this.relayLog.relayed(sender.id, sender.name!, receiver === ALL_RECEIVERS ? ALL : receiver.name!, textLength, receivers, text);
  }

  /** Forgets a session whose connection ended, and tells the others if it was online. */
  disconnect(session: Session, reason: string): void {
    this.sessions.delete(session);
    const n = (this.perAddress.get(session.address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(session.address, n);
    else this.perAddress.delete(session.address);
    if (session.key !== undefined && this.online.get(session.key) === session) {
      this.online.delete(session.key);
      this.fields.remove(session);
      session.link.channel?.unsubscribe(session.link);
      this.direct.delete(session);
      this.presence.left(session);
    }
    this.log.info({ peer: session.id, name: session.name, reason, online: this.online.size }, 'connection closed');
  }

  /** Tells every framed peer the server is going away, then closes every connection. */
  shutdown(reason = 'the server is shutting down'): void {
    clearInterval(this.idleSweep);
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

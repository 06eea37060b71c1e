import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import {
  ALL_FIELD, ClassicDecoder, encodeFrame, encodeMessageFrame, encodeNameField, FramedDecoder, MsgType, NAME_BYTES, payloadOf, PREFACE, WS_SUBPROTOCOL,
  type ExtensionFields, type RequestType,
} from '../protocol/index.js';
import { Requests } from './requests.js';
import { benchName } from './stamp.js';

export type BenchProto = 'framed' | 'classic' | 'ws' | 'irc';

/** A delivery as the generator sees it: who sent it, to whom (All, a user, a room), and the text's bytes. */
export type Deliver = (senderField: Uint8Array, receiverField: Uint8Array, text: Uint8Array) => void;

/**
 * One simulated user. Built over the protocol library directly (not the client library): it
 * must be lean enough that one core can load a server.
 */
export interface BenchPeer {
  readonly index: number;
  /**
   * Sends a text to everyone (to = -1), to the user with that index, or to the receiver whose
   * 64-byte name field is given (a room's, docs/protocol.md §10.4).
   */
  send(to: number | Uint8Array, text: Uint8Array): void;
  /** Sends a request (docs/protocol.md §10.1); resolves with its REPLY's fields. */
  request(type: RequestType, fields: ExtensionFields): Promise<ExtensionFields>;
  /** Sends what `send` queued during this turn. */
  flush(): void;
  close(): void;
  onDeliver: Deliver;
  onClose: (() => void) | undefined;
  /** Size of this user's view of who is online (UPDATE, then PRESENCE applied); -1 before any. */
  listSize: number;
  /** The names themselves, kept only for the peers asked to (to check lists exactly). */
  names: Set<string> | undefined;
}

const decoder = new TextDecoder();

/** Applies an UPDATE or a PRESENCE to a peer's view of the user list. */
function applyList(peer: BenchPeer, type: number, body: Uint8Array): void {
  if (type === MsgType.UPDATE) {
    peer.listSize = body.length / NAME_BYTES;
    if (peer.names) {
      peer.names.clear();
      for (let at = 0; at < body.length; at += NAME_BYTES) {
        let end = at + NAME_BYTES;
        while (end > at && body[end - 1] === 0) end--;
        peer.names.add(decoder.decode(body.subarray(at, end)));
      }
    }
  } else if (type === MsgType.PRESENCE) {
    for (let at = 0; at + 1 < body.length; at += 2 + body[at + 1]!) {
      const joined = body[at] === 0x01;
      peer.listSize += joined ? 1 : -1;
      if (peer.names) {
        const name = decoder.decode(body.subarray(at + 2, at + 2 + body[at + 1]!));
        if (joined) peer.names.add(name);
        else peer.names.delete(name);
      }
    }
  }
}

export interface PeerTarget {
  host: string;
  port: number;
  /** WebSocket URL, for proto ws. */
  url?: string;
}

const CHANNEL = '#bench';

/** How a user introduces itself (HCP only); by default it proposes its bench name. */
export interface PeerIntro {
  /** The name it takes instead of benchName(index): one that starts with it, so senders stay known. */
  name?: string;
  /** Capabilities it asks for with CAPS before its name (docs/protocol.md §10.2). */
  caps?: string[];
  /** Takes its name by creating an account with this password (§10.3) instead of a PROPOSAL. */
  password?: string;
  /** Keeps the names of its user list, not only their count. */
  keepNames?: boolean;
}

/** Connects and registers user `index`; resolves once the server has accepted the name. */
export function openPeer(proto: BenchProto, index: number, target: PeerTarget, intro: PeerIntro = {}): Promise<BenchPeer> {
  if (proto === 'ws') return openWs(index, target.url!, intro);
  if (proto === 'irc') return openIrc(index, target);
  return openTcp(proto, index, target, intro);
}

function nameField(index: number): Uint8Array {
  return encodeNameField(benchName(index));
}

/** `send`'s receivers as 64-byte fields: All for -1, a user's field (made once) for an index, a given field as it is. */
function receiverFields(): (to: number | Uint8Array) => Uint8Array {
  const fields = new Map<number, Uint8Array>();
  return (to) => {
    if (typeof to !== 'number') return to;
    if (to < 0) return ALL_FIELD;
    let field = fields.get(to);
    if (!field) fields.set(to, (field = nameField(to)));
    return field;
  };
}

/** A peer record with no deliveries seen yet and no list yet. */
function newPeer(index: number, io: Pick<BenchPeer, 'send' | 'flush' | 'close' | 'request'>, keepNames = false): BenchPeer {
  return { index, onDeliver: () => {}, onClose: undefined, listSize: -1, names: keepNames ? new Set() : undefined, ...io };
}

/**
 * What an HCP peer says first, after the preface: CAPS when it asks for any (§10.2), then its
 * name, by a PROPOSAL (§1) or by creating an account (§10.3). Resolves once every capability
 * asked for is granted.
 */
function introduce(name: string, intro: PeerIntro, requests: Requests, write: (frame: Uint8Array) => void, fail: (err: Error) => void): Promise<void> {
  const asked = intro.caps ?? [];
  const granted = asked.length === 0 ? Promise.resolve() : requests.send(MsgType.CAPS, { caps: asked }).then((reply) => {
    const missing = asked.filter((cap) => !reply.caps?.includes(cap));
    if (missing.length > 0) throw new Error(`${name}: the server does not offer ${missing.join(' and ')}`);
  });
  granted.catch(fail);
  const password = intro.password;
  if (password === undefined) write(encodeFrame({ type: MsgType.PROPOSAL, name }));
  else granted.then(() => requests.send(MsgType.ACCOUNT_CREATE, { name, password })).catch(fail); // once `accounts` is granted
  return granted;
}

/** Handles what an HCP server sends a bench peer (framed, classic or WebSocket alike). */
function hcpReceiver(peer: BenchPeer, requests: Requests, accepted: () => void, refused: (err: Error) => void): (type: number, body: Uint8Array) => void {
  let registered = false;
  return (type, body) => {
    if (type === MsgType.MESSAGE) peer.onDeliver(body.subarray(0, NAME_BYTES), body.subarray(NAME_BYTES, 2 * NAME_BYTES), body.subarray(2 * NAME_BYTES));
    else if (type === MsgType.UPDATE || type === MsgType.PRESENCE) applyList(peer, type, body);
    else if (type === MsgType.ACK && !registered) {
      registered = true;
      accepted();
    } else if (type === MsgType.NAK) refused(new Error(`${benchName(peer.index)} was refused by the server`));
    else if (type === MsgType.REPLY || type === MsgType.ERROR) requests.answer(type, body);
  };
}

function openTcp(proto: 'framed' | 'classic', index: number, target: PeerTarget, intro: PeerIntro): Promise<BenchPeer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: target.host, port: target.port, noDelay: true });
    const name = intro.name ?? benchName(index);
    const me = encodeNameField(name);
    const receiver = receiverFields();
    const write = (frame: Uint8Array) => socket.write(proto === 'framed' ? frame : payloadOf(frame));
    const requests = new Requests(name, write);
    let queue: Uint8Array[] = [];
    let registered = false;
    let granted = Promise.resolve();
    let prefaceLeft = proto === 'framed' ? PREFACE.length : 0;
    const peer = newPeer(index, {
      send(to, text) {
        const frame = encodeMessageFrame(me, receiver(to), text);
        const payload = proto === 'framed' ? frame : frame.subarray(4);
        if (proto === 'classic') socket.write(payload); // classic: one message per write
        else queue.push(payload);
      },
      flush() {
        if (queue.length === 0) return;
        socket.write(queue.length === 1 ? queue[0]! : Buffer.concat(queue));
        queue = [];
      },
      close: () => socket.destroy(),
      request: (type, fields) => requests.send(type, fields),
    }, intro.keepNames);
    const onMessage = hcpReceiver(peer, requests, () => {
      registered = true;
      granted.then(() => resolve(peer), reject);
    }, reject);
    const decoder = proto === 'framed' ? new FramedDecoder({ maxFrameBytes: 1 << 26 }, onMessage) : new ClassicDecoder(onMessage);
    socket.on('connect', () => {
      if (proto === 'framed') socket.write(PREFACE);
      granted = introduce(name, intro, requests, write, reject);
    });
    socket.on('data', (chunk: Buffer) => {
      let bytes: Uint8Array = chunk;
      if (prefaceLeft > 0) {
        const n = Math.min(prefaceLeft, bytes.length);
        prefaceLeft -= n;
        bytes = bytes.subarray(n);
      }
      if (bytes.length) decoder.push(bytes);
    });
    socket.on('error', (err) => reject(err));
    socket.on('close', () => {
      requests.abandon();
      if (!registered) reject(new Error(`${name}: the server closed the connection`));
      peer.onClose?.();
    });
  });
}

function openWs(index: number, url: string, intro: PeerIntro): Promise<BenchPeer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [WS_SUBPROTOCOL]);
    const name = intro.name ?? benchName(index);
    const me = encodeNameField(name);
    const receiver = receiverFields();
    const write = (frame: Uint8Array) => ws.send(payloadOf(frame));
    const requests = new Requests(name, write);
    const peer = newPeer(index, {
      send: (to, text) => write(encodeMessageFrame(me, receiver(to), text)),
      flush: () => {},
      close: () => ws.terminate(),
      request: (type, fields) => requests.send(type, fields),
    }, intro.keepNames);
    let granted = Promise.resolve();
    const onMessage = hcpReceiver(peer, requests, () => granted.then(() => resolve(peer), reject), reject);
    ws.on('open', () => (granted = introduce(name, intro, requests, write, reject)));
    ws.on('message', (data: Buffer) => onMessage(data[0]!, data.subarray(1)));
    ws.on('error', reject);
    ws.on('close', () => {
      requests.abandon();
      peer.onClose?.();
    });
  });
}

/** IRC: NICK/USER, JOIN one channel; broadcasts go to the channel, whispers to the nick. */
function openIrc(index: number, target: PeerTarget): Promise<BenchPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, noDelay: true });
    const nick = benchName(index);
    const encoder = new TextEncoder();
    let queue = '';
    let partial = '';
    let ready = false;
    const peer = newPeer(index, {
      send: (to, text) => {
        if (typeof to !== 'number') throw new Error('an IRC bench user talks in its one channel or to a nick, in no room');
        queue += `PRIVMSG ${to >= 0 ? benchName(to) : CHANNEL} :${Buffer.from(text).toString('latin1')}\r\n`;
      },
      flush: () => {
        if (queue) socket.write(queue, 'latin1');
        queue = '';
      },
      close: () => socket.destroy(),
      request: () => Promise.reject(new Error('IRC has no HCP requests')),
    });
    socket.on('connect', () => socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\r\n');
      partial = lines.pop()!;
      for (const line of lines) {
        // :nick!user@host PRIVMSG target :text
        const m = /^:([^! ]+)\S* PRIVMSG (\S+) :(.*)$/.exec(line);
        if (m) {
          peer.onDeliver(encoder.encode(m[1]!), encoder.encode(m[2]!), Buffer.from(m[3]!, 'latin1'));
        } else if (/^\S+ 001 /.test(line)) {
          socket.write(`JOIN ${CHANNEL}\r\n`);
        } else if (/^\S+ 366 /.test(line) && !ready) {
          ready = true;
          resolve(peer);
        } else if (/^PING /.test(line)) {
          socket.write(`PONG ${line.slice(5)}\r\n`);
        } else if (/^\S+ 43[23] /.test(line)) {
          reject(new Error(`${nick}: nick refused: ${line}`));
        }
      }
    });
    socket.on('error', reject);
    socket.on('close', () => peer.onClose?.());
  });
}

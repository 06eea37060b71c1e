import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import {
  ALL_FIELD, ClassicDecoder, encodeFrame, encodeMessageFrame, encodeNameField, FramedDecoder, MsgType, NAME_BYTES, PREFACE, WS_SUBPROTOCOL,
} from '../protocol/index.js';
import { benchName } from './stamp.js';

export type BenchProto = 'framed' | 'classic' | 'ws' | 'irc';

/** A delivery as the generator sees it: who sent it, whether to All, and the text's bytes. */
export type Deliver = (senderField: Uint8Array, toAll: boolean, text: Uint8Array) => void;

/**
 * One simulated user. Built over the protocol library directly (not the client library): it
 * must be lean enough that one core can load a server.
 */
export interface BenchPeer {
  readonly index: number;
  /** Sends a text to everyone (to = -1) or to the user with that index. */
  send(to: number, text: Uint8Array): void;
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

/** Connects and registers user `index`; resolves once the server has accepted the name. */
export function openPeer(proto: BenchProto, index: number, target: PeerTarget, keepNames = false): Promise<BenchPeer> {
  if (proto === 'ws') return openWs(index, target.url!);
  if (proto === 'irc') return openIrc(index, target);
  return openTcp(proto, index, target, keepNames);
}

function nameField(index: number): Uint8Array {
  return encodeNameField(benchName(index));
}

/** A peer record with no deliveries seen yet and no list yet. */
function newPeer(index: number, io: Pick<BenchPeer, 'send' | 'flush' | 'close'>, keepNames = false): BenchPeer {
  return { index, onDeliver: () => {}, onClose: undefined, listSize: -1, names: keepNames ? new Set() : undefined, ...io };
}

/** Handles what an HCP server sends a bench peer (framed, classic or WebSocket alike). */
function hcpReceiver(peer: BenchPeer, accepted: () => void, refused: (err: Error) => void): (type: number, body: Uint8Array) => void {
  let registered = false;
  return (type, body) => {
    if (type === MsgType.MESSAGE) peer.onDeliver(body.subarray(0, NAME_BYTES), body[NAME_BYTES] === 0x41, body.subarray(2 * NAME_BYTES));
    else if (type === MsgType.UPDATE || type === MsgType.PRESENCE) applyList(peer, type, body);
    else if (type === MsgType.ACK && !registered) {
      registered = true;
      accepted();
    } else if (type === MsgType.NAK) refused(new Error(`${benchName(peer.index)} was refused by the server`));
  };
}

function openTcp(proto: 'framed' | 'classic', index: number, target: PeerTarget, keepNames: boolean): Promise<BenchPeer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: target.host, port: target.port, noDelay: true });
    const me = nameField(index);
    const fields = new Map<number, Uint8Array>();
    let queue: Uint8Array[] = [];
    let registered = false;
    let prefaceLeft = proto === 'framed' ? PREFACE.length : 0;
    const peer = newPeer(index, {
      send(to, text) {
        let field: Uint8Array = ALL_FIELD;
        if (to >= 0) {
          field = fields.get(to) ?? nameField(to);
          fields.set(to, field);
        }
        const frame = encodeMessageFrame(me, field, text);
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
    }, keepNames);
    const onMessage = hcpReceiver(peer, () => {
      registered = true;
      resolve(peer);
    }, reject);
    const decoder = proto === 'framed' ? new FramedDecoder({ maxFrameBytes: 1 << 26 }, onMessage) : new ClassicDecoder(onMessage);
    socket.on('connect', () => {
      if (proto === 'framed') socket.write(PREFACE);
      const proposal = encodeFrame({ type: MsgType.PROPOSAL, name: benchName(index) });
      socket.write(proto === 'framed' ? proposal : proposal.subarray(4));
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
      if (!registered) reject(new Error(`${benchName(index)}: the server closed the connection`));
      peer.onClose?.();
    });
  });
}

function openWs(index: number, url: string): Promise<BenchPeer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [WS_SUBPROTOCOL]);
    const me = nameField(index);
    const peer = newPeer(index, {
      send: (to, text) => ws.send(encodeMessageFrame(me, to >= 0 ? nameField(to) : ALL_FIELD, text).subarray(4)),
      flush: () => {},
      close: () => ws.terminate(),
    });
    const onMessage = hcpReceiver(peer, () => resolve(peer), reject);
    ws.on('open', () => ws.send(encodeFrame({ type: MsgType.PROPOSAL, name: benchName(index) }).subarray(4)));
    ws.on('message', (data: Buffer) => onMessage(data[0]!, data.subarray(1)));
    ws.on('error', reject);
    ws.on('close', () => peer.onClose?.());
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
        queue += `PRIVMSG ${to >= 0 ? benchName(to) : CHANNEL} :${Buffer.from(text).toString('latin1')}\r\n`;
      },
      flush: () => {
        if (queue) socket.write(queue, 'latin1');
        queue = '';
      },
      close: () => socket.destroy(),
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
          peer.onDeliver(encoder.encode(m[1]!), m[2] === CHANNEL, Buffer.from(m[3]!, 'latin1'));
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

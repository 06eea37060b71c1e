import { connect, type Socket } from 'node:net';
import {
  ClassicDecoder, encodeFrame, FramedDecoder, MsgType, parseMessage, payloadOf, PREFACE,
  type HcpMessage,
} from '../../src/protocol/index.js';

const WAIT_MS = 3000;

/** A raw TCP peer for tests: collects the bytes and decoded messages the server sends. */
abstract class RawPeer {
  readonly socket: Socket;
  readonly received: HcpMessage[] = [];
  /** Every byte received, in order. */
  bytes = Buffer.alloc(0);
  closed = false;
  decodeError: Error | undefined;
  private waiters: Array<() => void> = [];

  protected constructor(port: number) {
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk) => {
      this.bytes = Buffer.concat([this.bytes, chunk]);
      try {
        this.onData(chunk);
      } catch (err) {
        this.decodeError = err as Error; // what a test did not expect to read; the peer stops
        this.socket.destroy();
      }
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => {});
  }

  protected abstract onData(chunk: Buffer): void;

  protected handle = (type: number, body: Uint8Array): void => {
    const msg = parseMessage(type, body);
    if (msg) this.received.push(msg);
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `check` is true, re-checked whenever bytes arrive; fails after a timeout. */
  async until(check: () => boolean, what = 'condition', ms = WAIT_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received.map(describe)).slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for (and removes from `received`) the first message matching `match`. */
  async take<T extends HcpMessage['type']>(type: T, match: (m: Extract<HcpMessage, { type: T }>) => boolean = () => true): Promise<Extract<HcpMessage, { type: T }>> {
    let found: Extract<HcpMessage, { type: T }> | undefined;
    await this.until(() => {
      const i = this.received.findIndex((m) => m.type === type && match(m as Extract<HcpMessage, { type: T }>));
      if (i < 0) return false;
      found = this.received.splice(i, 1)[0] as Extract<HcpMessage, { type: T }>;
      return true;
    }, `message type ${type}`);
    return found!;
  }

  async waitClosed(ms = WAIT_MS): Promise<void> {
    await this.until(() => this.closed, 'the connection to close', ms);
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  abstract send(msg: HcpMessage): void;

  end(): void {
    this.socket.end();
  }
}

function describe(m: HcpMessage): unknown {
  return m.type === MsgType.PING || m.type === MsgType.PONG ? { type: m.type } : m;
}

/** Speaks classic HCP/1 exactly as the 2016 client: raw messages, one per write. */
export class ClassicPeer extends RawPeer {
  private decoder = new ClassicDecoder(this.handle);
  constructor(port: number) {
    super(port);
  }
  static async open(port: number): Promise<ClassicPeer> {
    const peer = new ClassicPeer(port);
    await new Promise((resolve) => peer.socket.once('connect', resolve));
    return peer;
  }
  protected onData(chunk: Buffer): void {
    this.decoder.push(chunk);
  }
  send(msg: HcpMessage): void {
    this.write(payloadOf(encodeFrame(msg)));
  }
}

/** Speaks framed HCP/2: preface first, then length-prefixed frames. */
export class FramedPeer extends RawPeer {
  private prefaceSeen = false;
  private decoder = new FramedDecoder({ maxFrameBytes: 1 << 24 }, this.handle);
  constructor(port: number) {
    super(port);
  }
  static async open(port: number): Promise<FramedPeer> {
    const peer = new FramedPeer(port);
    peer.write(PREFACE);
    await peer.until(() => peer.prefaceSeen, 'the preface');
    return peer;
  }
  protected onData(chunk: Buffer): void {
    if (!this.prefaceSeen) {
      if (this.bytes.length < PREFACE.length) return;
      this.prefaceSeen = true;
      chunk = this.bytes.subarray(PREFACE.length);
    }
    if (chunk.length) this.decoder.push(chunk);
  }
  send(msg: HcpMessage): void {
    this.write(encodeFrame(msg));
  }
}

export type AnyPeer = ClassicPeer | FramedPeer;

/** The texts of the MESSAGEs a peer received, in order. */
export const textsOf = (p: AnyPeer): string[] => p.received.flatMap((m) => (m.type === MsgType.MESSAGE ? [m.text] : []));

/** Opens a peer and registers `name`: consumes the ACK, waits for (and keeps) the first user list. */
export async function join<P extends AnyPeer>(open: Promise<P>, name: string): Promise<P> {
  const peer = await open;
  peer.send({ type: MsgType.PROPOSAL, name });
  await peer.take(MsgType.ACK);
  await peer.until(() => peer.received.some((m) => m.type === MsgType.UPDATE), 'the first UPDATE');
  return peer;
}

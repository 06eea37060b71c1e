import type { Socket } from 'node:net';
import {
  ClassicDecoder, encodeFrame, ErrorCode, FramedDecoder, FRAME_HEADER_BYTES, HcpError, matchesPrefacePrefix, MsgType, PREFACE,
} from '../../protocol/index.js';
import type { ChatCore } from '../core/chat.js';
import type { Wire } from '../core/peer.js';
import type { Session } from '../core/session.js';
import type { FlushScheduler, Flushable } from './flush.js';
import { OutboundQueue } from './outbound-queue.js';
import type { ChannelMember, SharedBroadcast } from './shared-broadcast.js';
import type { Form } from '../core/peer.js';

export interface TcpTransportOptions {
  /** Longest framed HCP/2 frame accepted (type + body). */
  maxFrameBytes: number;
  /** Bytes that may wait unsent for one peer before it is dropped as a slow reader. */
  maxQueuedBytes: number;
  /** How long a closing connection may take to drain before it is cut. */
  closeGraceMs: number;
}

/**
 * Serves one TCP connection: the first byte decides the form (0x00 starts the HCP/2 preface,
 * anything else is a classic client, docs/protocol.md §5), then decoded messages go to the core.
 */
export function serveTcp(socket: Socket, core: ChatCore, flusher: FlushScheduler, options: TcpTransportOptions): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  // Until the first byte says otherwise the peer is treated as classic: it is sent nothing ours.
  const link = new TcpLink(socket, flusher, options);
  let session: Session;
  try {
    session = core.connect(link, socket.remoteAddress ?? 'unknown');
  } catch (err) {
    if (err instanceof HcpError) return refuseEarly(socket, err, options.closeGraceMs);
    core.log.error({ remote: link.remote, err }, 'internal error');
    socket.destroy();
    return;
  }
  let error: string | undefined;
  socket.on('error', (err: NodeJS.ErrnoException) => {
    error ??= err.code ?? err.message; // 'close' follows, and logs it
  });
  socket.once('close', () => session.closed(error ? `connection lost (${error})` : 'peer closed the connection'));
  link.onSlowReader = () =>
    session.fail(new HcpError(ErrorCode.SLOW_READER, `more than ${options.maxQueuedBytes} bytes are waiting for you to read them`, true));

  let framesSeen = false;
  const onMessage = (type: number, body: Uint8Array, frame?: Uint8Array): void => {
    framesSeen = true;
    session.receive(type, body, frame);
  };
  let decoder: FramedDecoder | ClassicDecoder | undefined;
  let head: Buffer | undefined;
  /** The bytes last given to the decoder: where a protocol error was found. */
  let fed: Uint8Array = new Uint8Array(0);
  const feed = (bytes: Uint8Array): void => {
    fed = bytes;
    decoder!.push(bytes);
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      if (decoder) return feed(chunk);
      head = head ? Buffer.concat([head, chunk]) : chunk;
      if (head[0] !== 0x00) {
        decoder = new ClassicDecoder(onMessage);
      } else if (!matchesPrefacePrefix(head)) {
        link.wire = 'framed';
        throw new HcpError(ErrorCode.BAD_PREFACE, 'the connection did not start with the HCP/2 preface', true);
      } else if (head.length >= PREFACE.length) {
        link.wire = 'framed';
        link.channel = flusher.channel;
        socket.write(PREFACE);
        decoder = new FramedDecoder(options, onMessage);
        head = head.subarray(PREFACE.length);
      } else {
        return;
      }
      core.log.debug({ peer: session.id, wire: link.wire }, 'wire form detected');
      if (head.length > 0) feed(head);
      head = undefined;
    } catch (err) {
      if (err instanceof HcpError && lateClassic(err, fed)) {
        // The client gave up waiting for our preface (a busy server) and went classic, as
        // docs/protocol.md §5 lets it: follow it rather than drop it.
        link.wire = 'classic';
        link.channel = undefined;
        decoder = new ClassicDecoder(onMessage);
        core.log.info({ peer: session.id }, 'client fell back to classic after a late preface');
        return feed(fed);
      }
      socket.removeAllListeners('data');
      session.fail(err);
    }
  });
  const lateClassic = (err: HcpError, bytes: Uint8Array): boolean =>
    err.code === ErrorCode.FRAME_TOO_LARGE && link.wire === 'framed' && !framesSeen && bytes[0] === MsgType.PROPOSAL;
}

/**
 * Turns away a connection the core would not admit. A framed peer (its first byte is 0x00) gets
 * the preface and an ERROR saying why; a classic peer, as the seed knows no such thing, is closed.
 */
function refuseEarly(socket: Socket, err: HcpError, graceMs: number): void {
  const bye = setTimeout(() => socket.destroy(), graceMs);
  bye.unref();
  socket.on('error', () => {});
  socket.once('data', (chunk: Buffer) => {
    if (chunk[0] === 0x00) {
      socket.write(PREFACE);
      socket.write(encodeFrame({ type: MsgType.ERROR, code: err.code, fatal: true, reason: err.message }));
    }
    socket.end();
  });
}

/** More slices than this of a turn's broadcasts are joined into one write: a copy costs less than a long vector. */
const MAX_SLICES = 4;
/** Frames from this size on are written as they are, never copied into a batch. */
const LARGE_FRAME = 16 * 1024;

/** A TCP connection as a PeerLink, with its bounded outbound queue. */
class TcpLink implements ChannelMember, Flushable {
  readonly transport = 'tcp';
  readonly remote: string;
  /** Classic until the peer sends the HCP/2 preface. */
  wire: Wire = 'classic';
  /** Framed links share broadcasts; classic ones need a write per message. */
  channel: SharedBroadcast | undefined;
  member = false;
  channelTurn = 0;
  channelPos = 0;
  readonly rooms = new Set<string>();
  form: Form = 'plain';
  onSlowReader: (() => void) | undefined;
  private readonly queue: OutboundQueue;
  private closing = false;
  private queuedLarge = false;

  constructor(
    private readonly socket: Socket,
    private readonly flusher: FlushScheduler,
    private readonly options: TcpTransportOptions,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.queue = new OutboundQueue(options, () => this.onSlowReader?.());
  }

  send(frame: Uint8Array): void {
    if (this.closing || this.socket.destroyed) return;
    if (this.wire === 'classic') {
      // written at the end of the turn (after history is stored), each message its own write
      if (this.queue.push(frame)) this.flusher.mark(this);
      this.queue.bound(this.socket.writableLength);
    } else {
      // broadcasts this peer has yet to take come first: each sender's order is kept
      if (this.channel && this.channel.pendingFor(this) > 0) this.enqueue(this.channel.take(this));
      this.enqueue([frame]);
      this.queue.bound(); // the socket is only written at the flush, which checks it
    }
  }

  absorb(frames: Uint8Array[]): void {
    this.enqueue(frames);
  }

  private enqueue(frames: Uint8Array[]): void {
    for (const frame of frames) {
      if (this.queue.push(frame)) this.flusher.mark(this);
      if (frame.length >= LARGE_FRAME) this.queuedLarge = true;
    }
  }

  flush(): void {
    if (this.closing || this.socket.destroyed) return; // a closing link flushed its last in close()
    if (this.wire === 'classic') {
      // The originals take one read as one message: each classic message is its own write.
      for (const frame of this.queue.take()) this.socket.write(frame.subarray(FRAME_HEADER_BYTES));
      this.queue.bound(this.socket.writableLength);
      return;
    }
    const channel = this.channel;
    if (channel && channel.pendingFor(this) > 0) {
      const slices = this.queue.frames.length === 0 ? channel.takeSlices(this) : undefined;
      if (slices) return this.writeSlices(slices);
      this.enqueue(channel.take(this));
    }
    if (this.queue.frames.length === 0) return;
    const bytes = this.queue.bytes;
    const queue = this.queue.take();
    if (queue.length === 1) {
      this.socket.write(queue[0]!);
    } else if (!this.queuedLarge) {
      this.socket.write(Buffer.concat(queue, bytes)); // small frames: one copy beats a vector
    } else {
      // a large shared frame (a full user list) is not copied per peer: small ones are joined
      // around it and the pieces go out as one vector
      this.socket.cork();
      let run: Uint8Array[] = [];
      for (const frame of queue) {
        if (frame.length < LARGE_FRAME) {
          run.push(frame);
          continue;
        }
        if (run.length) this.socket.write(Buffer.concat(run));
        run = [];
        this.socket.write(frame);
      }
      if (run.length) this.socket.write(Buffer.concat(run));
      this.socket.uncork();
    }
    this.queuedLarge = false;
    // what the kernel would not take waits in the socket: that counts against the bound too
    this.queue.bound(this.socket.writableLength);
  }

  /**
   * This peer's share of the turn's broadcasts: slices of one buffer, as one vector; many small
   * ones (the frames of its rooms among others') joined into one write instead.
   */
  private writeSlices(slices: Uint8Array[]): void {
    if (slices.length === 0) return;
    if (slices.length === 1) this.socket.write(slices[0]!);
    else if (slices.length > MAX_SLICES) this.socket.write(Buffer.concat(slices));
    else {
      this.socket.cork();
      for (const slice of slices) this.socket.write(slice);
      this.socket.uncork();
    }
    this.queue.bound(this.socket.writableLength);
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    if (!this.closing) this.socket.resume();
  }

  close(): void {
    if (this.closing) return;
    this.flush();
    this.closing = true;
    this.socket.end();
    // A peer that does not read may never let the end go out: cut it after a grace period.
    setTimeout(() => this.socket.destroy(), this.options.closeGraceMs).unref();
  }
}

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import {
  ClassicDecoder, FRAME_HEADER_BYTES, FramedDecoder, matchesPrefacePrefix, MsgType, PREFACE,
} from '../protocol/index.js';
import { ChatClient, type ClientOptions } from './client.js';
import type { Connection, Wire } from './connection.js';

export interface TcpConnectOptions extends ClientOptions {
  /** Speak classic HCP/1 from the start (for the 2016 server). */
  classic?: boolean;
  /** How long to wait for the server's preface before falling back to classic. */
  prefaceTimeoutMs?: number;
  /** Connect over TLS with these options (certificate checks stay on unless you turn them off). */
  tls?: ConnectionOptions;
  /** Largest frame accepted from the server. */
  maxFrameBytes?: number;
}

/**
 * Connects to an HCP server over TCP: framed HCP/2 by default, falling back to classic on the same
 * connection when the server does not answer the preface in time (the original 2016 server).
 */
export async function connect(host: string, port: number, options: TcpConnectOptions = {}): Promise<ChatClient> {
  return new ChatClient(await openTcpConnection(host, port, options), options);
}

/** The raw connection under `connect`: frames in and out, in whichever form was negotiated. */
export async function openTcpConnection(host: string, port: number, options: TcpConnectOptions = {}): Promise<Connection> {
  const socket = await open(host, port, options.tls);
  socket.setNoDelay(true);
  const wire: Wire = options.classic ? 'classic' : await negotiate(socket, options.prefaceTimeoutMs ?? 1000);
  return new TcpConnection(socket, wire, `${host}:${port}`, options.maxFrameBytes ?? 1 << 24);
}

function open(host: string, port: number, tls: ConnectionOptions | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tls
      ? tlsConnect({ host, port, servername: host, ...tls }, () => done())
      : netConnect({ host, port }, () => done());
    const done = () => {
      socket.off('error', reject);
      resolve(socket);
    };
    socket.once('error', reject);
  });
}

/** Sends the preface and waits for it back; whatever else happens means classic. */
function negotiate(socket: Socket, timeoutMs: number): Promise<Wire> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const finish = (wire: Wire) => {
      clearTimeout(timer);
      socket.off('data', onData);
      if (wire === 'classic' && got.length > 0) socket.unshift(got);
      if (wire === 'framed' && got.length > PREFACE.length) socket.unshift(got.subarray(PREFACE.length));
      socket.pause();
      resolve(wire);
    };
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (!matchesPrefacePrefix(got)) finish('classic');
      else if (got.length >= PREFACE.length) finish('framed');
    };
    const timer = setTimeout(() => finish('classic'), timeoutMs);
    socket.on('data', onData);
    socket.write(PREFACE);
  });
}

class TcpConnection implements Connection {
  onFrame: (type: number, body: Uint8Array) => void = () => {};
  onClose: (reason: string) => void = () => {};

  constructor(
    private readonly socket: Socket,
    readonly wire: Wire,
    readonly address: string,
    maxFrameBytes: number,
  ) {
    const deliver = (type: number, body: Uint8Array) => this.onFrame(type, body);
    const decoder = wire === 'framed' ? new FramedDecoder({ maxFrameBytes }, deliver) : new ClassicDecoder(deliver);
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (err) {
        error = `the server sent something unreadable: ${(err as Error).message}`;
        socket.destroy();
      }
    });
    socket.on('error', (err) => (error ??= err.message));
    socket.on('close', () => this.onClose(error ?? 'the server closed the connection'));
    // resume on the next tick, once the client has set onFrame
    queueMicrotask(() => socket.resume());
  }

  send(frame: Uint8Array): void {
    if (this.wire === 'framed') {
      this.socket.write(frame);
    } else if (frame[FRAME_HEADER_BYTES]! <= MsgType.MESSAGE) {
      // a classic server knows types 1–5 only; each message is its own write
      this.socket.write(frame.subarray(FRAME_HEADER_BYTES));
    }
  }

  close(): void {
    this.socket.end();
  }
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame, ErrorCode, FRAME_HEADER_BYTES, HcpError, MsgType, WS_SUBPROTOCOL } from '../../protocol/index.js';
import type { ChatCore } from '../core/chat.js';
import type { PeerLink } from '../core/peer.js';
import type { Session } from '../core/session.js';
import type { FlushScheduler, Flushable } from './flush.js';
import { OutboundQueue } from './outbound-queue.js';


export interface WebSocketTransportOptions {
  maxFrameBytes: number;
  maxQueuedBytes: number;
  closeGraceMs: number;
}

/**
 * HCP over WebSocket: each binary message is one frame's type + body; otherwise framed HCP/2.
 * Returns the `ws` server to which the HTTP server hands its upgrade requests.
 */
export function createWebSocketTransport(core: ChatCore, flusher: FlushScheduler, options: WebSocketTransportOptions): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    handleProtocols: (offered) => (offered.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const link = new WebSocketLink(ws, req.socket, `${req.socket.remoteAddress}:${req.socket.remotePort}`, flusher, options);
    let session: Session;
    try {
      session = core.connect(link, req.socket.remoteAddress ?? 'unknown');
    } catch (err) {
      if (!(err instanceof HcpError)) {
        core.log.error({ remote: link.remote, err }, 'internal error');
        ws.terminate();
        return;
      }
      ws.send(encodeFrame({ type: MsgType.ERROR, code: err.code, fatal: true, reason: err.message }).subarray(FRAME_HEADER_BYTES));
      ws.close(1013, 'try again later');
      return;
    }
    link.onSlowReader = () =>
      session.fail(new HcpError(ErrorCode.SLOW_READER, `more than ${options.maxQueuedBytes} bytes are waiting for you to read them`, true));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) {
        return session.fail(new HcpError(ErrorCode.MALFORMED, 'HCP over WebSocket uses binary messages of type + body', true));
      }
      session.receive(data[0]!, data.subarray(1)); // receive is the connection's error boundary
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws reports oversize messages (close code 1009) and WebSocket protocol violations here
      const code = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? ErrorCode.FRAME_TOO_LARGE : ErrorCode.MALFORMED;
      session.fail(new HcpError(code, err.message, true));
    });
    ws.on('close', (code) => session.closed(code === 1000 || code === 1001 ? 'peer closed the connection' : `connection closed (${code})`));
  });
  return wss;
}

/**
 * A WebSocket as a PeerLink. Frames queued during a turn of the event loop are sent together,
 * with the underlying socket corked, so that they leave in one write rather than one per message.
 */
class WebSocketLink implements PeerLink, Flushable {
  readonly wire = 'framed' as const;
  readonly transport = 'ws';
  onSlowReader: (() => void) | undefined;
  private readonly queue: OutboundQueue;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly remote: string,
    private readonly flusher: FlushScheduler,
    private readonly options: WebSocketTransportOptions,
  ) {
    this.queue = new OutboundQueue(options, () => this.onSlowReader?.());
  }

  send(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return;
    if (this.queue.push(frame)) this.flusher.mark(this);
    this.queue.bound();
  }

  flush(): void {
    if (this.queue.frames.length === 0 || this.ws.readyState !== this.ws.OPEN) return;
    this.socket.cork();
    for (const frame of this.queue.take()) this.ws.send(frame.subarray(FRAME_HEADER_BYTES), { binary: true });
    this.socket.uncork();
    this.queue.bound(this.ws.bufferedAmount);
  }

  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    if (!this.closing) this.ws.resume();
  }

  close(): void {
    if (this.closing) return;
    this.flush();
    this.closing = true;
    this.ws.close(1000);
    setTimeout(() => this.ws.terminate(), this.options.closeGraceMs).unref();
  }
}

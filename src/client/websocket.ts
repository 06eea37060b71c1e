import { WS_SUBPROTOCOL } from '../protocol/index.js';
import { ChatClient, type ClientOptions } from './client.js';
import type { Connection } from './connection.js';


/** The part of the WebSocket API used here: the browser's, or the `ws` package's in Node. */
export interface WebSocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number): void;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

/** Connects to an HCP server over WebSocket (subprotocol hcp.v2): one binary message per frame. */
export function connectWebSocket(
  url: string,
  options: ClientOptions & { WebSocket?: WebSocketConstructor } = {},
): Promise<ChatClient> {
  const Ctor = options.WebSocket ?? (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket;
  return new Promise((resolve, reject) => {
    const ws = new Ctor(url, [WS_SUBPROTOCOL]);
    ws.binaryType = 'arraybuffer';
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    ws.onopen = () => {
      ws.onerror = null;
      resolve(new ChatClient(new WebSocketConnection(ws, url), options));
    };
  });
}

class WebSocketConnection implements Connection {
  readonly wire = 'framed' as const;
  onFrame: (type: number, body: Uint8Array) => void = () => {};
  onClose: (reason: string) => void = () => {};

  constructor(
    private readonly ws: WebSocketLike,
    readonly address: string,
  ) {
    ws.onmessage = (ev) => {
      if (!(ev.data instanceof ArrayBuffer) || ev.data.byteLength === 0) return;
      const payload = new Uint8Array(ev.data);
      this.onFrame(payload[0]!, payload.subarray(1));
    };
    ws.onclose = (ev) => this.onClose(ev.reason || (ev.code === 1000 ? 'the server closed the connection' : `connection lost (${ev.code})`));
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === 1) this.ws.send(frame.subarray(4));
  }

  close(): void {
    this.ws.close(1000);
  }
}


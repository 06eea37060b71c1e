import { fileURLToPath } from 'node:url';
import { CLASSIC_MAX_TEXT } from '../protocol/index.js';

export interface ServerOptions {
  host: string;
  /** HCP over TCP, classic and framed on one port. 0 picks a free port. */
  port: number;
  /** Longest text a MESSAGE may carry (UTF-8 bytes). The default is what a classic client can take. */
  maxTextBytes: number;
  /** Longest framed HCP/2 frame accepted; a longer one is a protocol error and ends the connection. */
  maxFrameBytes: number;
  /** Bytes that may wait unread for one peer before it is dropped as a slow reader. */
  maxQueuedBytes: number;
  /** Time allowed from connecting to having a name accepted; 0 = unlimited. */
  registrationTimeoutMs: number;
  /** Time a closing connection gets to drain its output. */
  closeGraceMs: number;
  /** Log the text of relayed messages (off by default). */
  logText: boolean;
  /** Relayed messages logged one line each per second; past it, one summary line a second. */
  logRelaysPerSecond: number;
  /** Joins and leaves within this window are told in one frame per peer. */
  presenceWindowMs: number;
  /** Full user lists written to newcomers per turn of the event loop (pacing during join storms). */
  welcomeBytesPerTurn: number;
  /** Messages per second per connection (token bucket); 0 = no limit. */
  messageRate: number;
  /** Burst per connection, and the drops over the limit tolerated before disconnecting. */
  messageBurst: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxUnregistered: number;
  /** Apply the per-address limit to loopback addresses too. */
  limitLoopback: boolean;
  /** PEM certificate (chain) and key files: HCP over TLS on tlsPort, and HTTPS/WSS. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tlsPort: number;
  /** Framed peers silent this long are dropped (pinged at half of it); 0 = never. */
  idleTimeoutMs: number;
  /** HTTP port for the web client and HCP over WebSocket; undefined = no HTTP. 0 picks a free port. */
  httpPort: number | undefined;
  /** Folder of the built web client. */
  webRoot: string;
  /** Origins allowed to open the WebSocket besides the page's own ('*' = any). */
  allowedOrigins: string[];
}

export const defaultServerOptions: ServerOptions = {
  host: '127.0.0.1',
  port: 20002,
  maxTextBytes: CLASSIC_MAX_TEXT,
  maxFrameBytes: 8192,
  maxQueuedBytes: 2 * 1024 * 1024,
  registrationTimeoutMs: 20_000,
  closeGraceMs: 2_000,
  logText: false,
  logRelaysPerSecond: 100,
  presenceWindowMs: 10,
  welcomeBytesPerTurn: 4 * 1024 * 1024,
  messageRate: 50,
  messageBurst: 100,
  maxConnections: 20_000,
  maxConnectionsPerAddress: 64,
  maxUnregistered: 2_000,
  limitLoopback: false,
  tlsCert: undefined,
  tlsKey: undefined,
  tlsPort: 20004,
  idleTimeoutMs: 120_000,
  httpPort: 20003,
  // the same folder from src/server (tsx) and from dist/server (built)
  webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
  allowedOrigins: [],
};

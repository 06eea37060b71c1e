import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import type { WebSocketServer } from 'ws';
import { WS_SUBPROTOCOL } from '../protocol/index.js';

/**
 * Hosting the web client over HTTP, for the server and for the `howdy gui` bridge alike: its files,
 * /healthz (and, for the server, /readyz, /metrics and the admin API), and the gate of the WebSocket endpoint
 * (path, Origin, subprotocol). It knows nothing of the chat: the upgrade is handed to the WebSocket
 * server it is given, and the health and metrics are what the callbacks say.
 */

/** The built web client: the same folder from src/http (tsx) and from dist/http (built). */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The page may load only its own script and style, and talk only to its own server. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface HttpOptions {
  /** Certificate and key: serve HTTPS (and so WSS) instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** Folder of the built web client; undefined serves no page. */
  webRoot: string | undefined;
  /** Origins allowed to open the WebSocket besides the page's own; '*' allows any. */
  allowedOrigins: string[];
  /** Path of the WebSocket endpoint. */
  wsPath: string;
  /** Extra check on upgrade requests (the GUI bridge's token). */
  authorize?: (req: IncomingMessage) => boolean;
  /** What /healthz reports (the process is alive). */
  health: () => object;
  /** /readyz: whether the server can serve, and what each of its parts says; none: 404. */
  readiness?: () => Promise<{ ready: boolean; [part: string]: unknown }>;
  /** /metrics: Prometheus's text and its content type; none: 404. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The HTTP admin API (admin-api.ts): true when it answered the request. */
  api?: (req: IncomingMessage, res: ServerResponse) => boolean;
  log: { warn(obj: object, msg: string): void };
}

/**
 * HTTP: the web client's files, /healthz, and the WebSocket endpoint (HCP over WebSocket),
 * whose Origin must be the page's own or on the allow-list.
 */
export function createHttpServer(wss: WebSocketServer, options: HttpOptions): Server {
  const assets = options.webRoot && existsSync(options.webRoot) ? sirv(options.webRoot, { dev: false, etag: true, single: false }) : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const path = req.url?.split('?', 1)[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok', ...options.health() });
    if (options.api?.(req, res)) return;
    const { readiness, metrics } = options;
    if (path === '/readyz' && readiness) {
      return answer(res, readiness().then(({ ready, ...parts }) => json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...parts })), options.log);
    }
    if (path === '/metrics' && metrics) {
      return answer(res, metrics().then(({ contentType, body }) => {
        res.setHeader('Content-Type', contentType);
        res.end(body);
      }), options.log);
    }
    const notFound = () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(assets ? 'not found' : 'The web client is not built: run "npm run build", then restart the server.');
    };
    if (assets) assets(req, res, notFound);
    else notFound();
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, why: string) => {
      options.log.warn({ remote: req.socket.remoteAddress, origin: req.headers.origin, why }, 'WebSocket refused');
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== options.wsPath) return refuse(404, 'Not Found');
    if (!originAllowed(req, options.allowedOrigins)) return refuse(403, 'Origin Not Allowed');
    if (options.authorize && !options.authorize(req)) return refuse(403, 'Forbidden');
    if (!offersSubprotocol(req)) return refuse(400, `Subprotocol ${WS_SUBPROTOCOL} Required`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  return server;
}

export function json(res: ServerResponse, status: number, body: object): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

/** Sends what `done` writes, or a 500 if it fails (logged): an answer never hangs the request. */
function answer(res: ServerResponse, done: Promise<void>, log: HttpOptions['log']): void {
  done.catch((err: unknown) => {
    log.warn({ err }, 'HTTP answer failed');
    if (res.headersSent) return void res.destroy();
    res.statusCode = 500;
    res.end();
  });
}

/** HCP over WebSocket is spoken only with subprotocol hcp.v2 (docs/protocol.md §6). */
function offersSubprotocol(req: IncomingMessage): boolean {
  const offered = req.headers['sec-websocket-protocol'] ?? '';
  return offered.split(',').some((p) => p.trim() === WS_SUBPROTOCOL);
}

/** No Origin (not a browser), the page's own origin, or one on the allow-list. */
function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Starts `server` listening; rejects if the address cannot be had. */
export function listen(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

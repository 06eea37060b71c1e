import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { openTcpConnection, type TcpConnectOptions } from '../client/tcp.js';
import {
  encodeFrame, ErrorCode, frameOfPayload, isRequestType, MsgType, parseExtension, payloadOf, WS_SUBPROTOCOL, type RequestType,
} from '../protocol/index.js';
import { createHttpServer, listen, WEB_ROOT } from '../http/web-host.js';
import type { Logger } from '../logging/logger.js';

export interface BridgeOptions extends TcpConnectOptions {
  /** The HCP server to reach. */
  host: string;
  port: number;
  /** Local port for the page; 0 picks a free one. */
  localPort?: number;
  webRoot?: string;
}

export interface RunningBridge {
  /** The address to open in a browser, token included. */
  url: string;
  close(): Promise<void>;
}

/**
 * `howdy gui`: serves the web client on 127.0.0.1 and relays each of its WebSocket connections to
 * an HCP server over TCP (framed, or classic for the 2016 server), so the same page works with any
 * HCP server. Only the local user may use it: loopback only, a random token in the URL, and the
 * page's own Origin.
 */
export async function startBridge(options: BridgeOptions, log: Logger): Promise<RunningBridge> {
  const token = randomBytes(18).toString('base64url');
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    handleProtocols: (offered) => (offered.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });
  wss.on('connection', (ws: WebSocket) => void relay(ws, options, log));
  const http = createHttpServer(wss, {
    webRoot: options.webRoot ?? WEB_ROOT,
    allowedOrigins: [],
    wsPath: '/hcp',
    authorize: (req: IncomingMessage) => tokenMatches(new URL(req.url ?? '/', 'http://x').searchParams.get('token'), token),
    health: () => ({ server: `${options.host}:${options.port}` }),
    log,
  });
  await listen(http, options.localPort ?? 0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  log.info({ server: `${options.host}:${options.port}`, url }, 'GUI bridge listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001);
        http.close(() => resolve());
      }),
  };
}

async function relay(ws: WebSocket, options: BridgeOptions, log: Logger): Promise<void> {
  const early: Buffer[] = [];
  ws.on('message', (data: Buffer) => early.push(data));
  let tcp;
  try {
    tcp = await openTcpConnection(options.host, options.port, options);
  } catch (err) {
    log.warn({ server: `${options.host}:${options.port}`, error: (err as Error).message }, 'cannot reach the server');
    ws.close(1011, `cannot reach ${options.host}:${options.port}`);
    return;
  }
  log.info({ server: tcp.address, wire: tcp.wire }, 'relaying a browser connection');
  tcp.onFrame = (type, body) => {
    const payload = new Uint8Array(1 + body.length);
    payload[0] = type;
    payload.set(body, 1);
    ws.send(payload, { binary: true });
  };
  tcp.onClose = (reason) => ws.close(1000, reason.slice(0, 120));
  ws.removeAllListeners('message');
  const forward = (data: Buffer) => {
    if (data.length === 0) return;
    // a classic server knows no extension frames and would leave the page waiting for the answer
    if (tcp.wire === 'classic' && isRequestType(data[0]!)) return answerForClassicServer(ws, data);
    tcp.send(frameOfPayload(data));
  };
  ws.on('message', forward);
  ws.on('close', () => tcp.close());
  early.forEach(forward);
}

/**
 * Answers an extension request (docs/protocol.md §10) on behalf of a classic server, as a server
 * offering nothing would: CAPS gets a REPLY granting no capability, any other request an ERROR.
 */
function answerForClassicServer(ws: WebSocket, payload: Uint8Array): void {
  let request;
  try {
    request = parseExtension(payload[0] as RequestType, payload.subarray(1));
  } catch {
    return; // not even an id to answer: the classic server would have ignored it too
  }
  const answer = request.type === MsgType.CAPS
    ? encodeFrame({ type: MsgType.REPLY, id: request.id, fields: {} })
    : encodeFrame({ type: MsgType.ERROR, code: ErrorCode.REQUEST_INVALID, fatal: false, id: request.id, reason: 'the server is a classic HCP/1 server: it has no extensions' });
  ws.send(payloadOf(answer), { binary: true });
}

function tokenMatches(given: string | null, token: string): boolean {
  if (given === null || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

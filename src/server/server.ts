import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { NAME_BYTES } from '../protocol/index.js';
import { createHttpServer, listen } from '../http/web-host.js';
import { adminApi } from '../http/admin-api.js';
import { createWebSocketTransport } from './transports/websocket.js';
import { ChatCore, type CoreSeams } from './core/chat.js';
import type { Logger } from '../logging/logger.js';
import { defaultServerOptions, type ServerOptions } from './options.js';
import { FlushScheduler } from './transports/flush.js';
import { serveTcp } from './transports/tcp.js';
import type { Store } from './core/ports.js';
import { MEMORY, openStore } from './store/sqlite.js';
import { Metrics } from './ops/metrics.js';
import { timedStore } from './ops/timed-store.js';
import { Traffic } from './transports/traffic.js';
import { withMotdFile } from './motd.js';

export interface RunningServer {
  readonly core: ChatCore;
  /** Accounts and profiles, opened at start and closed by close(). */
  readonly store: Store;
  /** The TCP address actually bound (port resolved when 0 was asked for). */
  readonly address: AddressInfo;
  /** HCP over TLS, when a certificate was given. */
  readonly tlsAddress: AddressInfo | undefined;
  /** The HTTP address (web client, WebSocket), when HTTP is on. */
  readonly httpAddress: AddressInfo | undefined;
  /** The options in force, shared with the core and the transports, which read them where used. */
  readonly options: Readonly<ServerOptions>;
  /**
   * Applies new values of live options (a reload): to new and open connections alike. A new TLS
   * certificate is loaded first; if it cannot be, this throws and nothing changed.
   */
  apply(changed: Partial<ServerOptions>): void;
  /** Tells framed peers, closes every connection (bounded by the close grace) and stops listening. */
  close(): Promise<void>;
}

/** The full user list of `users` users as one frame, plus room for the frames around it. */
function fullListBytes(users: number): number {
  return NAME_BYTES * users + 64 * 1024;
}

/**
 * A newcomer's first user list (and every list a classic peer gets) is one frame of 64 bytes a
 * user: a bound below it would drop them once the server is that full.
 */
function fitQueueToList(options: ServerOptions, log: Logger): void {
  const listBytes = fullListBytes(options.maxConnections);
  if (options.maxQueuedBytes >= listBytes) return;
  log.warn({ configured: options.maxQueuedBytes, bytes: listBytes, maxConnections: options.maxConnections }, 'max-queue raised to hold the full user list');
  options.maxQueuedBytes = listBytes;
}

/**
 * Starts a Howdy server: HCP over TCP (classic and framed on one port), over TLS on a port of its
 * own when a certificate is given, and HTTP(S) for the web client and HCP over WebSocket.
 */
export async function startServer(partial: Partial<ServerOptions>, log: Logger, seams: CoreSeams = {}): Promise<RunningServer> {
  const options: ServerOptions = withMotdFile({ ...defaultServerOptions, ...partial });
  fitQueueToList(options, log);
  // the store first: a data folder the server cannot use stops it before it listens
  const data = options.ephemeral ? MEMORY : options.data;
  const store = await openStore({ data, owner: true });
  if (data === MEMORY) log.info({ data }, 'data kept in memory only: nothing is kept when the server stops');
  else log.info({ data: store.location }, `data kept in ${store.location}`);
  try {
    return await serve(options, store, log, seams);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function serve(options: ServerOptions, store: Store, log: Logger, seams: CoreSeams): Promise<RunningServer> {
  const flusher = new FlushScheduler();
  // metrics are served over HTTP: without it, none are kept (and the store is not timed)
  const metrics = options.metrics && options.httpPort !== undefined ? new Metrics() : undefined;
  const stored = metrics ? timedStore(store, metrics.storeTimer) : store;
  const core = new ChatCore(options, log, { accounts: stored.accounts, rooms: stored.rooms, history: stored.history, moderation: stored.moderation, blocks: stored.blocks, turns: flusher, ...seams });
  await core.load();
  const traffic = { tcp: new Traffic(), ws: new Traffic() };
  metrics?.watch({ core, traffic });
  const tcp: Server = createServer((socket) => {
    traffic.tcp.track(socket);
    serveTcp(socket, core, flusher, options);
  });
  await listen(tcp, options.port, options.host);
  const address = tcp.address() as AddressInfo;
  log.info({ host: address.address, port: address.port }, 'server is started and listening');

  const credentials = options.tlsCert && options.tlsKey ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) } : undefined;
  let tlsServer: TlsServer | undefined;
  let tlsAddress: AddressInfo | undefined;
  if (credentials) {
    tlsServer = createTlsServer(credentials, (socket) => {
      traffic.tcp.track(socket);
      serveTcp(socket, core, flusher, options);
    });
    tlsServer.on('tlsClientError', (err, socket) => log.warn({ remote: socket.remoteAddress, reason: err.message }, 'TLS handshake failed'));
    await listen(tlsServer, options.tlsPort, options.host);
    tlsAddress = tlsServer.address() as AddressInfo;
    log.info({ host: tlsAddress.address, port: tlsAddress.port }, 'HCP over TLS listening');
  }

  let http: HttpServer | undefined;
  let httpAddress: AddressInfo | undefined;
  if (options.httpPort !== undefined) {
    const wss = createWebSocketTransport(core, flusher, options);
    wss.on('connection', (_ws, req) => traffic.ws.track(req.socket));
    http = createHttpServer(wss, {
      tls: credentials,
      webRoot: options.webRoot,
      allowedOrigins: options.allowedOrigins,
      wsPath: '/hcp',
      health: () => ({ online: core.onlineCount, connections: core.connectionCount }),
      readiness: async () => {
        const listening = tcp.listening;
        const reachable = await store.ping().then(() => 'ok', (err: unknown) => {
          log.warn({ err }, 'not ready: the store does not answer');
          return 'failed';
        });
        return { ready: listening && reachable === 'ok', listening, store: reachable };
      },
      metrics: metrics && (() => metrics.scrape()),
      api: core.moderation && adminApi(core.moderation, stored.moderation, log),
      log,
    });
    await listen(http, options.httpPort, options.host);
    httpAddress = http.address() as AddressInfo;
    const url = `${credentials ? 'https' : 'http'}://${urlHost(httpAddress.address)}:${httpAddress.port}/`;
    log.info({ url }, `web client at ${url} (HCP over WebSocket at ${url.replace('http', 'ws')}hcp)`);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      log.info({ online: core.names().length }, 'server shutting down');
      const stopped = [tcp, tlsServer, http].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve())));
      core.shutdown();
      await Promise.all(stopped);
      await core.settle(); // the last-seen times of those just disconnected
      await store.close();
      log.info({}, 'server stopped');
    })());
  const apply = (changed: Partial<ServerOptions>): void => {
    const next = { ...options, ...changed };
    if (credentials && (next.tlsCert !== options.tlsCert || next.tlsKey !== options.tlsKey)) {
      // checked by the TLS server's first: a certificate it refuses changes nothing
      const context = { cert: readFileSync(next.tlsCert!), key: readFileSync(next.tlsKey!) };
      tlsServer!.setSecureContext(context);
      (http as HttpsServer | undefined)?.setSecureContext(context);
    }
    Object.assign(options, changed);
    fitQueueToList(options, log);
    core.optionsChanged();
  };
  return { core, store, address, tlsAddress, httpAddress, options, apply, close };
}

function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}


import { WEB_ROOT } from '../http/web-host.js';
import { checkTextCharacters, CLASSIC_MAX_TEXT, utf8Encode } from '../protocol/index.js';
import type { LogFormat, LogLevel } from '../logging/pino.js';

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
  /** Also write the log to this file as JSON lines, reopened on SIGUSR1 (the command builds the logger). */
  logFile: string | undefined;
  /** Serve Prometheus metrics at /metrics on the HTTP port. */
  metrics: boolean;
  /** Relayed messages logged one line each per second; past it, one summary line a second. */
  logRelaysPerSecond: number;
  /** Joins and leaves within this window are told in one frame per peer. */
  presenceWindowMs: number;
  /** Full user lists written to newcomers per turn of the event loop (pacing during join storms). */
  welcomeBytesPerTurn: number;
  /** Messages per second per connection (token bucket); 0 = no limit. */
  messageRate: number;
  /** Burst per connection; a peer holding two bursts over the rate at once is dropped. */
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
  /** Accounts: optional (guests welcome), required (only logged-in users), off. */
  accounts: 'optional' | 'required' | 'off';
  /** The wait after a first failed login, doubling with each failure up to a 15-minute lock-out. */
  loginDelayMs: number;
  /** Data folder (accounts, rooms, history), created on first start; ':memory:' keeps nothing. */
  data: string;
  /** Keep nothing: the same as data ':memory:'. */
  ephemeral: boolean;
  /** Keep every message, give ids, offer the `history` capability (docs/protocol.md §11). */
  history: boolean;
  /** Remove messages older than this many days; 0 = keep them. */
  historyDays: number;
  /** Keep at most this many messages per conversation; 0 = all. */
  historyMax: number;
  /** Log lines below this level are not written. */
  logLevel: LogLevel;
  /** pretty or json; undefined: pretty on a terminal, else json. */
  logFormat: LogFormat | undefined;
  /** Message of the day and rules, shown to each user after registration; '' = none. */
  motd: string;
  /** A file holding the message of the day (read at start and on each reload), instead of `motd`. */
  motdFile: string | undefined;
}

/** How one option is set from outside: its flag, environment variable, default and check. */
export interface OptionSpec<T> {
  default: T;
  /** Command-line flag, e.g. '--max-text <bytes>'; an option without one is for embedding and tests. */
  flag?: string;
  env?: string;
  help?: string;
  /** Reads the flag's (or variable's) text; throws an Error saying what is expected. */
  parse?: (raw: string) => T;
  /** The flag is given in units this many times the option's (seconds for milliseconds: 1000). */
  scale?: number;
  /** A second flag that turns the option off (sets it to undefined), e.g. '--no-http'. */
  off?: { flag: string; help: string };
  /** A reload (SIGHUP) applies a new value to the running server, existing connections included. */
  live?: true;
}

export type OptionTable = { [K in keyof ServerOptions]: OptionSpec<ServerOptions[K]> };

function integer(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}`);
    return n;
  };
}
const port = integer(0, 65535);
const count = integer(1, 1e7);
const text = (raw: string): string => raw;
function oneOf<T extends string>(...values: T[]) {
  return (raw: string): T => {
    if ((values as string[]).includes(raw)) return raw as T;
    throw new Error(`expected ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`);
  };
}
/** A message of the day goes to classic peers as a MESSAGE: it follows the rules of a text (docs/protocol.md §3). */
export function motdText(raw: string): string {
  const bytes = utf8Encode(raw).length;
  if (bytes > CLASSIC_MAX_TEXT) throw new Error(`expected a text of at most ${CLASSIC_MAX_TEXT} bytes, not ${bytes}`);
  try {
    checkTextCharacters(raw);
  } catch (err) {
    throw new Error(`expected a text without control characters: ${(err as Error).message}`);
  }
  return raw;
}

/**
 * Every server option, declared once: `howdy server` builds its flags, environment variables and
 * help from this table, the README's table lists the same, and `defaultServerOptions` is its defaults.
 */
export const SERVER_OPTIONS: OptionTable = {
  host: { default: '127.0.0.1', flag: '--host <address>', env: 'HOWDY_HOST', parse: text, help: 'address to listen on' },
  port: { default: 20002, flag: '--port <port>', env: 'HOWDY_PORT', parse: port, help: 'TCP port for HCP' },
  httpPort: {
    default: 20003, flag: '--http-port <port>', env: 'HOWDY_HTTP_PORT', parse: port,
    help: 'HTTP port for the web client and HCP over WebSocket',
    off: { flag: '--no-http', help: 'serve no web client and no WebSocket' },
  },
  allowedOrigins: {
    default: [], flag: '--allow-origin <origin...>',
    help: "origins allowed to open the WebSocket besides the page's own ('*' = any)",
  },
  data: {
    default: './howdy-data', flag: '--data <dir>', env: 'HOWDY_DATA', parse: text,
    help: "data folder (accounts, rooms, history), created on first start; ':memory:' keeps nothing",
  },
  ephemeral: { default: false, flag: '--ephemeral', help: 'keep nothing on disk (the same as --data :memory:)' },
  history: { default: true, flag: '--no-history', help: 'keep no history of messages (no ids, no catch-up, no search)' },
  historyDays: { live: true, default: 0, flag: '--history-days <n>', env: 'HOWDY_HISTORY_DAYS', parse: integer(0, 1e6), help: 'remove messages older than N days (0 = keep them)' },
  historyMax: { live: true, default: 0, flag: '--history-max <n>', env: 'HOWDY_HISTORY_MAX', parse: integer(0, 1e12), help: 'keep at most N messages per conversation (0 = all)' },
  tlsCert: { live: true, default: undefined, flag: '--tls-cert <file>', env: 'HOWDY_TLS_CERT', parse: text, help: 'PEM certificate: HCP over TLS on --tls-port, and the web client over HTTPS/WSS' },
  tlsKey: { live: true, default: undefined, flag: '--tls-key <file>', env: 'HOWDY_TLS_KEY', parse: text, help: 'PEM private key for --tls-cert' },
  tlsPort: { default: 20004, flag: '--tls-port <port>', env: 'HOWDY_TLS_PORT', parse: port, help: 'TCP port for HCP over TLS' },
  logText: { default: false, flag: '--log-text', help: 'also log the text of relayed messages' },
  logFile: { default: undefined, flag: '--log-file <path>', env: 'HOWDY_LOG_FILE', parse: text, help: 'also write the log to this file as JSON lines, reopened on SIGUSR1 (logrotate)' },
  metrics: { default: true, flag: '--no-metrics', help: 'serve no Prometheus metrics at /metrics on the HTTP port' },
  logRelaysPerSecond: {
    default: 100, flag: '--log-relays <n>', parse: integer(0, 1e9),
    help: 'relayed messages logged one by one per second; the rest are summarised',
  },
  maxTextBytes: { live: true, default: CLASSIC_MAX_TEXT, flag: '--max-text <bytes>', parse: integer(1, 1 << 24), help: 'longest message text' },
  maxFrameBytes: { default: 8192, flag: '--max-frame <bytes>', parse: integer(130, 1 << 26), help: 'longest framed HCP/2 frame' },
  maxQueuedBytes: {
    live: true, default: 2 * 1024 * 1024, flag: '--max-queue <bytes>', parse: integer(1024, 1 << 30),
    help: 'unread bytes allowed per peer before it is dropped',
  },
  messageRate: { live: true, default: 50, flag: '--msg-rate <n>', parse: integer(0, 1e9), help: 'messages per second per connection; faster senders are slowed (0 = no limit)' },
  messageBurst: {
    live: true, default: 100, flag: '--msg-burst <n>', parse: integer(1, 1e9),
    help: 'messages in a burst per connection; a peer sending two bursts over the rate at once is dropped',
  },
  maxConnections: { live: true, default: 20_000, flag: '--max-connections <n>', parse: count, help: 'connections at once' },
  maxConnectionsPerAddress: { live: true, default: 64, flag: '--max-per-address <n>', parse: count, help: 'connections at once from one address' },
  maxUnregistered: { live: true, default: 2_000, flag: '--max-unregistered <n>', parse: count, help: 'connections at once without a name' },
  limitLoopback: { live: true, default: false, flag: '--limit-loopback', help: 'apply --max-per-address to loopback addresses too' },
  idleTimeoutMs: {
    live: true, default: 120_000, flag: '--idle-timeout <seconds>', parse: integer(0, 86400), scale: 1000,
    help: 'drop framed peers silent this long, pinged at half of it (0 = never)',
  },
  registrationTimeoutMs: {
    live: true, default: 20_000, flag: '--register-timeout <seconds>', parse: integer(0, 86400), scale: 1000,
    help: 'time to get a name accepted (0 = none)',
  },
  accounts: {
    default: 'optional', flag: '--accounts <mode>', env: 'HOWDY_ACCOUNTS', parse: oneOf('optional', 'required', 'off'),
    help: 'optional (guests and accounts), required (only users who log in) or off',
  },
  logLevel: {
    live: true, default: 'info', flag: '--log-level <level>', env: 'HOWDY_LOG_LEVEL', parse: oneOf<LogLevel>('debug', 'info', 'warn', 'error', 'silent'),
    help: 'debug, info, warn, error or silent',
  },
  logFormat: {
    default: undefined, flag: '--log-format <format>', env: 'HOWDY_LOG_FORMAT', parse: oneOf<LogFormat>('pretty', 'json'),
    help: 'pretty (default on a terminal) or json',
  },
  motd: {
    live: true, default: '', flag: '--motd <text>', env: 'HOWDY_MOTD', parse: motdText,
    help: 'message of the day and rules, shown to each user after registration',
  },
  motdFile: {
    live: true, default: undefined, flag: '--motd-file <file>', env: 'HOWDY_MOTD_FILE', parse: text,
    help: 'a file holding the message of the day, read at start and on each reload (instead of --motd)',
  },
  loginDelayMs: { default: 1000 },
  closeGraceMs: { default: 2_000 },
  presenceWindowMs: { default: 10 },
  welcomeBytesPerTurn: { default: 4 * 1024 * 1024 },
  webRoot: { default: WEB_ROOT },
};

export const defaultServerOptions: ServerOptions = Object.fromEntries(
  Object.entries(SERVER_OPTIONS).map(([key, spec]) => [key, spec.default]),
) as unknown as ServerOptions;

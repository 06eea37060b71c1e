import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** How long a JSON line may wait in the buffer before it is written. */
const FLUSH_EVERY_MS = 100;

export interface ServerLogger extends PinoLogger {
  /** Writes out every buffered line now (before exiting). */
  flushNow(): void;
}

/**
 * The server's structured log: readable lines on a terminal, JSON lines otherwise. JSON lines are
 * buffered and written together (at 8 KiB, or every 100 ms), so that logging costs the message
 * hot path neither a write per line nor a delay a reader would notice.
 */
export function createLogger(level: LogLevel, format: LogFormat = process.stdout.isTTY ? 'pretty' : 'json'): ServerLogger {
  if (format === 'pretty') {
    const log = pino({ level }, pretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
    return Object.assign(log, { flushNow: () => {} });
  }
  // bounded: if stdout cannot keep up, lines past 16 MiB of backlog are dropped, not hoarded
  const dest = pino.destination({ dest: 1, sync: false, minLength: 8192, maxLength: 16 * 1024 * 1024 });
  setInterval(() => dest.flush(), FLUSH_EVERY_MS).unref();
  const log = pino({ level, base: undefined }, dest);
  return Object.assign(log, { flushNow: () => dest.flushSync() });
}

import { closeSync, openSync } from 'node:fs';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** How long a JSON line may wait in the buffer before it is written. */
const FLUSH_EVERY_MS = 100;

export interface ServerLogger extends PinoLogger {
  /** Writes out every buffered line now (before exiting). */
  flushNow(): void;
  /** Opens the log file anew under its name, once logrotate has moved it away (SIGUSR1); nothing without one. */
  reopenFile(): void;
}

/**
 * The server's structured log: readable lines on a terminal, JSON lines otherwise; and, given
 * `file`, JSON lines appended to that file as well. JSON lines are buffered and written together
 * (at 8 KiB, or every 100 ms), so that logging costs the message hot path neither a write per
 * line nor a delay a reader would notice.
 */
export function createLogger(level: LogLevel, format: LogFormat = process.stdout.isTTY ? 'pretty' : 'json', file?: string): ServerLogger {
  const json = format === 'json' ? buffered(1) : undefined;
  const console: DestinationStream = json ?? pretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
  const toFile = file === undefined ? undefined : logFile(file);
  // the streams take every line the logger lets through: the logger's level is the filter
  const dest = toFile ? pino.multistream([{ level: 'trace', stream: console }, { level: 'trace', stream: toFile }]) : console;
  const log = pino({ level, base: undefined }, dest);
  return Object.assign(log, {
    flushNow: () => {
      json?.flushSync();
      toFile?.flushSync();
    },
    reopenFile: () => toFile?.reopen(),
  });
}

/** A buffered destination: lines past 16 MiB of backlog (a stuck disk or pipe) are dropped, not hoarded. */
function buffered(dest: number | string) {
  const stream = pino.destination({ dest, sync: false, minLength: 8192, maxLength: 16 * 1024 * 1024 });
  setInterval(() => stream.flush(), FLUSH_EVERY_MS).unref();
  return stream;
}

/**
 * The log file, checked at start (a path that cannot be written stops the server with the
 * reason). A failure later (a reopen into a folder gone) is told on stderr; the server goes on.
 */
function logFile(file: string) {
  try {
    closeSync(openSync(file, 'a'));
  } catch (err) {
    throw new Error(`cannot write the log file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const stream = buffered(file);
  stream.on('error', (err: Error) => process.stderr.write(`howdy: the log file ${file} failed: ${err.message}\n`));
  return stream;
}

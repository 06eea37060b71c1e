import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * The server's structured log: readable lines on a terminal, JSON lines otherwise. JSON lines are
 * written asynchronously (lines logged while a write is in flight go out together), so logging
 * stays off the message hot path without delaying a quiet server's log.
 */
export function createLogger(level: LogLevel, format: LogFormat = process.stdout.isTTY ? 'pretty' : 'json'): PinoLogger {
  if (format === 'pretty') {
    return pino({ level }, pretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  // bounded: if stdout cannot keep up, lines past 16 MiB of backlog are dropped, not hoarded
  return pino({ level, base: undefined }, pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 }));
}

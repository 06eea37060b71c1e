import type { Logger } from '../../src/logging/logger.js';
import type { ServerOptions } from '../../src/server/options.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { CoreSeams } from '../../src/server/core/chat.js';

export interface LogEntry {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A logger that keeps every entry, so tests can assert on what the server logged. */
export function memoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg: string) => entries.push({ level, msg, ...obj });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface TestServer extends RunningServer {
  port: number;
  logs: LogEntry[];
}

/** Starts a server on a free loopback port, keeping nothing on disk unless told; close it in afterEach. */
export async function startTestServer(options: Partial<ServerOptions> = {}, seams: CoreSeams = {}): Promise<TestServer> {
  const log = memoryLogger();
  const server = await startServer({ host: '127.0.0.1', port: 0, httpPort: undefined, ephemeral: true, ...options }, log, seams);
  return Object.assign(server, { port: server.address.port, logs: log.entries });
}

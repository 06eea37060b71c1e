import { InvalidArgumentError } from 'commander';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 20002;

/** Parses "host", "host:port", ":port" or "[v6]:port" into a host and a port (defaults filled in). */
export function parseAddress(value: string | undefined): { host: string; port: number } {
  if (!value) return { host: DEFAULT_HOST, port: DEFAULT_PORT };
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  if (!m || host === undefined || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not host[:port]`);
  }
  return { host: host || DEFAULT_HOST, port };
}

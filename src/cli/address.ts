import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 20002;
export const DEFAULT_TLS_PORT = 20004;

/** Parses "host", "host:port", ":port" or "[v6]:port" into a host and a port (defaults filled in). */
export function parseAddress(value: string | undefined, defaultPort = DEFAULT_PORT): { host: string; port: number } {
  if (!value) return { host: DEFAULT_HOST, port: defaultPort };
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? defaultPort : Number(m[3]);
  if (!m || host === undefined || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not host[:port]`);
  }
  return { host: host || DEFAULT_HOST, port };
}

/** The clients' TLS flags, read back by `clientTls`. */
export const tlsOption = () =>
  new Option('--tls', 'connect over TLS (HCP over TLS, port 20004 by default); the certificate is verified');
export const caOption = () => new Option('--ca <file>', 'trust this PEM CA certificate (a private CA); implies --tls');

/** TLS options for the clients: the system's CAs, or the given private CA; always verified. */
export function clientTls(opts: { tls?: boolean; ca?: string }): { ca?: Buffer } | undefined {
  if (!opts.tls && !opts.ca) return undefined;
  return opts.ca ? { ca: readFileSync(opts.ca) } : {};
}

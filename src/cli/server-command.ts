import { Command, InvalidArgumentError, Option } from 'commander';
import type { LogFormat, LogLevel } from '../server/log.js';
import { defaultServerOptions } from '../server/options.js';
import { promptAddress } from './prompt.js';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

export function serverCommand(): Command {
  const d = defaultServerOptions;
  return new Command('server')
    .description('run the Howdy server (HCP over TCP: classic and framed on one port)')
    .addOption(new Option('--host <address>', 'address to listen on').default(d.host).env('HOWDY_HOST'))
    .addOption(new Option('--port <port>', 'TCP port for HCP').default(d.port).env('HOWDY_PORT').argParser(integer(0, 65535)))
    .addOption(new Option('--http-port <port>', 'HTTP port for the web client and HCP over WebSocket').default(d.httpPort).env('HOWDY_HTTP_PORT').argParser(integer(0, 65535)))
    .option('--no-http', 'serve no web client and no WebSocket')
    .addOption(new Option('--allow-origin <origin...>', "origins allowed to open the WebSocket besides the page's own ('*' = any)").default([]))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate: HCP over TLS on --tls-port, and the web client over HTTPS/WSS').env('HOWDY_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert').env('HOWDY_TLS_KEY'))
    .addOption(new Option('--tls-port <port>', 'TCP port for HCP over TLS').default(d.tlsPort).env('HOWDY_TLS_PORT').argParser(integer(0, 65535)))
    .option('--prompt', 'ask for the address and port on the terminal, as the 2016 server did')
    .addOption(new Option('--log-level <level>', 'debug, info, warn, error or silent').default('info').env('HOWDY_LOG_LEVEL').choices(['debug', 'info', 'warn', 'error', 'silent']))
    .addOption(new Option('--log-format <format>', 'pretty (default on a terminal) or json').choices(['pretty', 'json']).env('HOWDY_LOG_FORMAT'))
    .option('--log-text', 'also log the text of relayed messages', false)
    .addOption(new Option('--log-relays <n>', 'relayed messages logged one by one per second; the rest are summarised').default(d.logRelaysPerSecond).argParser(integer(0, 1e9)))
    .addOption(new Option('--max-text <bytes>', 'longest message text').default(d.maxTextBytes).argParser(integer(1, 1 << 24)))
    .addOption(new Option('--max-frame <bytes>', 'longest framed HCP/2 frame').default(d.maxFrameBytes).argParser(integer(130, 1 << 26)))
    .addOption(new Option('--max-queue <bytes>', 'unread bytes allowed per peer before it is dropped').default(d.maxQueuedBytes).argParser(integer(1024, 1 << 30)))
    .addOption(new Option('--msg-rate <n>', 'messages per second per connection (0 = no limit)').default(d.messageRate).argParser(integer(0, 1e9)))
    .addOption(new Option('--msg-burst <n>', 'messages in a burst per connection; as many more over the limit and it is dropped').default(d.messageBurst).argParser(integer(1, 1e9)))
    .addOption(new Option('--max-connections <n>', 'connections at once').default(d.maxConnections).argParser(integer(1, 1e7)))
    .addOption(new Option('--max-per-address <n>', 'connections at once from one address').default(d.maxConnectionsPerAddress).argParser(integer(1, 1e7)))
    .addOption(new Option('--max-unregistered <n>', 'connections at once without a name').default(d.maxUnregistered).argParser(integer(1, 1e7)))
    .option('--limit-loopback', 'apply --max-per-address to loopback addresses too')
    .addOption(new Option('--idle-timeout <seconds>', 'drop framed peers silent this long, pinged at half of it (0 = never)').default(d.idleTimeoutMs / 1000).argParser(integer(0, 86400)))
    .addOption(new Option('--register-timeout <seconds>', 'time to get a name accepted (0 = none)').default(d.registrationTimeoutMs / 1000).argParser(integer(0, 86400)))
    .action(async (opts) => {
      let { host, port } = opts as { host: string; port: number };
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
      if (opts.prompt) ({ host, port } = await promptAddress({ host, port }));
      const [{ createLogger }, { startServer }] = await Promise.all([import('../server/log.js'), import('../server/server.js')]);
      const log = createLogger(opts.logLevel as LogLevel, opts.logFormat as LogFormat | undefined);
      const server = await startServer(
        {
          host,
          port,
          logText: opts.logText,
          logRelaysPerSecond: opts.logRelays,
          maxTextBytes: opts.maxText,
          maxFrameBytes: opts.maxFrame,
          maxQueuedBytes: opts.maxQueue,
          registrationTimeoutMs: opts.registerTimeout * 1000,
          idleTimeoutMs: opts.idleTimeout * 1000,
          messageRate: opts.msgRate,
          messageBurst: opts.msgBurst,
          maxConnections: opts.maxConnections,
          maxConnectionsPerAddress: opts.maxPerAddress,
          maxUnregistered: opts.maxUnregistered,
          limitLoopback: Boolean(opts.limitLoopback),
          tlsCert: opts.tlsCert,
          tlsKey: opts.tlsKey,
          tlsPort: opts.tlsPort,
          httpPort: opts.http === false ? undefined : opts.httpPort,
          allowedOrigins: opts.allowOrigin,
        },
        log,
      );
      if (opts.prompt) process.stdout.write('Server is started and listening.\n');
      const stop = (signal: string): void => {
        log.info({ signal }, 'signal received');
        void server.close().then(() => {
          log.flushNow();
          process.exit(0);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}

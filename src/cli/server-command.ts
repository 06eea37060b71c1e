import { Command, InvalidArgumentError, Option } from 'commander';
import type { LogFormat, LogLevel } from '../logging/pino.js';
import { SERVER_OPTIONS, type OptionSpec, type ServerOptions } from '../server/options.js';
import { promptAddress } from './prompt.js';

/** The commander flags of one table entry (the option, and its "off" flag if any). */
export function flagsOf(spec: OptionSpec<unknown>): Option[] {
  const scale = spec.scale ?? 1;
  const option = new Option(spec.flag!, spec.help);
  if (spec.parse) {
    const parse = spec.parse;
    option.argParser((raw: string) => {
      try {
        return parse(raw);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    });
  }
  if (spec.env) option.env(spec.env);
  if (spec.default !== undefined && spec.default !== false) {
    option.default(typeof spec.default === 'number' ? spec.default / scale : spec.default);
  }
  return spec.off ? [option, new Option(spec.off.flag, spec.off.help)] : [option];
}

/** The server options the command line set, as startServer takes them. */
export function fromCommandLine(opts: Record<string, unknown>): Partial<ServerOptions> {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SERVER_OPTIONS) as Array<[keyof ServerOptions, OptionSpec<unknown>]>) {
    if (!spec.flag) continue;
    let value = opts[new Option(spec.flag).attributeName()];
    if (spec.off && opts[new Option(spec.off.flag).attributeName()] === false) value = undefined;
    else if (typeof value === 'number' && spec.scale) value *= spec.scale;
    else if (spec.default === false) value = Boolean(value);
    if (value !== undefined || spec.off) options[key] = value;
  }
  return options as Partial<ServerOptions>;
}

export function serverCommand(): Command {
  const command = new Command('server').description('run the Howdy server (HCP over TCP: classic and framed on one port)');
  for (const spec of Object.values(SERVER_OPTIONS) as Array<OptionSpec<unknown>>) {
    if (spec.flag) for (const option of flagsOf(spec)) command.addOption(option);
  }
  return command
    .option('--prompt', 'ask for the address and port on the terminal, as the 2016 server did')
    .addOption(new Option('--log-level <level>', 'debug, info, warn, error or silent').default('info').env('HOWDY_LOG_LEVEL').choices(['debug', 'info', 'warn', 'error', 'silent']))
    .addOption(new Option('--log-format <format>', 'pretty (default on a terminal) or json').choices(['pretty', 'json']).env('HOWDY_LOG_FORMAT'))
    .action(async (opts) => {
      let { host, port } = opts as { host: string; port: number };
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
      if (opts.prompt) ({ host, port } = await promptAddress({ host, port }));
      const [{ createLogger }, { startServer }] = await Promise.all([import('../logging/pino.js'), import('../server/server.js')]);
      const log = createLogger(opts.logLevel as LogLevel, opts.logFormat as LogFormat | undefined, opts.logFile as string | undefined);
      process.on('SIGUSR1', () => log.reopenFile()); // logrotate moved the file away (and Node's inspector stays off)
      const server = await startServer({ ...fromCommandLine(opts), host, port }, log);
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

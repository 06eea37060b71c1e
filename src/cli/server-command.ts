import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultServerOptions, SERVER_OPTIONS, type OptionSpec, type ServerOptions } from '../server/options.js';
import { withMotdFile } from '../server/motd.js';
import { readConfigFile } from './config.js';
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

/**
 * The options in force: flags > environment > configuration file > defaults. `command` has parsed
 * the command line; `fromFile` is what the file sets.
 */
export function resolveOptions(command: Command, fromFile: Partial<ServerOptions>): ServerOptions {
  const options: Record<string, unknown> = { ...defaultServerOptions, ...fromCommandLine(command.opts()) };
  for (const key of Object.keys(fromFile) as Array<keyof ServerOptions>) {
    const spec = SERVER_OPTIONS[key] as OptionSpec<unknown>;
    const flags = [spec.flag!, ...(spec.off ? [spec.off.flag] : [])];
    const given = flags.some((flag) => ['cli', 'env'].includes(command.getOptionValueSource(new Option(flag).attributeName()) ?? ''));
    if (!given) options[key] = fromFile[key];
  }
  const resolved = options as unknown as ServerOptions;
  if (Boolean(resolved.tlsCert) !== Boolean(resolved.tlsKey)) throw new Error('tls-cert and tls-key go together');
  if (resolved.motd !== '' && resolved.motdFile !== undefined) throw new Error('give motd or motd-file, not both');
  return resolved;
}

export function serverCommand(): Command {
  const command = new Command('server').description('run the Howdy server (HCP over TCP: classic and framed on one port)');
  for (const spec of Object.values(SERVER_OPTIONS) as Array<OptionSpec<unknown>>) {
    if (spec.flag) for (const option of flagsOf(spec)) command.addOption(option);
  }
  return command
    .addOption(new Option('--config <file>', 'TOML configuration file: every option above, by its flag\'s name (howdy.example.toml); flags and environment win; SIGHUP reloads it').env('HOWDY_CONFIG'))
    .option('--prompt', 'ask for the address and port on the terminal, as the 2016 server did')
    .action(async (opts) => {
      const prompted: Partial<ServerOptions> = {};
      // read again on SIGHUP; a prompted address stays
      const load = (): ServerOptions => ({ ...resolveOptions(command, opts.config ? readConfigFile(opts.config as string) : {}), ...prompted });
      let options = withMotdFile(load());
      if (opts.prompt) Object.assign(prompted, await promptAddress({ host: options.host, port: options.port }));
      options = { ...options, ...prompted };
      const [{ createLogger }, { startServer }, { reload }] = await Promise.all([
        import('../logging/pino.js'), import('../server/server.js'), import('./reload.js'),
      ]);
      const log = createLogger(options.logLevel, options.logFormat, options.logFile);
      process.on('SIGUSR1', () => log.reopenFile()); // logrotate moved the file away (and Node's inspector stays off)
      const server = await startServer(options, log);
      if (opts.prompt) process.stdout.write('Server is started and listening.\n');
      process.on('SIGHUP', () => {
        log.info({ signal: 'SIGHUP', config: opts.config ?? null }, 'signal received: reloading');
        options = reload(server, log, options, load);
      });
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

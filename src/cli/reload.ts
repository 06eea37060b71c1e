import { isDeepStrictEqual } from 'node:util';
import type { ServerLogger } from '../logging/pino.js';
import { SERVER_OPTIONS, type OptionSpec, type ServerOptions } from '../server/options.js';
import type { RunningServer } from '../server/server.js';
import { withMotdFile } from '../server/motd.js';
import { keyOf } from './config.js';

type Key = keyof ServerOptions;

/** An option's value as the file and the flags write it (seconds, not milliseconds). */
function shown(spec: OptionSpec<unknown>, value: unknown): unknown {
  return typeof value === 'number' && spec.scale ? value / spec.scale : (value ?? null);
}

/**
 * A reload (SIGHUP): the options loaded again (the configuration file, the motd-file; flags and
 * environment still win), those that can change live applied to the running server, one log line
 * per option changed, and one per option that needs a restart. A file that cannot be used is
 * logged and changes nothing. Returns the options now in force, as `before` is.
 */
export function reload(server: RunningServer, log: ServerLogger, before: ServerOptions, load: () => ServerOptions): ServerOptions {
  let after: ServerOptions;
  try {
    after = withMotdFile(load());
  } catch (err) {
    log.error({ reason: (err as Error).message }, 'reload refused: the running options are kept');
    return before;
  }
  const tls = server.tlsAddress !== undefined && Boolean(after.tlsCert && after.tlsKey); // turning TLS on or off needs a restart
  const live: Partial<Record<Key, unknown>> = {};
  const restart: Key[] = [];
  for (const [key, spec] of Object.entries(SERVER_OPTIONS) as Array<[Key, OptionSpec<unknown>]>) {
    if (isDeepStrictEqual(before[key], after[key])) continue;
    if (spec.live && (tls || (key !== 'tlsCert' && key !== 'tlsKey'))) live[key] = after[key];
    else restart.push(key);
  }
  try {
    server.apply(live as Partial<ServerOptions>);
  } catch (err) {
    log.error({ reason: (err as Error).message }, 'reload refused: the running options are kept');
    return before;
  }
  const line = (key: Key) => ({ option: keyOf(key), old: shown(SERVER_OPTIONS[key], before[key]), new: shown(SERVER_OPTIONS[key], after[key]) });
  for (const key of Object.keys(live) as Key[]) log.info(line(key), 'option changed');
  for (const key of restart) log.warn(line(key), 'option changed but needs a restart: not applied');
  log.info({ changed: Object.keys(live).length, restart: restart.length }, 'reloaded');
  log.level = after.logLevel; // after the lines above, which a quieter level would hide
  // what was not applied stays as it runs, so each reload names it again until a restart
  return { ...after, ...Object.fromEntries(restart.map((key) => [key, before[key]])) };
}

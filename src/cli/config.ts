import { readFileSync } from 'node:fs';
import { parse, stringify, TomlError } from 'smol-toml';
import { SERVER_OPTIONS, type OptionSpec, type ServerOptions } from '../server/options.js';

/** A configuration file that cannot be used: one line naming the file, the key and what is allowed. */
export class ConfigError extends Error {}

type Key = keyof ServerOptions;

/** A flag's name without its dashes, argument and negation: '--max-text <bytes>' → 'max-text', '--no-history' → 'history'. */
function nameOf(flag: string): string {
  return flag.split(' ')[0]!.replace(/^--(no-)?/, '');
}

/**
 * The keys of the configuration file, derived from the option table: one per flag, named as it
 * (`max-text`, `history` for `--no-history`), and `http = false` for `--no-http` (an "off" flag).
 */
interface ConfigKey { option: Key; spec: OptionSpec<unknown>; off: boolean }
export const CONFIG_KEYS: ReadonlyMap<string, ConfigKey> = new Map(
  (Object.entries(SERVER_OPTIONS) as Array<[Key, OptionSpec<unknown>]>).flatMap(([option, spec]): Array<[string, ConfigKey]> => [
    ...(spec.flag ? [[nameOf(spec.flag), { option, spec, off: false }] satisfies [string, ConfigKey]] : []),
    ...(spec.off ? [[nameOf(spec.off.flag), { option, spec, off: true }] satisfies [string, ConfigKey]] : []),
  ]),
);

/** The file's key of an option (the one named as its flag). */
export function keyOf(option: Key): string {
  for (const [key, entry] of CONFIG_KEYS) if (entry.option === option && !entry.off) return key;
  return option;
}

/** What a key takes, as said in refusals and in the example file. */
export function expected(spec: OptionSpec<unknown>, off: boolean): string {
  if (off || typeof spec.default === 'boolean') return 'true or false';
  if (Array.isArray(spec.default)) return 'a list of strings';
  return typeof spec.default === 'number' ? 'an integer' : 'a string';
}

/** A file value as the option holds it: the TOML type the option's takes, the table's check, its scale. */
function convert(value: unknown, spec: OptionSpec<unknown>, off: boolean): unknown {
  const kind = expected(spec, off);
  const fits = kind === 'true or false' ? typeof value === 'boolean'
    : kind === 'a list of strings' ? Array.isArray(value) && value.every((v) => typeof v === 'string')
      : kind === 'an integer' ? Number.isInteger(value) : typeof value === 'string';
  if (!fits) throw new Error(`expected ${kind}`);
  if (off) return value ? undefined : null; // null: turned off; undefined: nothing to do
  if (!spec.parse) return value;
  const parsed = spec.parse(String(value));
  return typeof parsed === 'number' && spec.scale ? parsed * spec.scale : parsed;
}

/** The options a TOML configuration file sets; throws ConfigError on anything it cannot use. */
export function readConfigFile(file: string): Partial<ServerOptions> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof TomlError) throw new ConfigError(`${file}:${err.line}:${err.column}: ${err.message.split('\n')[0]}`);
    throw new ConfigError(`cannot read the configuration file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const options: Record<string, unknown> = {};
  const turnedOff = new Set<Key>();
  for (const [key, value] of Object.entries(doc)) {
    const entry = CONFIG_KEYS.get(key);
    if (!entry) throw new ConfigError(`${file}: unknown key "${key}"; the keys are ${[...CONFIG_KEYS.keys()].join(', ')}`);
    let converted: unknown;
    try {
      converted = convert(value, entry.spec, entry.off);
    } catch (err) {
      throw new ConfigError(`${file}: ${key}: ${(err as Error).message}`);
    }
    if (converted === null) turnedOff.add(entry.option);
    else if (converted !== undefined && !turnedOff.has(entry.option)) options[entry.option] = converted;
  }
  for (const option of turnedOff) options[option] = undefined; // `http = false` wins over `http-port`, as --no-http does
  return options as Partial<ServerOptions>;
}

/** A value as TOML writes it. */
function toml(value: unknown): string {
  return stringify({ v: value }).slice(4).trim();
}

/**
 * The documented example configuration (howdy.example.toml), made from the option table: every
 * key commented out with its default, its help, its variable, and whether a reload applies it.
 */
export function exampleConfig(): string {
  const lines = [
    '# Howdy server configuration (TOML): `howdy server --config howdy.toml` (or HOWDY_CONFIG=howdy.toml).',
    '# Made from the option table (src/server/options.ts) by `npm run example-config`: every key, as',
    '# its flag is named, commented out with its default. Flags and environment variables win over the',
    '# file. SIGHUP reloads it: "live" options apply at once, to open connections too; the log names',
    '# each change, and the others as needing a restart.',
  ];
  for (const [key, { spec, off }] of CONFIG_KEYS) {
    const scale = spec.scale ?? 1;
    const negated = off || spec.flag!.startsWith('--no-'); // `http = false` is `--no-http`
    const about = negated ? `false: ${off ? spec.off!.help : spec.help}` : spec.help;
    const notes = [!off && spec.env && `env ${spec.env}`, spec.live ? 'live' : 'restart', scale === 1000 && 'in seconds'].filter(Boolean).join(', ');
    const value = off ? 'true'
      : spec.default === undefined ? `"${spec.flag!.match(/<(.*)>/)![1]}"  # not set by default`
        : toml(typeof spec.default === 'number' ? spec.default / scale : spec.default);
    lines.push('', `# ${about} (${notes})`, `# ${key} = ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

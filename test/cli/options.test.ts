/** Every server option is declared once (src/server/options.ts): the flags, the defaults, the README. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromCommandLine, serverCommand } from '../../src/cli/server-command.js';
import { defaultServerOptions, SERVER_OPTIONS, type ServerOptions } from '../../src/server/options.js';
import { repoRoot } from '../helpers/spawn.js';

function parsed(argv: string[], env: Record<string, string> = {}): Partial<ServerOptions> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let options: Partial<ServerOptions> = {};
    const command = serverCommand().exitOverride().configureOutput({ writeErr: () => {} }).action((opts: Record<string, unknown>) => {
      options = fromCommandLine(opts);
    });
    command.parse(argv, { from: 'user' });
    return options;
  } finally {
    process.env = saved;
  }
}

describe('server options, one table', () => {
  it('with no flags, the command line gives the table\'s defaults', () => {
    const options = parsed([]);
    for (const [key, value] of Object.entries(options)) expect(value, key).toEqual(defaultServerOptions[key as keyof ServerOptions]);
    expect(Object.keys(options).length).toBeGreaterThan(15);
  });

  it('reads seconds into milliseconds, --no-http, switches and environment variables', () => {
    const options = parsed(['--idle-timeout', '30', '--register-timeout', '0', '--no-http', '--limit-loopback', '--allow-origin', 'https://a.example', 'https://b.example'], { HOWDY_PORT: '4242' });
    expect(options).toMatchObject({
      idleTimeoutMs: 30_000, registrationTimeoutMs: 0, httpPort: undefined, limitLoopback: true, logText: false,
      allowedOrigins: ['https://a.example', 'https://b.example'], port: 4242,
    });
    expect('httpPort' in options).toBe(true);
  });

  it('refuses a bad value with what is expected', () => {
    expect(() => parsed(['--max-text', '-5'])).toThrow(/expected an integer from 1/);
  });

  it('the README lists every flag and environment variable of the table', () => {
    const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
    for (const spec of Object.values(SERVER_OPTIONS)) {
      if (spec.flag) expect(readme, spec.flag).toContain(`\`${spec.flag}\``);
      if (spec.env) expect(readme, spec.env).toContain(`\`${spec.env}\``);
      if (spec.off) expect(readme, spec.off.flag).toContain(`\`${spec.off.flag}\``);
    }
  });
});

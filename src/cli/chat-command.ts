import { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { caOption, clientTls, tlsOption, DEFAULT_PORT, DEFAULT_TLS_PORT, parseAddress } from './address.js';

export function chatCommand(): Command {
  return new Command('chat')
    .description('chat in the terminal (full-screen client)')
    .argument('[server]', 'host[:port] of the HCP server (default 127.0.0.1:20002)')
    .option('--name <name>', 'the name to join with')
    .option('--password-file <file>', "log in to --name's account with the password on the file's first line (a file only you can read)")
    .option('--login', "log in to --name's account: the password is asked for, hidden, in the input line")
    .option('--classic', 'speak classic HCP/1 from the start (the 2016 server)')
    .addOption(tlsOption())
    .addOption(caOption())
    .action(async (server: string, opts) => {
      const tls = clientTls(opts);
      const { host, port } = parseAddress(server, tls ? DEFAULT_TLS_PORT : DEFAULT_PORT);
      if ((opts.passwordFile || opts.login) && !opts.name) throw new Error(`${opts.login ? '--login' : '--password-file'} needs --name NAME: the account to log in to`);
      // read before the screen is taken, so that a refusal is printed plainly
      const password = opts.passwordFile ? readPasswordFile(opts.passwordFile) : undefined;
      terminalEnvironment();
      // loaded here, not at start-up: `howdy server` should not carry the terminal UI's weight
      const [{ render }, { createElement }, { connect }, { ChatSession }, { App }, paste] = await Promise.all([
        import('ink'), import('react'), import('../client/tcp.js'), import('../client/session.js'), import('../tui/app.js'), import('../tui/paste.js'),
      ]);
      const open = () => connect(host, port, { classic: opts.classic, tls });
      // a server that cannot be reached at all is most likely a wrong address: say so and stop;
      // once connected, the session reconnects by itself after a drop
      let first: Awaited<ReturnType<typeof open>> | undefined;
      try {
        first = await open();
      } catch (err) {
        throw new Error(`cannot connect to ${host}:${port}: ${(err as Error).message}`);
      }
      const session = new ChatSession(() => {
        const client = first;
        first = undefined;
        return client ? Promise.resolve(client) : open();
      });
      if (password !== undefined) session.login(opts.name, password);
      else if (opts.name && !opts.login) session.join(opts.name);
      process.stdout.write(paste.BRACKETED_PASTE_ON);
      process.on('exit', () => process.stdout.write(paste.BRACKETED_PASTE_OFF));
      const app = render(createElement(App, { session, loginAs: opts.login ? opts.name : undefined }), { exitOnCtrlC: true });
      await app.waitUntilExit();
      session.close();
      process.exit(0);
    });
}

/**
 * The password on a file's first line. Like ssh with a private key, a file that others may read
 * is refused: the password would be theirs too.
 */
function readPasswordFile(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new Error(`cannot read the password file: ${(err as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(`permissions ${octal} for '${file}' are too open: a password file must be readable by you alone (chmod 600 ${file})`);
  }
  const password = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  if (password === '') throw new Error(`the password file '${file}' is empty: its first line is the password`);
  return password;
}

/**
 * Ink and chalk read the environment once, when loaded. Ink draws nothing until exit when CI or
 * CONTINUOUS_INTEGRATION is set (to anything but "false" or "0"), and chalk draws no colour when CI
 * is set at all, "false" included: a person at a terminal (a CI runner's shell, a dev container)
 * must see the chat, in colour, so neither is left. chalk does not read NO_COLOR
 * (https://no-color.org), but honours FORCE_COLOR=0.
 */
function terminalEnvironment(): void {
  if (process.stdout.isTTY) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
}

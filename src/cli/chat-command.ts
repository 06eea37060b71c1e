import { Command } from 'commander';
import { caOption, clientTls, tlsOption, DEFAULT_PORT, DEFAULT_TLS_PORT, parseAddress } from './address.js';

export function chatCommand(): Command {
  return new Command('chat')
    .description('chat in the terminal (full-screen client)')
    .argument('[server]', 'host[:port] of the HCP server (default 127.0.0.1:20002)')
    .option('--name <name>', 'the name to join with')
    .option('--classic', 'speak classic HCP/1 from the start (the 2016 server)')
    .addOption(tlsOption())
    .addOption(caOption())
    .action(async (server: string, opts) => {
      const tls = clientTls(opts);
      const { host, port } = parseAddress(server, tls ? DEFAULT_TLS_PORT : DEFAULT_PORT);
      // Ink reads CI/CONTINUOUS_INTEGRATION once, at import, and then draws nothing until exit;
      // a person at a terminal (a CI runner's shell, a dev container) must still see the chat.
      if (process.stdout.isTTY) process.env.CI = process.env.CONTINUOUS_INTEGRATION = 'false';
      // loaded here, not at start-up: `howdy server` should not carry the terminal UI's weight
      const [{ render }, { createElement }, { connect }, { App }] = await Promise.all([
        import('ink'), import('react'), import('../client/tcp.js'), import('../tui/app.js'),
      ]);
      let client;
      try {
        client = await connect(host, port, { classic: opts.classic, tls });
      } catch (err) {
        throw new Error(`cannot connect to ${host}:${port}: ${(err as Error).message}`);
      }
      const app = render(createElement(App, { client, initialName: opts.name }), { exitOnCtrlC: true });
      await app.waitUntilExit();
      client.close();
      process.exit(0);
    });
}

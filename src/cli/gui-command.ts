import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import type { LogFormat } from '../logging/pino.js';
import { caOption, clientTls, tlsOption, DEFAULT_PORT, DEFAULT_TLS_PORT, parseAddress } from './address.js';

export function guiCommand(): Command {
  return new Command('gui')
    .description('open the web GUI for any HCP server (the 2016 one included), through a local bridge')
    .argument('[server]', 'host[:port] of the HCP server (default 127.0.0.1:20002)')
    .option('--classic', 'speak classic HCP/1 from the start')
    .addOption(tlsOption())
    .addOption(caOption())
    .option('--no-open', 'do not open a browser; just print the address')
    .addOption(new Option('--local-port <port>', 'local port for the page (default: any free one)').argParser(Number))
    .addOption(new Option('--log-format <format>', 'pretty or json').choices(['pretty', 'json']))
    .action(async (server: string, opts) => {
      const tls = clientTls(opts);
      const { host, port } = parseAddress(server, tls ? DEFAULT_TLS_PORT : DEFAULT_PORT);
      const [{ startBridge }, { createLogger }] = await Promise.all([import('../gui/bridge.js'), import('../logging/pino.js')]);
      const log = createLogger('info', opts.logFormat as LogFormat | undefined);
      const bridge = await startBridge({ host, port, classic: opts.classic, tls, localPort: opts.localPort }, log);
      process.stdout.write(`Open ${bridge.url} in your browser to chat on ${host}:${port}.\n`);
      if (opts.open) openBrowser(bridge.url);
      const stop = () => void bridge.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** Best effort: the desktop's browser, if there is one. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

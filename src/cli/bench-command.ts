import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { failed, toJson, toTable } from '../bench/report.js';
import { runBench, type BenchOptions, type Workload } from '../bench/run.js';
import type { BenchProto } from '../bench/peers.js';
import { parseAddress } from './address.js';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
};

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure an HCP (or IRC) server: simulated users, verified deliveries, throughput and latency')
    .argument('[server]', 'host[:port] to measure (ignored with --spawn)', '127.0.0.1:20002')
    .addOption(new Option('--proto <proto>', 'wire form').choices(['framed', 'classic', 'ws', 'irc']).default('framed'))
    .option('--irc', 'measure an IRC server instead (same as --proto irc; default port 6667)')
    .addOption(new Option('--workload <name>', 'what the users do').choices(['broadcast', 'whisper', 'mixed', 'connect', 'churn']).default('broadcast'))
    .addOption(new Option('--clients <n>', 'simulated users').default(50).argParser(positive))
    .addOption(new Option('--size <bytes>', 'text bytes per message').default(64).argParser(positive))
    .addOption(new Option('--rate <msgs>', 'open loop: messages per second in all (default: closed loop)').argParser(positive))
    .addOption(new Option('--window <n>', 'closed loop: undelivered messages allowed per user').default(16).argParser(positive))
    .addOption(new Option('--secs <s>', 'measured seconds').default(5).argParser(positive))
    .addOption(new Option('--warmup <s>', 'seconds before measuring').default(1).argParser(Number))
    .addOption(new Option('--conn-par <n>', 'registrations in flight at once').default(64).argParser(positive))
    .addOption(new Option('--hold <s>', 'connect: seconds to hold the users idle').default(2).argParser(Number))
    .addOption(new Option('--churn-rate <n>', 'churn: users joining and leaving per second').default(20).argParser(positive))
    .addOption(new Option('--server-pid <pid>', 'read this process\'s CPU and memory').argParser(positive))
    .option('--spawn', 'start a Howdy server for the run (on CPU 0 when taskset exists)')
    .option('--ws-path <path>', 'WebSocket path (proto ws)', '/hcp')
    .option('--json', 'print one JSON line instead of the table')
    .action(async (server: string, opts) => {
      const proto: BenchProto = opts.irc ? 'irc' : opts.proto;
      let { host, port } = parseAddress(server === '127.0.0.1:20002' && proto === 'irc' ? '127.0.0.1:6667' : server);
      let child: ChildProcess | undefined;
      let serverPid: number | undefined = opts.serverPid;
      let httpPort = port + 1;
      if (opts.spawn) {
        ({ child, port, httpPort } = await spawnServer());
        host = '127.0.0.1';
        serverPid = child.pid;
      }
      const options: BenchOptions = {
        proto, host, port, url: `ws://${host}:${proto === 'ws' && !opts.spawn ? port : httpPort}${opts.wsPath}`,
        workload: opts.workload as Workload, clients: opts.clients, size: opts.size, rate: opts.rate,
        window: opts.window, secs: opts.secs, warmup: opts.warmup, connPar: opts.connPar, hold: opts.hold,
        churnRate: opts.churnRate, serverPid,
      };
      const bar = process.stderr.isTTY && !opts.json ? new SingleBar({ format: ' {phase} [{bar}] {value}/{total}', hideCursor: true }) : undefined;
      let phase = '';
      try {
        const result = await runBench(options, (p, done, total) => {
          if (!bar) return;
          if (p !== phase) {
            if (phase) bar.stop();
            phase = p;
            bar.start(total, 0, { phase: p.padEnd(11) });
          }
          bar.update(Math.round(done), { phase: p.padEnd(11) });
        });
        bar?.stop();
        process.stdout.write(`${opts.json ? JSON.stringify(toJson(result)) : toTable(result)}\n`);
        process.exitCode = failed(result) ? 1 : 0;
      } finally {
        child?.kill('SIGTERM');
      }
    });
}

/** Starts `howdy server` on free ports, pinned to CPU 0 when taskset is there. */
async function spawnServer(): Promise<{ child: ChildProcess; port: number; httpPort: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const httpPort = port + 1;
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  // flood control stays on, raised out of the way of simulated users who send as fast as they can
  const args = [...process.execArgv, main, 'server', '--port', String(port), '--http-port', String(httpPort), '--log-format', 'json', '--msg-rate', '10000000', '--msg-burst', '10000000'];
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const child = pinned
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: 'ignore' })
    : spawn(process.execPath, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) return { child, port, httpPort };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the spawned server did not start');
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

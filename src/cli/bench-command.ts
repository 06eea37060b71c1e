import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BenchProto } from '../bench/peers.js';
import type { BenchOptions, Workload } from '../bench/run.js';
import { DEFAULT_PORT, parseAddress } from './address.js';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
};

const positiveInteger = (value: string): number => {
  const n = positive(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
};

/** Options shared by `howdy bench` and `howdy soak`. */
function loadOptions(cmd: Command, defaults: { clients: number; rate?: number; secs: number }): Command {
  return cmd
    .argument('[server]', 'host[:port] to measure (ignored with --spawn)')
    .addOption(new Option('--proto <proto>', 'wire form').choices(['framed', 'classic', 'ws', 'irc']).default('framed'))
    .addOption(new Option('--clients <n>', 'simulated users').default(defaults.clients).argParser(positive))
    .addOption(new Option('--size <bytes>', 'text bytes per message').default(64).argParser(positive))
    .addOption(new Option('--rate <msgs>', 'open loop: messages per second in all').default(defaults.rate).argParser(positive))
    .addOption(new Option('--secs <s>', 'measured seconds').default(defaults.secs).argParser(positive))
    .addOption(new Option('--warmup <s>', 'seconds before measuring').default(1).argParser(Number))
    .addOption(new Option('--conn-par <n>', 'registrations in flight at once').default(64).argParser(positive))
    .addOption(new Option('--churn-rate <n>', 'churn: users joining and leaving per second').default(20).argParser(positive))
    .addOption(new Option('--server-pid <pid>', "read this process's CPU and memory").argParser(positive))
    .option('--spawn', 'start a Howdy server for the run (on CPU 0 when taskset exists)')
    .option('--ws-path <path>', 'WebSocket path (proto ws)', '/hcp')
    .option('--json', 'print JSON instead of a table');
}

/**
 * The run's target, spawning a server first with --spawn: keeping nothing, or (`disk`) its data in
 * a temporary folder, removed by `stop`.
 */
async function target(server: string | undefined, opts: Record<string, unknown>, proto: BenchProto, data: 'memory' | 'disk' = 'memory') {
  let { host, port } = parseAddress(server, proto === 'irc' ? 6667 : DEFAULT_PORT);
  let child: ChildProcess | undefined;
  let serverPid = opts.serverPid as number | undefined;
  let httpPort = port + 1;
  const folder = opts.spawn && data === 'disk' ? mkdtempSync(join(tmpdir(), 'howdy-bench-')) : undefined;
  if (opts.spawn) {
    ({ child, port, httpPort } = await spawnServer(folder));
    host = '127.0.0.1';
    serverPid = child.pid;
  }
  const url = `ws://${host}:${proto === 'ws' && !opts.spawn ? port : httpPort}${opts.wsPath as string}`;
  const stop = async () => {
    if (child && child.exitCode === null) await new Promise((resolve) => child!.once('exit', resolve).kill('SIGTERM'));
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
  return { host, port, url, serverPid, child, stop };
}

function benchOptions(opts: Record<string, any>, proto: BenchProto, t: Awaited<ReturnType<typeof target>>, workload: Workload): BenchOptions {
  return {
    proto, host: t.host, port: t.port, url: t.url, workload, clients: opts.clients, rooms: opts.rooms ?? 1, size: opts.size, rate: opts.rate,
    window: opts.window ?? 16, secs: opts.secs, warmup: opts.warmup, connPar: opts.connPar, hold: opts.hold ?? 0,
    churnRate: opts.churnRate, serverPid: t.serverPid,
  };
}

export function benchCommand(): Command {
  return loadOptions(new Command('bench'), { clients: 50, secs: 5 })
    .description('measure an HCP (or IRC) server: simulated users, verified deliveries, throughput and latency')
    .option('--irc', 'measure an IRC server instead (same as --proto irc; default port 6667)')
    .addOption(new Option('--workload <name>', 'what the users do').choices(['broadcast', 'whisper', 'mixed', 'connect', 'churn', 'rooms', 'history']).default('broadcast'))
    .addOption(new Option('--rooms <n>', 'rooms: spread the users evenly over this many rooms, each user talking in its own').default(1).argParser(positiveInteger))
    .addOption(new Option('--window <n>', 'closed loop: undelivered messages allowed per user').default(16).argParser(positive))
    .addOption(new Option('--hold <s>', 'connect: seconds to hold the users idle').default(2).argParser(Number))
    .addOption(new Option('--stored <n>', 'history: messages said before the reader first comes').default(10_000).argParser(positiveInteger))
    .addOption(new Option('--missed <n>', 'history: messages said while the reader is away').default(10_000).argParser(positiveInteger))
    .addOption(new Option('--live-rate <msgs>', 'history: messages per second said while the reader catches up').default(200).argParser(positive))
    .addOption(new Option('--pages <n>', 'history: pages of 100 read back and timed (after 20 untimed)').default(200).argParser(positiveInteger))
    .addOption(new Option('--searches <n>', 'history: searches timed (after 20 untimed)').default(100).argParser(positiveInteger))
    .action(async (server: string | undefined, opts) => {
      const proto: BenchProto = opts.irc ? 'irc' : opts.proto;
      if (opts.workload === 'history') return historyBench(server, opts, proto);
      const [{ SingleBar }, { runBench }, { failed, toJson, toTable }] = await Promise.all([
        import('cli-progress'), import('../bench/run.js'), import('../bench/report.js'),
      ]);
      const t = await target(server, opts, proto);
      const bar = process.stderr.isTTY && !opts.json ? new SingleBar({ format: ' {phase} [{bar}] {value}/{total}', hideCursor: true }) : undefined;
      let phase = '';
      try {
        const result = await runBench(benchOptions(opts, proto, t, opts.workload as Workload), (p, done, total) => {
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
        t.child?.kill('SIGTERM');
      }
    });
}

/** `howdy bench --workload history`: catch-up, pages and search (bench/history.ts), on a server that keeps its history on disk. */
async function historyBench(server: string | undefined, opts: Record<string, any>, proto: BenchProto): Promise<void> {
  const [{ runHistoryBench }, { historyFailed, historyJson, historyTable }] = await Promise.all([import('../bench/history.js'), import('../bench/report.js')]);
  const t = await target(server, opts, proto, 'disk');
  try {
    const progress = process.stderr.isTTY && !opts.json ? (phase: string, done: number, total: number) => process.stderr.write(`\r ${phase.padEnd(12)} ${Math.round(done)}/${total}   `) : () => {};
    const result = await runHistoryBench(benchOptions(opts, proto, t, 'history'), {
      stored: opts.stored, missed: opts.missed, liveRate: opts.liveRate, pages: opts.pages, searches: opts.searches,
    }, progress);
    if (process.stderr.isTTY && !opts.json) process.stderr.write('\n');
    process.stdout.write(`${opts.json ? JSON.stringify(historyJson(result)) : historyTable(result)}\n`);
    process.exitCode = historyFailed(result) ? 1 : 0;
  } finally {
    await t.stop();
  }
}

export function soakCommand(): Command {
  return loadOptions(new Command('soak'), { clients: 50, rate: 200, secs: 60 })
    .description("a steady mixed workload with users joining and leaving; samples the server's memory and open handles")
    .addOption(new Option('--every <s>', 'seconds between samples').default(5).argParser(positive))
    .action(async (server: string | undefined, opts) => {
      const proto: BenchProto = opts.proto;
      const [{ soak }, { failed, toJson }] = await Promise.all([import('../bench/soak.js'), import('../bench/report.js')]);
      const t = await target(server, opts, proto);
      try {
        if (!opts.json) process.stdout.write('  second   server RSS   open handles\n');
        const r = await soak(benchOptions(opts, proto, t, 'churn'), opts.every, (s) => {
          const line = opts.json ? JSON.stringify(s) : `  ${String(s.second).padStart(6)}   ${(s.rssKb / 1024).toFixed(1).padStart(7)} MiB   ${String(s.handles ?? '?').padStart(12)}`;
          process.stdout.write(`${line}\n`);
        });
        const summary = `handles before ${r.handlesBefore ?? '?'}, after ${r.handlesAfter ?? '?'}; ${r.bench.churnJoins} users joined and left; ` +
          `${r.bench.counts.delivered} deliveries, ${r.bench.counts.lost} lost`;
        process.stdout.write(opts.json ? `${JSON.stringify({ verdict: r.verdict ?? 'ok', ...toJson(r.bench) })}\n` : `${summary}\n${r.verdict ? `LEAK? ${r.verdict}` : 'no growth that looks like a leak'}\n`);
        process.exitCode = r.verdict || failed(r.bench) ? 1 : 0;
      } finally {
        t.child?.kill('SIGTERM');
      }
    });
}

/**
 * Starts `howdy server` on free ports (pinned to CPU 0 when taskset is there), read from its log;
 * its data in `folder`, else kept in memory only.
 */
async function spawnServer(folder?: string): Promise<{ child: ChildProcess; port: number; httpPort: number }> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  // flood control stays on, raised out of the way of simulated users who send as fast as they can
  const data = folder === undefined ? ['--ephemeral'] : ['--data', folder];
  const args = [...process.execArgv, main, 'server', '--port', '0', '--http-port', '0', '--log-format', 'json', ...data, '--msg-rate', '10000000', '--msg-burst', '10000000'];
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const child = pinned
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let port: number | undefined;
    let started = false;
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the spawned server did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => reject(new Error(`the spawned server exited (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (started) return; // the rest of its log is read and dropped
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg: string; port?: number; url?: string };
        if (entry.msg === 'server is started and listening') port = entry.port;
        if (entry.url && port !== undefined) {
          clearTimeout(timer);
          started = true;
          resolve({ child, port, httpPort: Number(new URL(entry.url).port) });
        }
      }
    });
  });
}

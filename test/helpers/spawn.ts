import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the `howdy` CLI from source (no build needed), as a user would run the command, under
 * `wrapper` if given (e.g. setpriv); a server keeps nothing on disk unless `env` sets HOWDY_DATA
 * (or the arguments --data).
 */
export function howdy(args: string[], env: NodeJS.ProcessEnv = {}, wrapper: string[] = []): ChildProcessWithoutNullStreams & { output: () => string } {
  const command = [...wrapper, process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', HOWDY_DATA: ':memory:', ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

/** Waits until the child's output matches `pattern`; returns the match. */
export async function waitOutput(child: { output: () => string }, pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = child.output().match(pattern);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the loopback port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './spawn.js';

/** Starts the Python stand-in for the 2016 server on a free port. */
export async function startLegacyServer(): Promise<{ port: number; stop: () => void; process: ChildProcess }> {
  const port = await freePort();
  const script = fileURLToPath(new URL('../legacy/howdy_server_2016.py', import.meta.url));
  const child = spawn('python3', [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
  });
  return { port, stop: () => child.kill('SIGKILL'), process: child };
}

/** `howdy server --log-file`: JSON lines in a file besides the console, reopened on SIGUSR1 as logrotate expects. */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicPeer, join } from '../helpers/clients.js';
import { exited, freePort, howdy, waitOutput } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';

const children: ReturnType<typeof howdy>[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  cleanups.splice(0).forEach((c) => c());
});

/** The file's JSON lines (none if it is not there). */
function lines(file: string): Array<{ msg: string; name?: string }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; name?: string });
}
const accepted = (file: string) => lines(file).flatMap((l) => (l.msg === 'name accepted' ? [l.name] : []));

describe('howdy server --log-file', () => {
  it('writes JSON lines to the file (the console stays readable); after a move and SIGUSR1 a new file takes the new lines', async () => {
    const folder = tempFolder('howdy-log-');
    cleanups.push(folder.remove);
    const file = joinPath(folder.path, 'howdy.log');
    const port = await freePort();
    const server = howdy(['server', '--port', String(port), '--no-http', '--log-format', 'pretty', '--log-file', file]);
    children.push(server);
    await waitOutput(server, /server is started and listening/);
    expect(server.output()).not.toMatch(/^\{/m); // the console: readable lines, not JSON

    const alice = await join(ClassicPeer.open(port), 'alice');
    await expect.poll(() => accepted(file)).toEqual(['alice']);
    expect(lines(file)[0]).toMatchObject({ msg: expect.stringContaining('data kept in memory') });

    renameSync(file, `${file}.1`); // what logrotate does, then its postrotate: kill -USR1
    server.kill('SIGUSR1');
    await expect.poll(() => existsSync(file)).toBe(true);
    const bob = await join(ClassicPeer.open(port), 'bob');
    await expect.poll(() => accepted(file)).toEqual(['bob']);
    expect(accepted(`${file}.1`)).toEqual(['alice']);
    expect(server.output()).not.toContain('Debugger'); // SIGUSR1 does not start Node's inspector

    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(lines(file).at(-1)).toMatchObject({ msg: 'server stopped' });
    alice.socket.destroy();
    bob.socket.destroy();
  });

  it('a file that cannot be written stops the start with the reason', async () => {
    const server = howdy(['server', '--port', String(await freePort()), '--no-http', '--log-file', '/nonexistent/folder/howdy.log']);
    children.push(server);
    expect(await exited(server)).toBe(1);
    expect(server.output()).toMatch(/howdy: cannot write the log file \/nonexistent\/folder\/howdy\.log: ENOENT/);
  });

  it('HOWDY_LOG_FILE sets it too', async () => {
    const folder = tempFolder('howdy-log-');
    cleanups.push(folder.remove);
    const file = joinPath(folder.path, 'env.log');
    const server = howdy(['server', '--port', String(await freePort()), '--no-http'], { HOWDY_LOG_FILE: file });
    children.push(server);
    await waitOutput(server, /server is started and listening/);
    await expect.poll(() => lines(file).map((l) => l.msg)).toContain('server is started and listening');
  });
});

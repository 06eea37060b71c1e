import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FramedPeer, join } from '../helpers/clients.js';
import { exited, repoRoot, waitOutput } from '../helpers/spawn.js';

const run = promisify(execFile);
const version = (dir: string): string => (JSON.parse(readFileSync(joinPath(dir, 'package.json'), 'utf8')) as { version: string }).version;

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/**
 * better-sqlite3's install script fetches a prebuilt binary from GitHub (not reachable here: only
 * the npm registry is) or else compiles SQLite, which takes minutes. prebuild-install's documented
 * local-prebuilds setting hands it the binary `npm ci` built in this tree, in the release's own
 * file name and layout, as the download would on a user's machine.
 */
async function localPrebuilds(dir: string): Promise<NodeJS.ProcessEnv> {
  const module = joinPath(repoRoot, 'node_modules/better-sqlite3');
  const file = `better-sqlite3-v${version(module)}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir);
  await run('tar', ['-czf', joinPath(dir, file), '-C', module, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

describe('the npm package', () => {
  // Packs the tree as `npm test` built it (npm pack's `prepare` would rebuild dist/ under the other
  // tests' feet), installs it globally into a temp prefix, and runs it from an unrelated folder.
  it('npm pack gives a package that npm install -g makes a working `howdy`: version, server, web client, data', async () => {
    const tmp = mkdtempSync(joinPath(tmpdir(), 'howdy-package-'));
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: repoRoot });
    const tarball = joinPath(tmp, (JSON.parse(packed) as Array<{ filename: string }>)[0]!.filename);
    const prefix = joinPath(tmp, 'prefix');
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
      cwd: tmp,
      env: { ...process.env, ...(await localPrebuilds(joinPath(tmp, 'prebuilds'))) },
      timeout: 60_000,
    });
    const installed = joinPath(prefix, 'lib/node_modules/howdy');
    for (const file of ['docs/protocol.md', 'README.md', 'howdy.example.toml']) expect(existsSync(joinPath(installed, file)), file).toBe(true);
    const bin = joinPath(prefix, 'bin/howdy');

    const elsewhere = joinPath(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    const { stdout } = await run(bin, ['--version'], { cwd: elsewhere });
    expect(stdout.trim()).toBe(version(repoRoot));

    const server = spawn(bin, ['server', '--port', '0', '--http-port', '0', '--data', 'data', '--log-format', 'json'], {
      cwd: elsewhere,
      env: { ...process.env, NO_COLOR: '1' },
    });
    cleanups.push(() => server.kill('SIGKILL'));
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (out += d));
    const child = Object.assign(server, { output: () => out });
    const [, port] = await waitOutput(child, /"port":(\d+),"msg":"server is started and listening"/);
    const [, web] = await waitOutput(child, /"url":"(http:[^"]+)"/);

    const alice = await join(FramedPeer.open(Number(port)), 'alice');
    expect(alice.closed).toBe(false);
    alice.socket.destroy();
    const page = await fetch(web!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Howdy</title>');
    const script = html.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect((await fetch(new URL(script!, web!))).status).toBe(200);
    expect(existsSync(joinPath(elsewhere, 'data/howdy.db'))).toBe(true);
    // the installed command runs node with the young generation the server is measured with (bin/howdy.js)
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=4');

    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(out).toContain('"msg":"server stopped"');
  }, 120_000);
});

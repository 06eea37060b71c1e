import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChatClient } from '../../src/client/client.js';
import { connectWebSocket, type WebSocketConstructor } from '../../src/client/websocket.js';
import { MsgType } from '../../src/protocol/index.js';
import { FramedPeer, join } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { exited, freePort, listening, repoRoot } from '../helpers/spawn.js';
import { upgradeStatus } from '../helpers/websocket.js';

const NGINX = '/usr/sbin/nginx'; // Debian's, installed by scripts/system-deps.sh

let server: TestServer | undefined;
let nginx: ChildProcessWithoutNullStreams | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  cleanups.splice(0).forEach((c) => c());
  if (nginx) {
    // SIGTERM: the master stops its workers, which a SIGKILLed master would leave running.
    nginx.kill('SIGTERM');
    await exited(nginx);
  }
  await server?.close();
  server = nginx = undefined;
});

/**
 * deploy/nginx.conf as shipped, but listening on a loopback port in front of `upstream`, inside a
 * main configuration that keeps nginx's pid, logs and temporary files in `prefix`.
 */
function nginxConf(prefix: string, port: number, upstream: number): string {
  let site = readFileSync(joinPath(repoRoot, 'deploy/nginx.conf'), 'utf8');
  const edits: Array<[string, string]> = [
    ['server 127.0.0.1:20003;', `server 127.0.0.1:${upstream};`],
    ['listen 80;', `listen 127.0.0.1:${port};`],
    ['listen [::]:80;', ''],
  ];
  for (const [from, to] of edits) {
    if (!site.includes(from)) throw new Error(`deploy/nginx.conf no longer has "${from}": update this test`);
    site = site.replace(from, to);
  }
  return [
    'daemon off;',
    'worker_processes 1;',
    // As root, nginx's workers would be `nobody`, who may not write the temp files in `prefix`.
    process.getuid?.() === 0 ? 'user root;' : '',
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log;`,
    'events {}',
    'http {',
    `  access_log ${prefix}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
    site,
    '}',
  ].join('\n');
}

async function startNginx(upstream: number): Promise<number> {
  const prefix = mkdtempSync(joinPath(tmpdir(), 'howdy-nginx-'));
  cleanups.push(() => rmSync(prefix, { recursive: true, force: true }));
  const port = await freePort();
  writeFileSync(joinPath(prefix, 'nginx.conf'), nginxConf(prefix, port, upstream));
  const child = spawn(NGINX, ['-p', prefix, '-c', joinPath(prefix, 'nginx.conf'), '-e', 'stderr']);
  nginx = child;
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 5000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return port;
}

describe("Debian's nginx in front of Howdy, as deploy/nginx.conf has it", () => {
  it('serves the web client and carries HCP over WebSocket, Origin checks included', async () => {
    server = await startTestServer({ httpPort: 0 });
    const port = await startNginx(server.httpAddress!.port);
    const site = `http://127.0.0.1:${port}`;

    const page = await fetch(`${site}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Howdy</title>');
    const script = await fetch(new URL(html.match(/src="\.\/(assets\/[^"]+\.js)"/)![1]!, `${site}/`));
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(10_000);

    // A browser on the page sends the page's own origin, which nginx's Host must match.
    class FromThePage extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols, { origin: site });
      }
    }
    const web: ChatClient = await connectWebSocket(`ws://127.0.0.1:${port}/hcp`, { WebSocket: FromThePage as unknown as WebSocketConstructor });
    cleanups.push(() => web.close());
    expect(await web.register('webby')).toEqual({ accepted: true, name: 'webby' });
    const tcp = await join(FramedPeer.open(server.port), 'tcpy');
    cleanups.push(() => tcp.socket.destroy());

    const heard = web.once('message');
    tcp.send({ type: MsgType.MESSAGE, from: 'tcpy', to: 'All', text: 'howdy from TCP' });
    expect(await heard).toMatchObject({ from: 'tcpy', to: 'All', text: 'howdy from TCP' });
    web.send('tcpy', 'howdy back, through nginx');
    expect(await tcp.take(MsgType.MESSAGE, (m) => m.from === 'webby')).toMatchObject({ to: 'tcpy', text: 'howdy back, through nginx' });

    expect(await upgradeStatus(`ws://127.0.0.1:${port}/hcp`, { Origin: 'https://elsewhere.example' })).toBe(403);

    web.close(); // nginx's graceful stop waits for open connections
    nginx!.kill('SIGQUIT');
    expect(await exited(nginx!)).toBe(0);
    nginx = undefined;
  });
});

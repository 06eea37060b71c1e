import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ChatSession } from '../../src/client/session.js';
import { connect } from '../../src/client/tcp.js';
import { startTestServer, type TestServer } from './server.js';
import { Terminal } from './tmux.js';

/**
 * What a chat test opens, all ended after each test: servers (on a free port, or one given to
 * restart on), data folders, client sessions, and with `terminals` the tmux terminals.
 */
export function chatRig({ terminals = false } = {}) {
  const servers: TestServer[] = [];
  const folders: string[] = [];
  const sessions: ChatSession[] = [];
  afterEach(async () => {
    if (terminals) await Terminal.killAll();
    sessions.splice(0).forEach((s) => s.close());
    await Promise.all(servers.splice(0).map((s) => s.close()));
    folders.splice(0).forEach((f) => rmSync(f, { recursive: true, force: true }));
  });
  return {
    async serve(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
      const server = await startTestServer(options);
      servers.push(server);
      return server;
    },
    /** Stops a server before the test ends (a restart): it is not closed again after it. */
    async stop(server: TestServer): Promise<void> {
      servers.splice(servers.indexOf(server), 1);
      await server.close();
    },
    folder(prefix = 'howdy-test-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      folders.push(dir);
      return dir;
    },
    /**
     * A client session joined as `name`: a guest, or with `password` a new account's owner.
     * `got` collects what others send it, as "from → to: text".
     */
    async session(port: number, name: string, password?: string): Promise<ChatSession & { got: string[] }> {
      const s = Object.assign(new ChatSession(() => connect('127.0.0.1', port), { firstRetryMs: 200, rejoinWaitMs: 200 }), { got: [] as string[] });
      sessions.push(s);
      s.on('message', (m) => m.own || s.got.push(`${m.from} → ${m.to}: ${m.text}`));
      s.start();
      const joined = s.once('joined');
      if (password === undefined) s.join(name);
      else s.signUp(name, password);
      await joined;
      return s;
    },
  };
}

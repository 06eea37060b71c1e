import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType } from '../../src/protocol/index.js';
import { FramedPeer, join } from '../helpers/clients.js';
import { exited, freePort, howdy, waitOutput } from '../helpers/spawn.js';

const children: ReturnType<typeof howdy>[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));

describe('howdy server (the command)', () => {
  it('logs JSON lines, tells framed peers on SIGTERM, and exits 0; the port is reusable at once', async () => {
    const port = await freePort();
    const server = howdy(['server', '--port', String(port), '--log-format', 'json']);
    children.push(server);
    await waitOutput(server, /"msg":"server is started and listening"/);
    const peer = await join(FramedPeer.open(port), 'alice');
    server.kill('SIGTERM');
    expect(await peer.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.SERVER_SHUTDOWN, fatal: true });
    await peer.waitClosed();
    expect(await exited(server)).toBe(0);
    const lines = server.output().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['connection opened', 'name accepted', 'signal received', 'server stopped']));

    const again = howdy(['server', '--port', String(port), '--log-format', 'json']);
    children.push(again);
    await waitOutput(again, /server is started and listening/);
    again.kill('SIGINT');
    expect(await exited(again)).toBe(0);
  });

  it('--prompt asks for address and port as the 2016 server did, re-asking until valid', async () => {
    const port = await freePort();
    const server = howdy(['server', '--prompt', '--log-format', 'json']);
    children.push(server);
    server.stdin.write(['300.1.1.1', 'cookiemonster', '127.0.0.1', 'worcester', '11', '70000', String(port), ''].join('\n'));
    await waitOutput(server, /Server is started and listening\./);
    const out = server.output();
    expect(out.match(/Please input a valid IP address of this Howdy Server, press Enter to use 127\.0\.0\.1\./g)).toHaveLength(3);
    expect(out.match(/Please input a valid TCP port number for Howdy Server, press Enter to use 20002\./g)).toHaveLength(4);
    expect(out).toContain(`You are going to start Howdy Server with ('127.0.0.1', ${port})`);
    const peer = await join(FramedPeer.open(port), 'bob');
    expect(peer.closed).toBe(false);
    peer.socket.destroy();
  });

  it('refuses an invalid option with a clear message', async () => {
    const server = howdy(['server', '--port', 'abc']);
    children.push(server);
    expect(await exited(server)).not.toBe(0);
    expect(server.output()).toMatch(/--port.*expected an integer/);
  });
});

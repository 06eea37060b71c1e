/** Options a reload applies to the running server (RunningServer.apply): new and open connections alike. */
import { rmSync } from 'node:fs';
import { get } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { ErrorCode, MsgType } from '../../src/protocol/index.js';
import { FramedPeer, join, textsOf } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const { track } = trackPeers(() => server);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live options', () => {
  it('a lower message rate slows a connection that was open before it', async () => {
    server = await startTestServer({ messageRate: 1000, messageBurst: 100 });
    const watcher = track(await join(FramedPeer.open(server.port), 'watcher'));
    const fast = track(await join(FramedPeer.open(server.port), 'fast'));
    server.apply({ messageRate: 10, messageBurst: 2 });
    await sleep(20); // the old burst's tokens are cut to the new one at the next take
    const sent = Array.from({ length: 6 }, (_, i) => `m${i}`);
    const started = Date.now();
    for (const text of sent) fast.send({ type: MsgType.MESSAGE, from: 'fast', to: 'All', text });
    await watcher.until(() => textsOf(watcher).length === 6, 'all 6');
    expect(textsOf(watcher)).toEqual(sent);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // two at once, then one every 100 ms
    expect(server.logs.some((l) => l.msg === 'over the message rate: reading paused' && l.name === 'fast')).toBe(true);
  });

  it('a lower connection limit refuses the next connection; a shorter idle timeout drops an open silent peer', async () => {
    server = await startTestServer({ idleTimeoutMs: 0 });
    const mute = track(await join(FramedPeer.open(server.port), 'mute'));
    server.apply({ maxConnections: 1, idleTimeoutMs: 400 });
    const late = track(await FramedPeer.open(server.port));
    expect(await late.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.TOO_MANY_CONNECTIONS, fatal: true });
    await mute.take(MsgType.PING);
    expect(await mute.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.IDLE_TIMEOUT, fatal: true });
  });


  it('a new TLS certificate serves the next handshakes, HCP over TLS and HTTPS; one that cannot be read changes nothing', async () => {
    const [a, b] = [makeCertificates(), makeCertificates()];
    try {
      server = await startTestServer({ tlsCert: a.cert, tlsKey: a.key, tlsPort: 0, httpPort: 0 });
      const tlsPort = server.tlsAddress!.port;
      const httpsPort = server.httpAddress!.port;
      /** Whether a handshake trusting only `ca` succeeds. */
      const trusts = (ca: Buffer) => new Promise<boolean>((resolve) => {
        const socket = tlsConnect({ port: tlsPort, host: '127.0.0.1', ca, servername: 'localhost' }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      const httpsTrusts = (ca: Buffer) => new Promise<boolean>((resolve) => {
        get({ port: httpsPort, host: '127.0.0.1', path: '/healthz', ca, servername: 'localhost' }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        }).on('error', () => resolve(false));
      });
      expect([await trusts(a.caPem), await trusts(b.caPem)]).toEqual([true, false]);
      server.apply({ tlsCert: b.cert, tlsKey: b.key });
      expect([await trusts(a.caPem), await trusts(b.caPem)]).toEqual([false, true]);
      expect([await httpsTrusts(a.caPem), await httpsTrusts(b.caPem)]).toEqual([false, true]);
      expect(() => server.apply({ tlsCert: a.cert, tlsKey: `${a.dir}/missing.key` })).toThrow(/ENOENT/);
      expect(server.options.tlsCert).toBe(b.cert);
      expect(await trusts(b.caPem)).toBe(true);
    } finally {
      for (const c of [a, b]) rmSync(c.dir, { recursive: true, force: true });
    }
  });
});

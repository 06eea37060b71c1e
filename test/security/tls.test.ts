/** HCP over TLS and the web client over HTTPS/WSS, with a certificate made at test time. */
import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect } from '../../src/client/tcp.js';
import { connectWebSocket, type WebSocketConstructor } from '../../src/client/websocket.js';
import { makeCertificates } from '../helpers/certs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Terminal } from '../helpers/tmux.js';

let server: TestServer;
let certs: ReturnType<typeof makeCertificates>;
beforeAll(async () => {
  certs = makeCertificates();
  server = await startTestServer({ tlsCert: certs.cert, tlsKey: certs.key, tlsPort: 0, httpPort: 0 });
});
afterAll(async () => {
  Terminal.killAll();
  await server?.close();
});

describe('TLS', () => {
  it('a client trusting the CA chats over TLS with a plain TCP user', async () => {
    const secure = await connect('127.0.0.1', server.tlsAddress!.port, { tls: { ca: certs.caPem } });
    expect(secure.wire).toBe('framed');
    await secure.register('secure');
    const plain = await connect('127.0.0.1', server.port);
    await plain.register('plain');
    await expect.poll(() => secure.users).toContain('plain');
    const got = plain.once('message');
    secure.send('plain', 'over TLS');
    expect(await got).toMatchObject({ from: 'secure', text: 'over TLS' });
    secure.close();
    plain.close();
  });

  it('verifies the certificate: without the private CA the connection is refused', async () => {
    await expect(connect('127.0.0.1', server.tlsAddress!.port, { tls: {} })).rejects.toThrow(/certificate/);
  });

  it('serves the web client over HTTPS and HCP over WSS', async () => {
    const port = server.httpAddress!.port;
    const res = await new Promise<{ status: number; csp: string | undefined }>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: '/healthz', ca: certs.caPem }, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, csp: r.headers['content-security-policy'] as string | undefined });
      }).on('error', reject),
    );
    expect(res.status).toBe(200);
    expect(res.csp).toContain("script-src 'self'");
    class TrustingWebSocket extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols, { ca: certs.caPem });
      }
    }
    const c = await connectWebSocket(`wss://127.0.0.1:${port}/hcp`, { WebSocket: TrustingWebSocket as unknown as WebSocketConstructor });
    expect(await c.register('wss-user')).toEqual({ accepted: true, name: 'wss-user' });
    c.close();
  });

  it('howdy chat --ca connects over TLS', async () => {
    const t = new Terminal('tls', `${process.execPath} --import tsx src/cli/main.ts chat 127.0.0.1:${server.tlsAddress!.port} --ca ${certs.ca} --name tlsuser`);
    await t.waitFor('You joined as tlsuser');
    await expect.poll(() => server.core.names()).toContain('tlsuser');
  });
});

/** The web side: Content-Security-Policy on the page, no inline script, Origin checks on the WebSocket. */
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { upgradeStatus } from '../helpers/websocket.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => server?.close());

function fetchPage(port: number, path = '/'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) =>
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    }).on('error', reject),
  );
}

const upgrade = (port: number, origin?: string) => upgradeStatus(`ws://127.0.0.1:${port}/hcp`, origin ? { Origin: origin } : {});

describe('web security', () => {
  it('serves the page with a CSP that forbids inline script, and the page has none', async () => {
    server = await startTestServer({ httpPort: 0 });
    const page = await fetchPage(server.httpAddress!.port);
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const scripts = [...page.body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, inner] of scripts) {
      expect(tag).toMatch(/\ssrc=/);
      expect(inner!.trim()).toBe('');
    }
    expect(page.body).not.toMatch(/\son\w+=/); // no inline event handlers
  });

  it('accepts WebSocket connections from the page\'s own origin, non-browsers and the allow-list only', async () => {
    server = await startTestServer({ httpPort: 0, allowedOrigins: ['https://friend.example'] });
    const port = server.httpAddress!.port;
    expect(await upgrade(port)).toBe(101);
    expect(await upgrade(port, `http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgrade(port, 'https://friend.example')).toBe(101);
    expect(await upgrade(port, 'https://evil.example')).toBe(403);
    expect(server.logs.filter((l) => l.msg === 'WebSocket refused')).toEqual([expect.objectContaining({ origin: 'https://evil.example' })]);
  });
});

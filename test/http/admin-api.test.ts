/**
 * The HTTP admin API (README "Moderation") on a running server: bearer tokens made by `howdy admin
 * token` on its data folder, 401 (logged with the remote address) without one, actions audited as
 * the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MsgType } from '../../src/protocol/index.js';
import { ClassicPeer, join, type AnyPeer } from '../helpers/clients.js';
import { ask, framedUser, sayStamped } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { exited, howdy } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';

let server: TestServer | undefined;
const peers: AnyPeer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.end();
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) c();
});

/** A server keeping its data in a new folder, with HTTP on, and a token made there by the CLI. */
async function serverWithToken(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ token: string; url: (path: string) => string }> {
  const data = tempFolder('howdy-api-test-');
  cleanups.push(data.remove);
  server = await startTestServer({ ephemeral: false, data: data.path, httpPort: 0, webRoot: undefined, ...options });
  const made = howdy(['admin', 'token', '--data', data.path]);
  expect(await exited(made)).toBe(0);
  const token = /^([0-9a-f]{64})$/m.exec(made.output())![1]!;
  return { token, url: (path) => `http://127.0.0.1:${server!.httpAddress!.port}/api/admin/${path}` };
}

const post = (url: string, token: string, body: object) =>
  fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the HTTP admin API', () => {
  it('a missing or wrong bearer gets 401 JSON and a log line with the remote address; nothing is done', async () => {
    const { url } = await serverWithToken();
    const carl = await join(ClassicPeer.open(server!.port), 'carl');
    peers.push(carl);
    const none = await fetch(url('users'));
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/json');
    expect(await none.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    const wrong = await post(url('kick'), 'f'.repeat(64), { name: 'carl' });
    expect(wrong.status).toBe(401);
    const refusals = server!.logs.filter((l) => l.msg === 'admin API refused');
    expect(refusals).toEqual([
      expect.objectContaining({ level: 'warn', remote: '127.0.0.1', path: '/api/admin/users', why: 'no bearer token' }),
      expect.objectContaining({ level: 'warn', remote: '127.0.0.1', path: '/api/admin/kick', why: 'wrong bearer token' }),
    ]);
    expect(carl.closed).toBe(false);
    expect(await server!.store.moderation.auditLog(10)).toHaveLength(1); // the token's making only
  });

  it('lists users and kicks one (a classic peer is told by Server, then closed); the kick is audited as the token', async () => {
    const { token, url } = await serverWithToken();
    const carl = await join(ClassicPeer.open(server!.port), 'carl');
    peers.push(carl);
    const users = await (await fetch(url('users'), { headers: { authorization: `Bearer ${token}` } })).json();
    expect(users).toEqual({ users: [expect.objectContaining({ name: 'carl', address: '127.0.0.1', transport: 'tcp/classic', role: null })] });
    const kicked = await post(url('kick'), token, { name: 'carl', reason: 'spam' });
    expect(kicked.status).toBe(200);
    await carl.waitClosed();
    const actor = /^api-token:[0-9a-f]{6}$/;
    expect(carl.received.at(-1)).toMatchObject({ type: MsgType.MESSAGE, from: 'Server', to: 'carl', text: expect.stringMatching(/^you were kicked by api-token:[0-9a-f]{6}: spam$/) });
    const audit = await (await fetch(url('audit?limit=1'), { headers: { authorization: `Bearer ${token}` } })).json();
    expect(audit.audit).toEqual([expect.objectContaining({ actor: expect.stringMatching(actor), action: 'kick', target: 'carl', detail: 'spam' })]);
    expect((await post(url('kick'), token, { name: 'carl' })).status).toBe(404);
    expect((await post(url('kick'), token, { reason: 'no name' })).status).toBe(400);
  });

  it('bans 127.0.0.1 (a new connection from it is refused), lists the ban, unbans it; announces', async () => {
    const { token, url } = await serverWithToken({ limitLoopback: true });
    const banned = await (await post(url('ban'), token, { kind: 'address', value: '127.0.0.1', seconds: 600, reason: 'test' })).json();
    expect(banned).toMatchObject({ kind: 'address', value: '127.0.0.1', reason: 'test' });
    const refused = await ClassicPeer.open(server!.port);
    await refused.waitClosed();
    expect(refused.bytes.length).toBe(0);
    const bans = await (await fetch(url('bans'), { headers: { authorization: `Bearer ${token}` } })).json();
    expect(bans.bans).toEqual([expect.objectContaining({ id: banned.id, value: '127.0.0.1' })]);
    expect((await post(url('unban'), token, { id: banned.id })).status).toBe(200);
    const carl = await join(ClassicPeer.open(server!.port), 'carl');
    peers.push(carl);
    expect(await (await post(url('announce'), token, { text: 'Hello all' })).json()).toEqual({ told: 1 });
    await carl.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'All' && m.text === 'Hello all');
  });

  it('lists the reports (open first) and closes one by its number (404 for none); the close is audited as the token', async () => {
    const { token, url } = await serverWithToken();
    const bob = await framedUser(server!.port, 'bob', { caps: ['accounts', 'history'] });
    peers.push(bob);
    const ids = [await sayStamped(bob, 'bob', 'All', 'spam one'), await sayStamped(bob, 'bob', 'All', 'spam two')];
    const [one, two] = [await ask(bob, MsgType.REPORT, { msgId: ids[0]!, text: 'mine, sorry' }), await ask(bob, MsgType.REPORT, { msgId: ids[1]! })];
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await post(url(`reports/${two.reportId}/close`), token, {})).status).toBe(200);
    const listed = await (await fetch(url('reports'), auth)).json();
    expect(listed.reports).toEqual([
      expect.objectContaining({ id: one.reportId, reporter: 'bob', msgId: ids[0], from: 'bob', to: 'All', text: 'spam one', reason: 'mine, sorry', closedBy: null }),
      expect.objectContaining({ id: two.reportId, text: 'spam two', reason: '', closedBy: expect.stringMatching(/^api-token:[0-9a-f]{6}$/) }),
    ]);
    const missing = await post(url('reports/99/close'), token, {});
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NO_SUCH_REPORT' });
    const audit = await (await fetch(url('audit?limit=1'), auth)).json();
    expect(audit.audit).toEqual([expect.objectContaining({ action: 'report-close', target: `report ${two.reportId}` })]);
  });
});

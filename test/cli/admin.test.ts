/**
 * `howdy admin` (README "Moderation"): grant, token and log as commands run on the data folder,
 * also while a spawned `howdy server` uses it: a granted role counts at the user's next request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType } from '../../src/protocol/index.js';
import type { FramedPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal, sayStamped } from '../helpers/requests.js';
import { exited, freePort, howdy, waitOutput } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';

type Child = ReturnType<typeof howdy>;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(): string {
  const f = tempFolder('howdy-admin-test-');
  cleanups.push(f.remove);
  return f.path;
}

/** Runs a `howdy admin …` command to its end: its exit code and output. */
async function admin(args: string[], data: string): Promise<{ code: number | null; out: string }> {
  const child = howdy(['admin', ...args, '--data', data]);
  const code = await exited(child);
  return { code, out: child.output() };
}

async function server(data: string, extra: string[] = []): Promise<Child & { port: number; httpPort: number }> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const child = howdy(['server', '--port', String(port), '--http-port', String(httpPort), '--log-format', 'json', '--data', data, ...extra]);
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitOutput(child, /"msg":"server is started and listening"/, 15_000);
  return Object.assign(child, { port, httpPort });
}

describe('howdy admin', () => {
  it('a role granted while the server runs counts at the next request; none takes it away; all of it is in the log', async () => {
    const data = folder();
    const srv = await server(data);
    const ann: FramedPeer = await framedUser(srv.port, 'ann', { password: 'correct horse', caps: ['accounts', 'moderation'] });
    cleanups.push(() => ann.end());
    expect(await refusal(ask(ann, MsgType.MOD_USERS))).toBe(ErrorCode.FORBIDDEN);
    const granted = await admin(['grant', 'ANN', 'moderator'], data);
    expect(granted).toEqual({ code: 0, out: 'ann is now a moderator\n' });
    const users = await ask(ann, MsgType.MOD_USERS);
    expect(users.entry).toEqual([expect.objectContaining({ name: 'ann', role: 'moderator', address: '127.0.0.1' })]);
    expect(await refusal(ask(ann, MsgType.MOD_ANNOUNCE, { text: 'hi' }))).toBe(ErrorCode.FORBIDDEN); // a moderator's rights only
    expect((await admin(['grant', 'ann', 'none'], data)).code).toBe(0);
    expect(await refusal(ask(ann, MsgType.MOD_USERS))).toBe(ErrorCode.FORBIDDEN);
    const log = await admin(['log', '--limit', '2'], data);
    expect(log.code).toBe(0);
    expect(log.out.trim().split('\n').map((l) => l.split('  ').slice(1))).toEqual([['cli', 'grant', 'ann', 'moderator'], ['cli', 'grant', 'ann', 'none']]);
    expect(log.out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}cli/);
  });

  it('grant refuses an unknown account and an unknown role with one line and a non-zero exit', async () => {
    const data = folder();
    const nobody = await admin(['grant', 'nobody', 'admin'], data);
    expect(nobody.code).toBe(1);
    expect(nobody.out).toBe('howdy: no account is registered as "nobody"\n');
    const bad = await admin(['grant', 'nobody', 'king'], data);
    expect(bad).toEqual({ code: 1, out: 'howdy: a role is one of admin, moderator, none\n' });
  });

  it('token prints a new token once (64 hex), which the running server\'s admin API takes; the store keeps only its hash', async () => {
    const data = folder();
    const srv = await server(data);
    const made = howdy(['admin', 'token', '--data', data]);
    expect(await exited(made)).toBe(0);
    const token = /^([0-9a-f]{64})$/m.exec(made.output())![1]!;
    const api = `http://127.0.0.1:${srv.httpPort}/api/admin/users`;
    const ok = await fetch(api, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ users: [] });
    expect((await fetch(api, { headers: { authorization: `Bearer ${token.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}` } })).status).toBe(401);
    const { openStore } = await import('../../src/server/store/sqlite.js');
    const store = await openStore({ data });
    cleanups.push(() => store.close());
    expect(await store.moderation.hasToken(token)).toBe(false); // not the token itself
    const { tokenHash } = await import('../../src/http/admin-api.js');
    expect(await store.moderation.hasToken(tokenHash(token))).toBe(true);
  });

  it('reports lists the reported messages, open first, with who reported them and why', async () => {
    const data = folder();
    const srv = await server(data);
    const mod: FramedPeer = await framedUser(srv.port, 'mod', { password: 'correct horse', caps: ['accounts', 'history', 'moderation'] });
    cleanups.push(() => mod.end());
    expect(await admin(['reports'], data)).toEqual({ code: 0, out: 'no reports\n' });
    const amy: FramedPeer = await framedUser(srv.port, 'amy', { caps: ['history'] });
    cleanups.push(() => amy.end());
    const msgId = await sayStamped(amy, 'amy', 'All', 'buy "cheap" pills');
    const first = await ask(mod, MsgType.REPORT, { msgId: msgId!, text: 'spam' });
    const second = await ask(mod, MsgType.REPORT, { msgId: msgId! });
    expect((await admin(['grant', 'mod', 'moderator'], data)).code).toBe(0);
    await ask(mod, MsgType.MOD_REPORT_CLOSE, { reportId: second.reportId! });
    const listed = await admin(['reports'], data);
    expect(listed.code).toBe(0);
    expect(listed.out.trim().split('\n').map((l) => l.replace(/  \S+Z  /, '  TIME  '))).toEqual([
      `#${first.reportId}  TIME  open  mod reported message ${msgId}, amy to All: "buy \\"cheap\\" pills"  reason: spam`,
      `#${second.reportId}  TIME  closed by mod  mod reported message ${msgId}, amy to All: "buy \\"cheap\\" pills"`,
    ]);
  });
});

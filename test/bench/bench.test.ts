/** `howdy bench` drives real servers over loopback, briefly, and verifies every delivery. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failed } from '../../src/bench/report.js';
import { runBench, type BenchOptions } from '../../src/bench/run.js';
import { MsgType } from '../../src/protocol/index.js';
import { LocalRouter } from '../../src/server/core/router.js';
import type { Session } from '../../src/server/core/session.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { exited, freePort, howdy, listening } from '../helpers/spawn.js';

let server: TestServer | undefined;
let irc: ChildProcess | undefined;
afterEach(async () => {
  await server?.close();
  irc?.kill('SIGKILL');
  server = irc = undefined;
});

const base = (port: number): BenchOptions => ({
  proto: 'framed', host: '127.0.0.1', port, workload: 'broadcast', clients: 6, rooms: 1, size: 64, rate: undefined,
  window: 4, secs: 0.5, warmup: 0.2, connPar: 8, hold: 0.2, churnRate: 20, serverPid: process.pid,
});

describe('howdy bench', () => {
  it('the command measures a running server and reports every delivery intact (JSON)', async () => {
    server = await startTestServer({ messageRate: 0 });
    const bench = howdy(['bench', `127.0.0.1:${server.port}`, '--clients', '8', '--secs', '1', '--warmup', '0.3', '--json']);
    expect(await exited(bench)).toBe(0);
    const result = JSON.parse(bench.output().trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ proto: 'framed', workload: 'broadcast', clients: 8, lost: 0, corrupt: 0, duplicates: 0, reordered: 0 });
    expect(result.deliveries_per_s).toBeGreaterThan(0);
    expect(result.delivered).toBe(result.sent * 7);
    expect(result.lat_p99_us).toBeGreaterThan(0);
  });

  it.each([
    ['whisper', {}],
    ['mixed', { proto: 'classic' as const, rate: 200 }],
    ['mixed', {}],
    ['broadcast', { proto: 'ws' as const, rate: 300 }],
    ['churn', { rate: 100 }],
  ])('runs the %s workload with every delivery verified', async (workload, extra) => {
    server = await startTestServer({ httpPort: 0, messageRate: 0 });
    const o: BenchOptions = { ...base(server.port), workload: workload as BenchOptions['workload'], ...extra, url: `ws://127.0.0.1:${server.httpAddress!.port}/hcp` };
    const r = await runBench(o);
    expect(r.counts).toMatchObject({ lost: 0, corrupt: 0, duplicates: 0, reordered: 0 });
    expect(r.counts.delivered).toBeGreaterThan(0);
    const perMessage = workload === 'whisper' ? 1 : workload === 'broadcast' ? o.clients - 1 : undefined;
    if (perMessage) expect(r.counts.delivered).toBe(r.counts.sent * perMessage);
    if (workload === 'churn') expect(r.churnJoins).toBeGreaterThan(0);
  });

  it('connect: registers the users, checks every list ends complete, reads the server\'s memory', async () => {
    server = await startTestServer();
    const r = await runBench({ ...base(server.port), workload: 'connect', clients: 100 });
    expect(r.registrationsPerSecond).toBeGreaterThan(0);
    expect(r.serverRssKb).toBeGreaterThan(0);
    expect(r.presenceSettledMs).toBeGreaterThan(0); // every user's list came to hold all 100
    expect(r.presenceExact).toBe(true);
    await expect.poll(() => server!.core.names()).toHaveLength(0); // all left again
  });

  it('says so loudly and exits non-zero when deliveries go missing', async () => {
    server = await startTestServer({ maxTextBytes: 32, messageRate: 0 }); // refuses the bench's 64-byte texts
    const bench = howdy(['bench', `127.0.0.1:${server.port}`, '--clients', '3', '--secs', '0.5', '--warmup', '0']);
    expect(await exited(bench)).toBe(1);
    expect(bench.output()).toContain('FAILED');
    expect(bench.output()).toMatch(/lost \/ corrupt \/ duplicate \/ reordered\s+[1-9]/);
  });

  it('--irc measures a real IRC server (InspIRCd) with the same workloads', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'howdy-irc-'));
    const conf = join(dir, 'inspircd.conf');
    writeFileSync(conf, [
      '<server name="irc.test" description="bench test" network="Test">',
      '<admin name="t" nick="t" email="t@localhost">',
      `<bind address="127.0.0.1" port="${port}" type="clients">`,
      '<connect allow="127.0.0.1" name="t" timeout="60" pingfreq="120" hardsendq="16M" softsendq="16M" recvq="16M" threshold="1000000" commandrate="1000000000" fakelag="no" localmax="1000" globalmax="1000" resolvehostnames="no" useident="no">',
      '<performance softlimit="1000" clonesonconnect="no">',
    ].join('\n'));
    irc = spawn('inspircd', ['--nofork', '--nopid', '--runasroot', `--config=${conf}`], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 100));
    const r = await runBench({ ...base(port), proto: 'irc', workload: 'mixed', clients: 4, serverPid: irc.pid });
    expect(r.counts).toMatchObject({ lost: 0, corrupt: 0, duplicates: 0, reordered: 0 });
    expect(r.counts.delivered).toBeGreaterThan(0);
  });
});

/** A server whose rooms leak: every MESSAGE to a room goes to the whole lobby. */
class LobbyLeakingRouter extends LocalRouter<Session> {
  override toRoom(sender: Session | undefined, room: string, frame: Uint8Array, stamped?: Uint8Array): number {
    return sender && frame[4] === MsgType.MESSAGE ? this.toLobby(sender, frame, stamped) : super.toRoom(sender, room, frame, stamped);
  }
}

describe('howdy bench --workload rooms (docs/protocol.md §10.4)', () => {
  it('the command seats users in rooms: every member hears every message of its room, nobody else does, nothing is left behind', async () => {
    const running = (server = await startTestServer({ messageRate: 0 }));
    const bench = howdy(['bench', `127.0.0.1:${running.port}`, '--workload', 'rooms', '--rooms', '3', '--clients', '12', '--secs', '1', '--warmup', '0.3', '--json']);
    expect(await exited(bench)).toBe(0);
    const result = JSON.parse(bench.output().trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ workload: 'rooms', clients: 12, rooms: 3, lost: 0, corrupt: 0, duplicates: 0, reordered: 0, misrouted: 0 });
    expect(result.deliveries_per_s).toBeGreaterThan(0);
    expect(result.delivered).toBe(result.sent * 3); // rooms of 4: each message reaches the 3 other members
    // the owners' accounts were deleted, and their rooms with them
    expect(await running.store.accounts.keys()).toEqual([]);
    expect((await running.store.rooms.load()).rooms).toEqual([]);
  });

  it('runs over WebSocket, open loop', async () => {
    server = await startTestServer({ httpPort: 0, messageRate: 0 });
    const url = `ws://127.0.0.1:${server.httpAddress!.port}/hcp`;
    const r = await runBench({ ...base(server.port), proto: 'ws', url, workload: 'rooms', rooms: 2, clients: 6, rate: 300 });
    expect(r.counts).toMatchObject({ lost: 0, corrupt: 0, duplicates: 0, reordered: 0, misrouted: 0 });
    expect(r.counts.delivered).toBeGreaterThan(0);
    expect(r.counts.delivered).toBe(r.counts.sent * 2);
  });

  it('catches a server that relays room messages to the whole lobby', async () => {
    server = await startTestServer({ messageRate: 0 }, { router: new LobbyLeakingRouter() });
    const r = await runBench({ ...base(server.port), workload: 'rooms', rooms: 2, clients: 6 });
    // each message reaches its 2 room-mates and, wrongly, the 3 users of the other room
    expect(r.counts.misrouted).toBe(r.counts.sent * 3);
    expect(r.counts).toMatchObject({ lost: 0, duplicates: 0, reordered: 0 });
    expect(failed(r)).toBe(true);
  });

  it('refuses what cannot be measured: a wire without rooms, too few users, a server that offers no rooms', async () => {
    server = await startTestServer({ accounts: 'off' });
    const o: BenchOptions = { ...base(server.port), workload: 'rooms', rooms: 2, clients: 6 };
    await expect(runBench({ ...o, proto: 'classic' })).rejects.toThrow(/framed HCP\/2 or WebSocket/);
    await expect(runBench({ ...o, clients: 3 })).rejects.toThrow(/--clients 4/);
    await expect(runBench(o)).rejects.toThrow(/bench0000[01]-[0-9a-f]+: the server does not offer accounts and rooms/);
  });
});

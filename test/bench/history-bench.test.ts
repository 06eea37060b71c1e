/**
 * `howdy bench --workload history` (docs/protocol.md §11) against real servers over loopback:
 * fills the history, catches a reader up while the chat goes on, pages and searches, and verifies
 * the catch-up was exactly once and in order — and says so when a server's catch-up is not.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { exactlyOnce, runHistoryBench } from '../../src/bench/history.js';
import { historyFailed } from '../../src/bench/report.js';
import type { BenchOptions } from '../../src/bench/run.js';
import type { HistoryStore, Store } from '../../src/server/core/ports.js';
import { openStore } from '../../src/server/store/sqlite.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { exited, howdy } from '../helpers/spawn.js';

let server: TestServer | undefined;
let store: Store | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
  server = store = undefined;
});

const benchFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('howdy-bench-'));

describe('howdy bench --workload history', () => {
  it('the command spawns a server keeping history on disk, catches a reader up exactly once during live chat, pages and searches', async () => {
    const before = benchFolders();
    const bench = howdy(['bench', '--spawn', '--workload', 'history', '--clients', '6', '--stored', '3000', '--missed', '2000', '--live-rate', '300', '--pages', '20', '--searches', '10', '--json']);
    expect(await exited(bench)).toBe(0);
    const result = JSON.parse(bench.output().trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ workload: 'history', stored: 3000, missed: 2000, duplicates: 0, gaps: 0, reordered: 0, search_misses: 0 });
    expect(result.caught_up).toBeGreaterThanOrEqual(2000);
    expect(result.caught_up + result.live).toBeGreaterThan(2000); // the chat went on meanwhile
    expect(result.catch_up_ms).toBeGreaterThan(0);
    expect(result.index_lag_ms).toBeGreaterThanOrEqual(0);
    expect(result.page_ms.p99).toBeGreaterThan(0);
    expect(result.search_ms.p99).toBeGreaterThan(0);
    expect(result.server_rss_kb).toBeGreaterThan(0);
    expect(benchFolders()).toEqual(before); // its data folder removed
  });

  it('catches a server whose catch-up leaves a message out', async () => {
    store = await openStore({ data: ':memory:' });
    const real = store.history;
    const lossy = new Proxy(real, {
      get(target, key) {
        if (key === 'catchUp') return async (q: Parameters<HistoryStore['catchUp']>[0]) => (await target.catchUp(q)).filter((_, i) => i !== 7);
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    server = await startTestServer({ messageRate: 0 }, { accounts: store.accounts, rooms: store.rooms, history: lossy });
    const o: BenchOptions = {
      proto: 'framed', host: '127.0.0.1', port: server.port, workload: 'history', clients: 4, rooms: 1, size: 64, rate: undefined,
      window: 4, secs: 1, warmup: 0, connPar: 4, hold: 0, churnRate: 1, serverPid: undefined,
    };
    const result = await runHistoryBench(o, { stored: 100, missed: 300, liveRate: 50, pages: 2, searches: 2 }, () => {});
    expect(result.gaps).toBe(1);
    expect(historyFailed(result)).toBe(true);
  });

  it('counts each id brought twice, missing, or out of order', () => {
    expect(exactlyOnce(10, [11, 12, 13], [14, 15])).toEqual({ duplicates: 0, gaps: 0, reordered: 0 });
    expect(exactlyOnce(10, [11, 12, 13], [13, 14])).toEqual({ duplicates: 1, gaps: 0, reordered: 0 });
    expect(exactlyOnce(10, [11, 13], [14])).toEqual({ duplicates: 0, gaps: 1, reordered: 0 });
    expect(exactlyOnce(10, [11, 13, 12], [])).toEqual({ duplicates: 0, gaps: 0, reordered: 1 });
  });
});

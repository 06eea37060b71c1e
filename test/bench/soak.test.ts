import { describe, expect, it } from 'vitest';
import { judge } from '../../src/bench/soak.js';
import { exited, howdy } from '../helpers/spawn.js';

const samples = (rss: number[]) => rss.map((r, i) => ({ second: i, rssKb: r * 1024, handles: 30 }));

describe('howdy soak', () => {
  it('judges memory that keeps rising, or handles that do not come back, as a leak', () => {
    expect(judge(samples([100, 101, 100, 102, 101, 100, 101, 100]), 20, 21)).toBeUndefined();
    expect(judge(samples([100, 100, 100, 100, 110, 120, 130, 140]), 20, 21)).toMatch(/memory rose/);
    expect(judge(samples([100, 100, 100, 100]), 20, 60)).toMatch(/handles went from 20 to 60/);
  });

  it('runs a bounded soak against a spawned server: steady memory, handles back, nothing lost', async () => {
    const run = howdy(['soak', '--spawn', '--secs', '6', '--warmup', '1', '--every', '1', '--clients', '10', '--rate', '100', '--churn-rate', '20', '--json']);
    const code = await exited(run);
    const lines = run.output().trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ verdict: 'ok', lost: 0, corrupt: 0, duplicates: 0, reordered: 0 });
    expect(summary.churn_joins).toBeGreaterThan(50);
    expect(lines.filter((l) => l.rssKb > 0).length).toBeGreaterThanOrEqual(5);
    expect(code).toBe(0);
  });
});

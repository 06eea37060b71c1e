import { openHandles, readProcess } from './proc.js';
import { runBench, type BenchOptions, type BenchResult } from './run.js';

export interface SoakSample {
  second: number;
  rssKb: number;
  handles: number | undefined;
}

export interface SoakResult {
  samples: SoakSample[];
  /** Open handles once the churn users have left (compared with before the run). */
  handlesBefore: number | undefined;
  handlesAfter: number | undefined;
  bench: BenchResult;
  /** Why the server's resource use looks like a leak, if it does. */
  verdict: string | undefined;
}

/**
 * A steady mixed workload with users joining and leaving, for a chosen time, sampling the server's
 * memory and open handles at intervals. Memory that rises at every sample of the second half and
 * ends well above where it stood, or handles that do not come back, are reported as a leak.
 */
export async function soak(o: BenchOptions, everySeconds: number, onSample: (s: SoakSample) => void = () => {}): Promise<SoakResult> {
  const pid = o.serverPid;
  if (pid === undefined) throw new Error('soak needs the server process (--server-pid or --spawn) to watch its memory');
  const samples: SoakSample[] = [];
  const handlesBefore = openHandles(pid);
  const start = performance.now();
  const timer = setInterval(() => {
    const p = readProcess(pid);
    if (!p) return;
    const sample = { second: Math.round((performance.now() - start) / 1000), rssKb: p.rssKb, handles: openHandles(pid) };
    samples.push(sample);
    onSample(sample);
  }, everySeconds * 1000);
  let bench: BenchResult;
  try {
    bench = await runBench({ ...o, workload: 'churn' });
  } finally {
    clearInterval(timer);
  }
  await new Promise((r) => setTimeout(r, 1000)); // let the server see every close
  const handlesAfter = openHandles(pid);
  return { samples, handlesBefore, handlesAfter, bench, verdict: judge(samples, handlesBefore, handlesAfter) };
}

/** Growth allowed between the middle of the run and its end before "keeps growing" is said. */
const GROWTH_ALLOWED = 1.2;
const HANDLES_ALLOWED = 8;

export function judge(samples: SoakSample[], before: number | undefined, after: number | undefined): string | undefined {
  if (before !== undefined && after !== undefined && after > before + HANDLES_ALLOWED) {
    return `open handles went from ${before} to ${after} once every user had left`;
  }
  const second = samples.slice(Math.floor(samples.length / 2));
  if (second.length < 4) return undefined;
  const rising = second.every((s, i) => i === 0 || s.rssKb > second[i - 1]!.rssKb);
  const first = second[0]!.rssKb;
  const last = second[second.length - 1]!.rssKb;
  if (rising && last > first * GROWTH_ALLOWED) {
    return `memory rose at every sample of the second half, from ${Math.round(first / 1024)} to ${Math.round(last / 1024)} MiB`;
  }
  return undefined;
}

import type { BenchPeer } from './peers.js';
import type { Progress } from './run.js';

/**
 * Brings users first..first+count-1 in, `par` at a time; `open` resolves once a user is in (its
 * name accepted, and whatever else the workload has it do first).
 */
export async function openUsers(
  first: number, count: number, par: number, open: (index: number) => Promise<BenchPeer>, progress: Progress, phase = 'registering',
): Promise<BenchPeer[]> {
  const peers: BenchPeer[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      peers[i] = await open(first + i);
      progress(phase, ++done, count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(par, count) }, worker));
  return peers;
}

/**
 * A millisecond clock that is read per message without a system call: it ticks every 10 ms while
 * anything uses it, which is fine-grained enough for rate limits.
 */
let coarse = Date.now();
let ticker: ReturnType<typeof setInterval> | undefined;
export function coarseNow(): number {
  if (ticker === undefined) {
    ticker = setInterval(() => (coarse = Date.now()), 10);
    ticker.unref?.();
    coarse = Date.now();
  }
  return coarse;
}

/** A token bucket: `rate` tokens a second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = coarseNow();
  }

  /** Takes one token; false when there is none. */
  take(): boolean {
    const now = coarseNow();
    if (now !== this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Addresses of this machine, which the per-address limit leaves alone unless asked not to. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

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

/**
 * A token bucket: `messageRate` tokens a second (0: no limit), holding at most `messageBurst`; both
 * read at each take, so a reload's new limits apply to the connections already open.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly limits: { readonly messageRate: number; readonly messageBurst: number }) {
    this.tokens = limits.messageBurst;
    this.last = coarseNow();
  }

  /** Takes one token; false when there is none. */
  take(): boolean {
    const { messageRate: rate, messageBurst: burst } = this.limits;
    if (rate === 0) return true;
    const now = coarseNow();
    if (now !== this.last) {
      this.tokens = Math.min(burst, this.tokens + ((now - this.last) * rate) / 1000);
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

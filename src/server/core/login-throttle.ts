/**
 * Password guessing is slowed per account and per address (docs/protocol.md §10.3): after each
 * failed login the next attempt on that account must wait twice as long as the last (from
 * `baseDelayMs`), up to a lock-out window, and so must the address after a few free failures; a
 * success clears the account's count.
 */
/** Failures from one address before its own wait begins. */
const ADDRESS_FREE_FAILURES = 5;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly lockoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long `account` and `address` must still wait before a new attempt, in ms (0: go ahead). */
  waitMs(account: string, address: string): number {
    const t = this.now();
    const until = Math.max(this.failures.get(`a:${account}`)?.until ?? 0, this.failures.get(`ip:${address}`)?.until ?? 0);
    return Math.max(0, until - t);
  }

  failed(account: string, address: string): void {
    // one address may be many people (a household, an office behind NAT): it gets a few free tries
    for (const [key, free] of [[`a:${account}`, 0], [`ip:${address}`, ADDRESS_FREE_FAILURES]] as const) {
      const count = (this.failures.get(key)?.count ?? 0) + 1;
      const wait = count > free ? Math.min(this.lockoutMs, this.baseDelayMs * 2 ** (count - free - 1)) : 0;
      this.failures.set(key, { count, until: this.now() + wait });
    }
  }

  succeeded(account: string): void {
    this.failures.delete(`a:${account}`);
  }
}

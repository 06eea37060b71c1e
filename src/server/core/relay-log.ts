import { readText } from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';

/**
 * Logs relayed messages one line each, as the seed's server printed them, up to `perSecond` lines
 * a second; past that, one summary line a second says how many more were relayed. A busy server
 * so keeps an honest log without spending its time (and memory) writing it. The second is kept
 * by a timer, not by reading the clock per message.
 */
export class RelayLog {
  private logged = 0;
  private suppressed = { messages: 0, bytes: 0, deliveries: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly perSecond: number,
    private readonly logText: boolean,
  ) {}

  /** `text` is given only when texts are logged. */
  relayed(peer: number, from: string, to: string, bytes: number, receivers: number, text?: Uint8Array): void {
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), 1000);
      this.timer.unref?.();
    }
    if (this.logged < this.perSecond) {
      this.logged++;
      const fields = { peer, from, to, bytes, receivers };
      this.log.info(this.logText && text ? { ...fields, text: readText(text) } : fields, 'message relayed');
      return;
    }
    const s = this.suppressed;
    s.messages++;
    s.bytes += bytes;
    s.deliveries += receivers;
  }

  private tick(): void {
    this.flush();
    if (this.logged === 0) {
      clearInterval(this.timer); // quiet: the next relay starts a new second
      this.timer = undefined;
    }
    this.logged = 0;
  }

  /** Writes out the summary of what was not logged one by one (each second, and on shutdown). */
  flush(): void {
    const s = this.suppressed;
    if (s.messages === 0) return;
    this.suppressed = { messages: 0, bytes: 0, deliveries: 0 };
    this.log.info({ ...s, limit: this.perSecond }, 'more messages relayed than logged one by one');
  }
}

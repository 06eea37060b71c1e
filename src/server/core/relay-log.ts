import { readText } from '../../protocol/index.js';
import type { Logger } from './logger.js';

/**
 * Logs relayed messages one line each, as the seed's server printed them, up to `perSecond` lines
 * a second; past that, one summary line a second says how many more were relayed. A busy server
 * so keeps an honest log without spending its time (and memory) writing it.
 */
export class RelayLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = { messages: 0, bytes: 0, deliveries: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly perSecond: number,
    private readonly logText: boolean,
  ) {}

  /** `text` is given only when texts are logged. */
  relayed(peer: number, from: string, to: string, bytes: number, receivers: number, text?: Uint8Array): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.logged = 0;
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
    this.timer ??= setTimeout(() => this.summarise(), 1000 - (now - this.windowStart));
    this.timer.unref?.();
  }

  private summarise(): void {
    this.timer = undefined;
    const s = this.suppressed;
    this.suppressed = { messages: 0, bytes: 0, deliveries: 0 };
    if (s.messages > 0) this.log.info({ ...s, limit: this.perSecond }, 'more messages relayed than logged one by one');
  }

  /** Writes out a pending summary (on shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.summarise();
  }
}

import type { TurnEnd } from '../core/chat.js';
import { SharedBroadcast } from './shared-broadcast.js';

/** Something with output batched during one turn of the event loop. */
export interface Flushable {
  flush(): void;
}

/**
 * Collects the outputs written to during one turn of the event loop and flushes each once, after
 * all I/O callbacks of that turn: a broadcast to N peers costs N writes per turn, not N per message,
 * and (through the shared channel) one copy of its bytes, not N.
 */
export class FlushScheduler implements TurnEnd {
  private dirty: Flushable[] = [];
  private scheduled = false;
  /** The turn's shared broadcasts, written out after the links' own output. */
  readonly channel = new SharedBroadcast(() => this.wake());
  /**
   * The core's step before the writes (history is stored: docs/protocol.md §11). SQLite's answers
   * come in the same turn (microtasks only), so nothing is relayed between the store and the writes.
   */
  beforeWrites: (() => Promise<void> | undefined) | undefined;
  private readonly run = (): void => {
    this.scheduled = false;
    const stored = this.beforeWrites?.();
    if (stored) void stored.then(this.write);
    else this.write();
  };
  private readonly write = (): void => {
    const batch = this.dirty;
    this.dirty = [];
    for (const out of batch) out.flush();
    this.channel.flushTurn();
  };

  mark(out: Flushable): void {
    this.dirty.push(out);
    this.wake();
  }

  wake(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }
}

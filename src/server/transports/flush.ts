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
export class FlushScheduler {
  private dirty: Flushable[] = [];
  private scheduled = false;
  /** The turn's shared broadcasts, written out after the links' own output. */
  readonly channel = new SharedBroadcast(() => this.wake());
  private readonly run = (): void => {
    this.scheduled = false;
    const batch = this.dirty;
    this.dirty = [];
    for (const out of batch) out.flush();
    this.channel.flushTurn();
  };

  mark(out: Flushable): void {
    this.dirty.push(out);
    this.wake();
  }

  private wake(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }
}

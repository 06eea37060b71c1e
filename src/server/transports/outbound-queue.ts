/**
 * What one peer was sent during a turn of the event loop, waiting for the turn's flush, with the
 * slow-reader bound: when the queue, or what the socket could not write yet, passes
 * `maxQueuedBytes` (read each time: a reload may change it), the queue is dropped and the peer reported, once (the error that follows is the last thing
 * queued for it).
 */
export class OutboundQueue {
  frames: Uint8Array[] = [];
  bytes = 0;
  private overflowed = false;

  constructor(
    private readonly limits: { readonly maxQueuedBytes: number },
    private readonly onOverflow: () => void,
  ) {}

  /** Adds a frame; true when the queue was empty (the link must be flushed this turn). */
  push(frame: Uint8Array): boolean {
    this.frames.push(frame);
    this.bytes += frame.length;
    return this.frames.length === 1;
  }

  /** Empties the queue and gives what it held, to be written. */
  take(): Uint8Array[] {
    const frames = this.frames;
    this.frames = [];
    this.bytes = 0;
    return frames;
  }

  /** Applies the bound to the queue and to `unsent`, the bytes the transport still holds. */
  bound(unsent = 0): void {
    const max = this.limits.maxQueuedBytes;
    if (this.overflowed || (this.bytes <= max && unsent <= max)) return;
    this.overflowed = true;
    this.take();
    this.onOverflow();
  }
}

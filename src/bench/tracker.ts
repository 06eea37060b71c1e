import { ROOM_PREFIX } from '../protocol/index.js';
import { benchIndex, readStamp } from './stamp.js';

const ROOM_MARK = ROOM_PREFIX.charCodeAt(0);

/** Messages one sender has in flight: seq → deliveries still expected. */
class Outstanding {
  readonly remaining = new Map<number, number>();
  nextSeq = 0;
}

export interface Counts {
  sent: number;
  delivered: number;
  lost: number;
  corrupt: number;
  duplicates: number;
  reordered: number;
  /** Deliveries to a user outside the sender's room, or not addressed to a room (rooms only). */
  misrouted: number;
}

/**
 * Checks every delivery: from a known sender, a known message, exactly once, in order per sender,
 * to the receivers it was meant for; and measures its latency.
 */
export class Tracker {
  readonly counts: Counts = { sent: 0, delivered: 0, lost: 0, corrupt: 0, duplicates: 0, reordered: 0, misrouted: 0 };
  /** Counts inside the measurement window only. */
  window = { sent: 0, delivered: 0 };
  measuring = false;
  private readonly outstanding: Outstanding[];
  /** lastSeq[receiver][sender]: the last sequence number a receiver got from a sender. */
  private readonly lastSeq: Int32Array[];
  private latencies = new Float64Array(1 << 20);
  private latencyCount = 0;
  /** Called when one of the sender's messages has reached everyone it was for. */
  onComplete: (sender: number) => void = () => {};

  /**
   * @param roomOf each user's room when the users talk in rooms (docs/protocol.md §10.4): a
   * delivery must then come from the receiver's own room, addressed to a room.
   */
  constructor(
    readonly users: number,
    private readonly roomOf?: Int32Array,
  ) {
    this.outstanding = Array.from({ length: users }, () => new Outstanding());
    this.lastSeq = Array.from({ length: users }, () => new Int32Array(users).fill(-1));
  }

  /** Registers a message about to be sent; returns its sequence number. */
  sending(sender: number, receivers: number): number {
    const o = this.outstanding[sender]!;
    const seq = o.nextSeq++;
    o.remaining.set(seq, receivers);
    this.counts.sent++;
    if (this.measuring) this.window.sent++;
    return seq;
  }

  /** The sequence number the sender's next message will get. */
  nextSeq(sender: number): number {
    return this.outstanding[sender]!.nextSeq;
  }

  inFlight(sender: number): number {
    return this.outstanding[sender]!.remaining.size;
  }

  get pending(): number {
    return this.outstanding.reduce((n, o) => n + o.remaining.size, 0);
  }

  delivered(receiver: number, senderField: Uint8Array, receiverField: Uint8Array, text: Uint8Array, nowUs: number): void {
    const sender = benchIndex(senderField);
    const stamp = readStamp(text);
    if (sender < 0 || sender >= this.users || stamp === undefined) {
      this.counts.corrupt++;
      return;
    }
    if (this.roomOf && (this.roomOf[sender] !== this.roomOf[receiver] || receiverField[0] !== ROOM_MARK)) {
      this.counts.misrouted++;
      return;
    }
    const o = this.outstanding[sender]!;
    const left = o.remaining.get(stamp.seq);
    if (left === undefined) {
      if (stamp.seq < o.nextSeq) this.counts.duplicates++;
      else this.counts.corrupt++;
      return;
    }
    const last = this.lastSeq[receiver]!;
    if (stamp.seq <= last[sender]!) this.counts.reordered++;
    else last[sender] = stamp.seq;
    if (left <= 1) {
      o.remaining.delete(stamp.seq);
      this.onComplete(sender);
    } else o.remaining.set(stamp.seq, left - 1);
    this.counts.delivered++;
    if (this.measuring) {
      this.window.delivered++;
      if (this.latencyCount < this.latencies.length) this.latencies[this.latencyCount++] = nowUs - stamp.sentUs;
    }
  }

  /** After the drain: whatever is still expected was lost. */
  finish(): void {
    for (const o of this.outstanding) for (const left of o.remaining.values()) this.counts.lost += left;
  }

  latency(): { p50: number; p99: number; max: number } {
    const sorted = this.latencies.subarray(0, this.latencyCount).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return { p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 };
  }
}

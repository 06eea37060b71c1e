import { encodeFrame, MsgType, type PresenceChange } from '../../protocol/index.js';
import type { Session } from './session.js';

/**
 * Tells everyone who joined and left (seed requirement 7), coalescing the changes of one moment
 * into one frame per peer, encoded once for all of them. A change after a quiet spell goes out at
 * once; during a storm of joins the moment widens (2 ms per change in the last frame, up to half a
 * second), so each peer gets a frame per moment, not one per join.
 * - a peer registered during this moment gets the full UPDATE (itself included), once;
 * - other framed peers get one PRESENCE frame with the changes, in order (PROTOCOL-DECISIONS §2a);
 * - other classic peers get the seed's full UPDATE showing the result.
 * A newcomer's own join is in the PRESENCE only older peers get, so no peer hears of itself.
 */
const MAX_WINDOW_MS = 500;

export class PresenceBatcher {
  private changes: PresenceChange[] = [];
  private newcomers: Session[] = [];
  private scheduled = false;

  private lastFlush = 0;
  /** Changes the last flush carried: a storm widens the window, a quiet spell narrows it. */
  private lastBatch = 0;

  constructor(
    private readonly online: () => Iterable<Session>,
    private readonly onlineNames: () => string[],
    /** Shortest time between two flushes; 0 = once per turn of the event loop. */
    private readonly minWindowMs: number,
  ) {}

  /** 2 ms per change in the last flush, between the minimum and half a second. */
  private windowMs(): number {
    return this.minWindowMs > 0 ? Math.max(this.minWindowMs, Math.min(MAX_WINDOW_MS, this.lastBatch * 2)) : 0;
  }

  joined(session: Session): void {
    this.newcomers.push(session);
    this.record({ op: 0x01, name: session.name! });
  }

  left(name: string): void {
    this.record({ op: 0x02, name });
  }

  private record(change: PresenceChange): void {
    this.changes.push(change);
    if (!this.scheduled) {
      this.scheduled = true;
      // The first change after a quiet spell goes out at once; a storm of them, once a window.
      const wait = this.lastFlush + this.windowMs() - Date.now();
      if (wait > 0) setTimeout(() => this.flush(), wait);
      else setImmediate(() => this.flush());
    }
  }

  /** Sends what is pending now; idempotent, so callers may flush early to keep order. */
  flush(): void {
    if (!this.scheduled) return;
    this.scheduled = false;
    this.lastFlush = Date.now();
    this.lastBatch = this.changes.length;
    const changes = this.changes;
    const newcomers = new Set(this.newcomers);
    this.changes = [];
    this.newcomers = [];
    let update: Uint8Array | undefined;
    let presence: Uint8Array | undefined;
    for (const peer of this.online()) {
      if (newcomers.has(peer) || peer.link.wire === 'classic') {
        update ??= encodeFrame({ type: MsgType.UPDATE, names: this.onlineNames() });
        peer.link.send(update);
      } else {
        presence ??= encodeFrame({ type: MsgType.PRESENCE, changes });
        peer.link.send(presence);
      }
    }
  }
}

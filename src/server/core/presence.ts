import { encodeFrame, MsgType, type PresenceChange } from '../../protocol/index.js';
import type { Session } from './session.js';

/**
 * Tells everyone who joined and left (seed requirement 7), coalescing the changes of one moment
 * (one turn of the event loop) into one frame per peer, encoded once for all of them:
 * - a peer registered during this moment gets the full UPDATE (itself included), once;
 * - other framed peers get one PRESENCE frame with the changes, in order (PROTOCOL-DECISIONS §2a);
 * - other classic peers get the seed's full UPDATE showing the result.
 * A newcomer's own join is in the PRESENCE only older peers get, so no peer hears of itself.
 */
export class PresenceBatcher {
  private changes: PresenceChange[] = [];
  private newcomers: Session[] = [];
  private scheduled = false;

  private lastFlush = 0;

  constructor(
    private readonly online: () => Iterable<Session>,
    private readonly onlineNames: () => string[],
    /** Shortest time between two flushes; 0 = once per turn of the event loop. */
    private readonly windowMs: () => number,
  ) {}

  get pending(): boolean {
    return this.scheduled;
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

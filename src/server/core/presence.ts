import { encodeFrame, MsgType, type PresenceChange } from '../../protocol/index.js';
import type { Session } from './session.js';

/**
 * Tells everyone who joined and left (seed requirement 7), coalescing the changes of one moment
 * into one frame per peer, encoded once for all of them. A change after a quiet spell goes out at
 * once; during a storm of joins the moment widens (2 ms per change in the last frame, up to half a
 * second), so each peer gets a frame per moment, not one per join.
 * - other framed peers get one PRESENCE frame with the changes, in order (docs/protocol.md §5.3);
 * - classic peers get the seed's full UPDATE showing the result (a newcomer its first);
 * - a framed newcomer gets the full UPDATE (itself included) once, after the moment of its join,
 *   and no PRESENCE before it: the list it gets shows those changes already.
 * A newcomer's own join is in the PRESENCE only older peers get, so no peer hears of itself.
 *
 * Each full list is 64 bytes a user, so a join storm of N users owes the newcomers N²·32 bytes
 * (3.2 GB for 10 000). Those lists go out a few megabytes per turn of the event loop
 * (welcomeBytesPerTurn), in order of joining, so that a storm never stalls the server: prefaces,
 * ACKs and messages keep flowing.
 */
const MAX_WINDOW_MS = 500;

export class PresenceBatcher {
  private changes: PresenceChange[] = [];
  /** Registered during this moment. */
  private newcomers = new Set<Session>();
  /** Framed peers whose join went out, waiting (in order of joining) for their first list. */
  private readonly awaiting = new Set<Session>();
  /** The list as of the last flush, encoded once; what awaiting peers are sent. */
  private list: Uint8Array | undefined;
  private scheduled = false;
  private welcoming = false;

  private lastFlush = 0;
  /** Changes the last flush carried: a storm widens the window, a quiet spell narrows it. */
  private lastBatch = 0;

  constructor(
    private readonly online: () => Iterable<Session>,
    private readonly onlineNames: () => string[],
    /** Shortest time between two flushes; 0 = once per turn of the event loop. */
    private readonly minWindowMs: number,
    /** Full lists written to newcomers per turn of the event loop, at most (one, if larger). */
    private readonly welcomeBytesPerTurn: number,
    /** Told of each newcomer right after its first list went out (its first STATUS and NOTICE follow it: docs/protocol.md §10.3, §10.5). */
    private readonly welcomed: (peer: Session) => void = () => {},
  ) {}

  /** 2 ms per change in the last flush, between the minimum and half a second. */
  private windowMs(): number {
    return this.minWindowMs > 0 ? Math.max(this.minWindowMs, Math.min(MAX_WINDOW_MS, this.lastBatch * 2)) : 0;
  }

  joined(session: Session): void {
    this.newcomers.add(session);
    this.record({ op: 0x01, name: session.name! });
  }

  left(session: Session): void {
    this.newcomers.delete(session);
    this.awaiting.delete(session);
    this.record({ op: 0x02, name: session.name! });
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
    this.changes = [];
    const newcomers = this.newcomers;
    for (const peer of newcomers) if (peer.link.wire === 'framed') this.awaiting.add(peer);
    this.newcomers = new Set();
    // Encoded now, for the peers awaiting a list, even those sent theirs in a later turn: the
    // changes after this moment reach them as PRESENCE, once they have it.
    this.list = this.awaiting.size > 0 ? encodeFrame({ type: MsgType.UPDATE, names: this.onlineNames() }) : undefined;
    let presence: Uint8Array | undefined;
    for (const peer of this.online()) {
      if (this.awaiting.has(peer)) continue;
      if (peer.link.wire === 'classic') {
        this.list ??= encodeFrame({ type: MsgType.UPDATE, names: this.onlineNames() });
        peer.link.send(this.list);
        if (newcomers.has(peer)) this.welcomed(peer);
      } else {
        presence ??= encodeFrame({ type: MsgType.PRESENCE, changes });
        peer.link.send(presence);
      }
    }
    if (!this.welcoming) this.welcome();
  }

  /** Sends awaiting peers their first list, up to the turn's budget; the rest in the next turns. */
  private readonly welcome = (): void => {
    this.welcoming = false;
    let budget = this.welcomeBytesPerTurn;
    for (const peer of this.awaiting) {
      if (budget <= 0) break;
      this.awaiting.delete(peer);
      peer.link.send(this.list!);
      this.welcomed(peer);
      budget -= this.list!.length;
    }
    if (this.awaiting.size > 0 && !this.welcoming) {
      this.welcoming = true;
      setImmediate(this.welcome);
    }
  };
}

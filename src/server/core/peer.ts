/** The wire form a peer speaks: the seed's classic HCP/1, or our framed HCP/2 (also over WebSocket). */
export type Wire = 'classic' | 'framed';

/**
 * What the chat core sees of a connection: something it can send frames to and close. Each
 * transport (TCP classic, TCP framed, WebSocket) implements it; the core knows no socket.
 */
export interface PeerLink {
  readonly wire: Wire;
  /** Transport name for logs: "tcp", "ws", … */
  readonly transport: string;
  /** Remote address and port, for logs. */
  readonly remote: string;
  /**
   * Queues one encoded frame (u32 length + type + body, as `encodeFrame` makes it). The same
   * bytes go to many peers: transports must not modify them, and send the view their wire needs.
   */
  send(frame: Uint8Array): void;
  /** Flushes what is queued, then closes the connection. */
  close(): void;
  /** Stops reading from the peer (its messages wait in its connection) until resumeReading. */
  pauseReading(): void;
  resumeReading(): void;
  /**
   * Set by links whose transport shares broadcasts among its connections (see BroadcastChannel):
   * once registered, such a link receives broadcasts through the channel, not through `send`.
   */
  readonly channel?: BroadcastChannel;
}

/** The two forms of a message: MESSAGE, and STAMPED for peers granted history (docs/protocol.md §11). */
export type Form = 'plain' | 'stamped';

/**
 * A transport's shared path for broadcasts: one frame for all of its member links, or for those of
 * them in one room.
 */
export interface BroadcastChannel {
  readonly memberCount: number;
  /** `stamped`: the link takes the STAMPED form of messages (docs/protocol.md §11), not MESSAGE. */
  subscribe(link: PeerLink, stamped: boolean): void;
  unsubscribe(link: PeerLink): void;
  /** The member link is now in `room` (a room's key): the room's broadcasts from now on reach it. */
  enterRoom(link: PeerLink, room: string): void;
  leaveRoom(link: PeerLink, room: string): void;
  /**
   * `frame` for every member but `sender` (which may or may not be a member, or none), or, given a
   * room, for every member in it but `sender`; given a form, only for the members taking it; never
   * for the members in `except` (docs/protocol.md §10.7).
   */
  broadcast(frame: Uint8Array, sender: PeerLink | undefined, room?: string, form?: Form, except?: ReadonlySet<PeerLink>): void;
}

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
}

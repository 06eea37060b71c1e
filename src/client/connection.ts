/** The wire form of a client's connection. */
export type Wire = 'classic' | 'framed';

/**
 * A connection to an HCP server as the client sees it, whatever carries it (TCP, WebSocket).
 * Frames go in and out as `encodeFrame` makes them (u32 length + type + body).
 */
export interface Connection {
  readonly wire: Wire;
  /** Where it is connected, for people: "host:port" or a URL. */
  readonly address: string;
  send(frame: Uint8Array): void;
  close(): void;
  /** Set by the client: one decoded message. */
  onFrame: (type: number, body: Uint8Array) => void;
  /** Set by the client: the connection ended. */
  onClose: (reason: string) => void;
}

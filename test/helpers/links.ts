import type { PeerLink, Wire } from '../../src/server/core/peer.js';

/** A connection as the core sees it, with no socket behind it: frames sent go to `onSend`. */
export function fakeLink(onSend: (frame: Uint8Array) => void = () => {}, wire: Wire = 'framed'): PeerLink {
  return { wire, transport: 'test', remote: 'test', send: onSend, close: () => {}, pauseReading: () => {}, resumeReading: () => {} };
}

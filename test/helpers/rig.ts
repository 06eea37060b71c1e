import { afterEach } from 'vitest';
import type { AnyPeer } from './clients.js';

/**
 * The raw peers a test opens, destroyed after it, and then the test's server closed: `track`
 * returns the peer it is given, so `const a = track(await join(…))` reads as one step.
 */
export function trackPeers(server: () => { close(): Promise<void> } | undefined) {
  const peers: AnyPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.socket.destroy();
    await server()?.close();
  });
  return { peers, track: <P extends AnyPeer>(p: P): P => (peers.push(p), p) };
}

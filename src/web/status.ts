import type { LinkState } from './chat.js';

/** The header's one line about the connection. */
export function statusText(state: LinkState, server: string, me: string | undefined): string {
  switch (state.kind) {
    case 'connecting':
      return 'connecting…';
    case 'ready':
    case 'joined':
      return `connected to ${server}`;
    case 'reclaiming':
      return `waiting for the server to release "${me}"…`;
    case 'reconnecting':
      return `disconnected, reconnecting in ${state.inSeconds} s…`;
    case 'left':
      return 'you left';
  }
}

import type { SessionState } from '../client/index.js';
import { ErrorCode } from '../protocol/index.js';

/** The header's one line about the connection. */
export function statusText(state: SessionState, server: string, left: boolean): string {
  if (left) return 'you left';
  switch (state.kind) {
    case 'connecting':
      return 'connecting…';
    case 'naming':
      return state.waitingFor ? `waiting for the server to release "${state.waitingFor}"…` : `connected to ${server}`;
    case 'joined':
      return `connected to ${server}`;
    case 'disconnected':
      return `disconnected, reconnecting in ${Math.ceil(state.retryInMs / 1000)} s…`;
    case 'removed':
      return state.code === ErrorCode.BANNED ? 'disconnected: you are banned' : 'disconnected: you were kicked';
  }
}

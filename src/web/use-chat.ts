import { useEffect, useReducer } from 'preact/hooks';
import type { PageChat } from './chat.js';

/** Redraws the calling component whenever the chat changes. */
export function useChat(chat: PageChat): void {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => chat.on('change', redraw), [chat]);
}

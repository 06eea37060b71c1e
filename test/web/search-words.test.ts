/** How the web client marks the words searched for in a hit, and names a hit's conversation (docs/protocol.md §11, SEARCH). */
import { describe, expect, it } from 'vitest';
import { conversationLabel, markedPieces } from '../../src/web/search-words.js';

const marked = (text: string, query: string) => markedPieces(text, query).map((p) => (p.marked ? `[${p.text}]` : p.text)).join('');

describe('search hits', () => {
  it('marks each word of the query as a whole word, without regard to case or accents', () => {
    expect(marked('Marmalade on toast, more marmalade!', 'MARMALADE toast')).toBe('[Marmalade] on [toast], more [marmalade]!');
    expect(marked('Un café à Sevilla', 'cafe sevilla')).toBe('Un [café] à [Sevilla]');
    expect(marked('toaster', 'toast')).toBe('toaster'); // a whole word, as the index finds them
    expect(marked('no hit here', 'tea')).toBe('no hit here');
  });

  it('names the lobby, a room and the whispers with someone', () => {
    expect(conversationLabel('All')).toBe('Everyone');
    expect(conversationLabel('#tea')).toBe('#tea');
    expect(conversationLabel('carol')).toBe('Whispers with carol');
  });
});

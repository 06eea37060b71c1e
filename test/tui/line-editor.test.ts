import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../src/tui/line-editor.js';
import { visibleUsers } from '../../src/tui/user-list.js';

describe('terminal client line editing', () => {
  it('edits a line with a cursor, by code point', () => {
    const e = new LineEditor();
    e.insert('héllo 🤠');
    e.backspace();
    expect(e.text).toBe('héllo ');
    e.left();
    e.home();
    e.insert('> ');
    e.end();
    e.insert('world');
    e.deleteWord();
    expect(e.take()).toBe('> héllo ');
    expect(e.text).toBe('');
  });
});

describe('the online list in a small terminal', () => {
  const many = Array.from({ length: 30 }, (_, i) => `u${i}`);
  it('shows everyone when they fit', () => {
    expect(visibleUsers(['a', 'b'], 5, ['a'])).toEqual({ shown: ['a', 'b'], more: 0 });
  });
  it('shows the first ones, the user and the one whispered to, and how many more', () => {
    const { shown, more } = visibleUsers(many, 6, ['u20', 'u29']);
    expect(shown).toEqual(['u0', 'u1', 'u2', 'u20', 'u29']); // 5 lines + the "more" line
    expect(more).toBe(25);
  });
});

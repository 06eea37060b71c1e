import { describe, expect, it } from 'vitest';
import { nameCompletions, parseCommand } from '../../src/tui/commands.js';
import { LineEditor } from '../../src/tui/line-editor.js';
import { visibleUsers } from '../../src/tui/user-list.js';

const users = ['alice', 'Jon Stewart', 'Jon', 'bob'];

describe('terminal client commands', () => {
  it('sends plain lines to the current target', () => {
    expect(parseCommand('hello', 'All', users)).toEqual({ kind: 'say', to: 'All', text: 'hello' });
    expect(parseCommand('hello', 'bob', users)).toEqual({ kind: 'say', to: 'bob', text: 'hello' });
    expect(parseCommand('//slash', 'All', users)).toEqual({ kind: 'say', to: 'All', text: '/slash' });
  });
  it('whispers with /w, names with spaces included', () => {
    expect(parseCommand('/w bob hi there', 'All', users)).toEqual({ kind: 'say', to: 'bob', text: 'hi there' });
    expect(parseCommand('/w Jon Stewart hi', 'All', users)).toEqual({ kind: 'say', to: 'Jon Stewart', text: 'hi' });
    expect(parseCommand('/w Jon hi', 'All', users)).toEqual({ kind: 'say', to: 'Jon', text: 'hi' });
    expect(parseCommand('/w bob', 'All', users)).toEqual({ kind: 'target', to: 'bob' });
    expect(parseCommand('/all', 'bob', users)).toEqual({ kind: 'target', to: 'All' });
    expect(parseCommand('/w', 'All', users).kind).toBe('invalid');
    expect(parseCommand('/frobnicate', 'All', users).kind).toBe('invalid');
    expect(parseCommand('/quit', 'All', users)).toEqual({ kind: 'quit' });
  });
  it('completes the name being typed', () => {
    expect(nameCompletions('/w J', users)).toEqual({ base: '/w ', candidates: ['Jon Stewart', 'Jon'] });
    expect(nameCompletions('b', users)).toEqual({ base: '', candidates: ['bob'] });
    expect(nameCompletions('x', users).candidates).toEqual([]);
  });
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

import { describe, expect, it } from 'vitest';
import { actionOf, nameCompletions, parseCommand } from '../../src/client/commands.js';

const users = ['alice', 'Jon Stewart', 'Jon', 'bob'];
const ctx = (target = 'All', lastWhisperer?: string) => ({ target, users, lastWhisperer });

describe('slash commands (both clients)', () => {
  it('sends plain lines to the current target', () => {
    expect(parseCommand('hello', ctx())).toEqual({ kind: 'say', to: 'All', text: 'hello' });
    expect(parseCommand('hello', ctx('bob'))).toEqual({ kind: 'say', to: 'bob', text: 'hello' });
    expect(parseCommand('//slash', ctx())).toEqual({ kind: 'say', to: 'All', text: '/slash' });
  });
  it('whispers with /w and /msg, names with spaces included', () => {
    expect(parseCommand('/w bob hi there', ctx())).toEqual({ kind: 'say', to: 'bob', text: 'hi there' });
    expect(parseCommand('/msg bob hi', ctx())).toEqual({ kind: 'say', to: 'bob', text: 'hi' });
    expect(parseCommand('/w Jon Stewart hi', ctx())).toEqual({ kind: 'say', to: 'Jon Stewart', text: 'hi' });
    expect(parseCommand('/w Jon hi', ctx())).toEqual({ kind: 'say', to: 'Jon', text: 'hi' });
    expect(parseCommand('/w bob', ctx())).toEqual({ kind: 'target', to: 'bob' });
    expect(parseCommand('/all', ctx('bob'))).toEqual({ kind: 'target', to: 'All' });
    expect(parseCommand('/all hi all', ctx('bob'))).toEqual({ kind: 'say', to: 'All', text: 'hi all' });
    expect(parseCommand('/w', ctx()).kind).toBe('invalid');
    expect(parseCommand('/quit', ctx())).toEqual({ kind: 'quit' });
  });
  it('never sends an unknown command', () => {
    expect(parseCommand('/frobnicate now', ctx()).kind).toBe('invalid');
    expect(parseCommand('/W carol hi', ctx())).toEqual({ kind: 'say', to: 'carol', text: 'hi' });
  });
  it('replies to the last whisper with /r', () => {
    expect(parseCommand('/r sure', ctx('All', 'Jon Stewart'))).toEqual({ kind: 'say', to: 'Jon Stewart', text: 'sure' });
    expect(parseCommand('/r', ctx('All', 'bob'))).toEqual({ kind: 'target', to: 'bob' });
    expect(parseCommand('/r hi', ctx()).kind).toBe('invalid');
  });
  it('sends /me as an action to the current target', () => {
    const cmd = parseCommand('/me waves', ctx('bob'));
    expect(cmd).toEqual({ kind: 'say', to: 'bob', text: '/me waves' });
    expect(actionOf('/me waves')).toBe('waves');
    expect(actionOf('me waves')).toBeUndefined();
    expect(parseCommand('/me', ctx()).kind).toBe('invalid');
  });
  it('completes the name being typed', () => {
    expect(nameCompletions('/w J', users)).toEqual({ base: '/w ', candidates: ['Jon Stewart', 'Jon'] });
    expect(nameCompletions('b', users)).toEqual({ base: '', candidates: ['bob'] });
    expect(nameCompletions('x', users).candidates).toEqual([]);
  });
});

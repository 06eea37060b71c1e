import { describe, expect, it } from 'vitest';
import { ACCOUNT_COMMANDS, actionOf, isAccountCommand, nameCompletions, parseCommand } from '../../src/client/commands.js';

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

describe('account commands (docs/protocol.md §10.3)', () => {
  const parse = (line: string) => parseCommand(line, ctx(), { accounts: true });
  it('parses /register, /login, /password and /unregister, never with a password in the line', () => {
    expect(parse('/register')).toEqual({ kind: 'register' });
    expect(parse('/register Jon Stewart')).toEqual({ kind: 'register', name: 'Jon Stewart' });
    expect(parse('/login Jon Stewart')).toEqual({ kind: 'login', name: 'Jon Stewart' });
    expect(parse('/login')).toEqual({ kind: 'invalid', reason: 'usage: /login NAME (the password is asked for next)' });
    expect(parse('/password')).toEqual({ kind: 'password' });
    expect(parse('/unregister')).toEqual({ kind: 'unregister' });
  });
  it('parses /whois, /status and /profile', () => {
    expect(parse('/whois bob')).toEqual({ kind: 'whois', name: 'bob' });
    expect(parse('/whois').kind).toBe('invalid');
    expect(parse('/status away  out for lunch')).toEqual({ kind: 'status', status: 'away', message: 'out for lunch' });
    expect(parse('/status BUSY')).toEqual({ kind: 'status', status: 'busy', message: '' });
    expect(parse('/status sleeping')).toEqual({ kind: 'invalid', reason: 'usage: /status available|away|busy [message]' });
    expect(parse('/profile name Alice Liddell')).toEqual({ kind: 'profile', field: 'displayName', text: 'Alice Liddell' });
    expect(parse('/profile about I chat')).toEqual({ kind: 'profile', field: 'about', text: 'I chat' });
    expect(parse('/profile')).toEqual({ kind: 'profile', text: '' });
    expect(parse('/profile constructor x').kind).toBe('invalid');
    expect(isAccountCommand(parse('/whois bob'))).toBe(true);
    expect(isAccountCommand(parse('/who'))).toBe(false);
  });
  it('leaves them unknown to a client that does not handle accounts, and lists them for /help', () => {
    expect(parseCommand('/register', ctx()).kind).toBe('invalid');
    expect(ACCOUNT_COMMANDS.map((c) => c.usage.split(' ')[0])).toEqual(
      ['/register', '/login', '/password', '/unregister', '/whois', '/status', '/profile', '/profile', '/profile'],
    );
  });
});

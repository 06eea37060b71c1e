import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_COMMANDS, actionOf, HISTORY_COMMANDS, isAccountCommand, isHistoryCommand, isModerationCommand, isRoomCommand, MODERATION_COMMANDS, nameCompletions,
  parseCommand, ROOM_COMMANDS,
} from '../../src/client/commands.js';
import { reportedMessageId } from '../../src/client/moderation.js';

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
    expect(parse('/away back at 3')).toEqual({ kind: 'status', status: 'away', message: 'back at 3' });
    expect(parse('/BUSY')).toEqual({ kind: 'status', status: 'busy', message: '' });
    expect(parse('/back')).toEqual({ kind: 'status', status: 'available', message: '' });
    expect(parse('/profile name Alice Liddell')).toEqual({ kind: 'profile', field: 'displayName', text: 'Alice Liddell' });
    expect(parse('/profile about I chat')).toEqual({ kind: 'profile', field: 'about', text: 'I chat' });
    expect(parse('/profile')).toEqual({ kind: 'profile', text: '' });
    expect(parse('/profile constructor x').kind).toBe('invalid');
    expect(isAccountCommand(parse('/whois bob'))).toBe(true);
    expect(isAccountCommand(parse('/who'))).toBe(false);
  });
  it('parses /block, /unblock and /blocks (§10.7)', () => {
    expect(parse('/block Jon Stewart')).toEqual({ kind: 'block', name: 'Jon Stewart' });
    expect(parse('/UNBLOCK bob')).toEqual({ kind: 'unblock', name: 'bob' });
    expect(parse('/blocks')).toEqual({ kind: 'blocks' });
    expect(parse('/block')).toEqual({ kind: 'invalid', reason: 'usage: /block NAME' });
    expect(isAccountCommand(parse('/unblock bob'))).toBe(true);
  });
  it('leaves them unknown to a client that does not handle accounts, and lists them for /help', () => {
    expect(parseCommand('/register', ctx()).kind).toBe('invalid');
    expect(ACCOUNT_COMMANDS.map((c) => c.usage.split(' ')[0])).toEqual(
      ['/register', '/login', '/password', '/unregister', '/whois', '/status', '/away', '/back', '/profile', '/profile', '/profile', '/block', '/unblock', '/blocks'],
    );
  });
});

describe('room commands (docs/protocol.md §10.4)', () => {
  const parse = (line: string, target = 'All') => parseCommand(line, ctx(target), { rooms: true });
  it('joins, with or without the #, and parts the room typed or the one of the window', () => {
    expect(parse('/join #tea')).toEqual({ kind: 'join', room: '#tea' });
    expect(parse('/j tea')).toEqual({ kind: 'join', room: '#tea' });
    expect(parse('/join #').kind).toBe('invalid');
    expect(parse('/join').kind).toBe('invalid');
    expect(parse('/part', '#tea')).toEqual({ kind: 'part', room: '#tea' });
    expect(parse('/leave #dev', '#tea')).toEqual({ kind: 'part', room: '#dev' });
    expect(parse('/part')).toEqual({ kind: 'invalid', reason: "usage: /part #room (in a room's window, the room may be left out)" });
  });
  it('lists rooms and members, shows and sets the topic of the window', () => {
    expect(parse('/rooms')).toEqual({ kind: 'rooms' });
    expect(parse('/list')).toEqual({ kind: 'rooms' });
    expect(parse('/members', '#tea')).toEqual({ kind: 'members', room: '#tea' });
    expect(parse('/names #dev')).toEqual({ kind: 'members', room: '#dev' });
    expect(parse('/topic', '#tea')).toEqual({ kind: 'topic', room: '#tea' });
    expect(parse('/topic Oolong and more', '#tea')).toEqual({ kind: 'topic', room: '#tea', topic: 'Oolong and more' });
    expect(parse('/topic -delete', '#tea')).toEqual({ kind: 'topic', room: '#tea', topic: '' });
    expect(parse('/topic hi', 'bob').kind).toBe('invalid');
  });
  it('invites, kicks and gives roles to names with spaces, in the room typed after them or the window\'s', () => {
    expect(parse('/invite Jon Stewart', '#tea')).toEqual({ kind: 'invite', room: '#tea', name: 'Jon Stewart' });
    expect(parse('/invite Jon Stewart #dev', '#tea')).toEqual({ kind: 'invite', room: '#dev', name: 'Jon Stewart' });
    expect(parse('/kick bob #tea')).toEqual({ kind: 'kick', room: '#tea', name: 'bob' });
    expect(parse('/kick bob').kind).toBe('invalid');
    expect(parse('/invite', '#tea').kind).toBe('invalid');
    expect(parse('/op bob', '#tea')).toEqual({ kind: 'role', room: '#tea', name: 'bob', role: 'operator' });
    expect(parse('/deop bob', '#tea')).toEqual({ kind: 'role', room: '#tea', name: 'bob', role: 'member' });
    expect(parse('/handover bob #tea')).toEqual({ kind: 'role', room: '#tea', name: 'bob', role: 'owner' });
  });
  it('makes a room private or public; deletes only a room named out', () => {
    expect(parse('/private', '#tea')).toEqual({ kind: 'privacy', room: '#tea', private: true });
    expect(parse('/public #tea')).toEqual({ kind: 'privacy', room: '#tea', private: false });
    expect(parse('/history joined', '#tea')).toEqual({ kind: 'roomHistory', room: '#tea', history: 'joined' });
    expect(parse('/history ALL', '#tea')).toEqual({ kind: 'roomHistory', room: '#tea', history: 'all' });
    expect(parse('/history', '#tea')).toEqual({ kind: 'roomHistory', room: '#tea' });
    expect(parse('/history joined')).toMatchObject({ kind: 'invalid' }); // in a room's window only
    expect(parse('/history later', '#tea')).toMatchObject({ kind: 'invalid' });
    expect(parse('/delete #tea', '#tea')).toEqual({ kind: 'delete', room: '#tea' });
    expect(parse('/delete', '#tea').kind).toBe('invalid');
  });
  it('sends plain text and /me to the room of the window; /msg #room speaks to a room', () => {
    expect(parse('hello', '#tea')).toEqual({ kind: 'say', to: '#tea', text: 'hello' });
    expect(parse('/me pours', '#tea')).toEqual({ kind: 'say', to: '#tea', text: '/me pours' });
    expect(parse('/msg #tea hi')).toEqual({ kind: 'say', to: '#tea', text: 'hi' });
  });
  it('leaves them unknown to a client that does not handle rooms, and lists them for /help', () => {
    expect(parseCommand('/join #tea', ctx()).kind).toBe('invalid');
    expect(parseCommand('/join #tea', ctx(), { accounts: true }).kind).toBe('invalid');
    expect(isRoomCommand(parse('/rooms'))).toBe(true);
    expect(isRoomCommand(parse('/who'))).toBe(false);
    expect(ROOM_COMMANDS.map((c) => c.usage.split(' ')[0])).toContain('/join');
  });
});

describe('history commands (docs/protocol.md §11)', () => {
  const parse = (line: string, target = 'All') => parseCommand(line, ctx(target), { rooms: true, history: true });
  it('searches for words; /delete alone takes back the last message, /delete #room is still the room\'s', () => {
    expect(parse('/search green  tea')).toEqual({ kind: 'search', query: 'green  tea' });
    expect(parse('/find tea')).toEqual({ kind: 'search', query: 'tea' });
    expect(parse('/search')).toEqual({ kind: 'invalid', reason: 'usage: /search WORDS' });
    expect(parse('/delete', '#tea')).toEqual({ kind: 'unsend' });
    expect(parse('/delete #tea', '#tea')).toEqual({ kind: 'delete', room: '#tea' });
    expect(isHistoryCommand(parse('/delete'))).toBe(true);
    expect(isHistoryCommand(parse('/delete #tea'))).toBe(false);
  });

  it('/report takes a name (an online one may hold spaces) and a reason, either left out', () => {
    expect(parse('/report Jon Stewart spam and insults')).toEqual({ kind: 'report', who: 'Jon Stewart', reason: 'spam and insults' });
    expect(parse('/report 42')).toEqual({ kind: 'report', who: '42' });
    expect(parse('/report')).toEqual({ kind: 'report' });
    expect(isHistoryCommand(parse('/report bob'))).toBe(true);
  });

  it('/report finds the last message of NAME shown (any case), else an id in digits, else the last of someone else', () => {
    const shown = [{ id: 4, from: 'bob', own: false }, { id: 5, from: 'Bob', own: false }, { id: 6, from: 'me', own: true }, { id: 7, from: 'amy', own: false }];
    expect(reportedMessageId(shown, 'BOB')).toBe(5);
    expect(reportedMessageId(shown, undefined)).toBe(7);
    expect(reportedMessageId(shown, '42')).toBe(42);
    expect(reportedMessageId(shown, 'me')).toBeUndefined(); // one's own is not reported
    expect(reportedMessageId([{ id: 6, from: 'me', own: true }], undefined)).toBeUndefined();
  });
  it('leaves them unknown to a client that does not handle history, and lists them for /help', () => {
    expect(parseCommand('/search tea', ctx(), { rooms: true }).kind).toBe('invalid');
    expect(HISTORY_COMMANDS.map((c) => c.usage.split(' ')[0])).toEqual(['/search', '/delete', '/report']);
  });
});

describe('moderation commands (docs/protocol.md §10.6)', () => {
  const parse = (line: string, target = 'All') => parseCommand(line, ctx(target), { rooms: true, moderation: true });
  it('warns, mutes and disconnects by name, names with spaces included', () => {
    expect(parse('/users')).toEqual({ kind: 'onlineUsers' });
    expect(parse('/warn Jon Stewart mind your words')).toEqual({ kind: 'warn', name: 'Jon Stewart', text: 'mind your words' });
    expect(parse('/warn bob')).toEqual({ kind: 'invalid', reason: 'usage: /warn NAME text' });
    expect(parse('/kick bob spamming the lobby')).toEqual({ kind: 'disconnect', name: 'bob', reason: 'spamming the lobby' });
    expect(parse('/kick bob')).toEqual({ kind: 'disconnect', name: 'bob' });
    expect(parse('/mute Jon Stewart 15')).toEqual({ kind: 'mute', name: 'Jon Stewart', minutes: 15 });
    expect(parse('/mute bob 0')).toEqual({ kind: 'mute', name: 'bob', minutes: 0 });
    expect(parse('/mute bob').kind).toBe('invalid');
    expect(isModerationCommand(parse('/mute bob 5'))).toBe(true);
  });
  it("keeps /kick the room's with a #room or in a room's window; /kill is the server's anywhere", () => {
    expect(parse('/kick bob #tea')).toEqual({ kind: 'kick', room: '#tea', name: 'bob' });
    expect(parse('/kick bob', '#tea')).toEqual({ kind: 'kick', room: '#tea', name: 'bob' });
    expect(parse('/kill bob flood', '#tea')).toEqual({ kind: 'disconnect', name: 'bob', reason: 'flood' });
    expect(parseCommand('/kick bob', ctx(), { rooms: true }).kind).toBe('invalid');
  });
  it('bans a name or an address, for a duration or for ever, with a reason', () => {
    expect(parse('/ban bob 7d spam')).toEqual({ kind: 'ban', ban: { kind: 'name', value: 'bob', seconds: 7 * 86_400, reason: 'spam' } });
    expect(parse('/ban 10.0.0.0/8 1h')).toEqual({ kind: 'ban', ban: { kind: 'address', value: '10.0.0.0/8', seconds: 3600 } });
    expect(parse('/ban 2001:db8::1 bots')).toEqual({ kind: 'ban', ban: { kind: 'address', value: '2001:db8::1', reason: 'bots' } });
    expect(parse('/ban carl 1 hour')).toEqual({ kind: 'ban', ban: { kind: 'name', value: 'carl', reason: '1 hour' } });
    expect(parseCommand('/ban j.doe', { target: 'All', users: ['j.doe'] }, { moderation: true })).toEqual({ kind: 'ban', ban: { kind: 'name', value: 'j.doe' } });
    expect(parse('/unban 3')).toEqual({ kind: 'unban', id: 3 });
    expect(parse('/unban #4')).toEqual({ kind: 'unban', id: 4 });
    expect(parse('/unban x').kind).toBe('invalid');
    expect(parse('/bans')).toEqual({ kind: 'bans' });
    expect(parse('/announce back in 5')).toEqual({ kind: 'announce', text: 'back in 5' });
  });
  it('leaves them unknown to a client that does not handle moderation, and lists them for /help', () => {
    expect(parseCommand('/users', ctx(), { rooms: true }).kind).toBe('invalid');
    expect(MODERATION_COMMANDS.map((c) => c.usage.split(' ')[0])).toEqual([
      '/users', '/warn', '/kick', '/mute', '/ban', '/unban', '/bans', '/announce', '/mdelete', '/close', '/takeover', '/reports', '/close-report', '/audit', '/grant',
    ]);
  });
  it("closes or takes over a room, deletes someone's last message (with history), joins again after a kick", () => {
    expect(parse('/close #tea')).toEqual({ kind: 'room', room: '#tea', action: 'close' });
    expect(parse('/takeover tea')).toEqual({ kind: 'room', room: '#tea', action: 'takeover' });
    expect(parse('/close')).toEqual({ kind: 'invalid', reason: 'usage: /close #room' });
    expect(parseCommand('/mdelete Jon Stewart', ctx(), { history: true })).toEqual({ kind: 'unsend', from: 'Jon Stewart' });
    expect(parseCommand('/mdelete', ctx(), { history: true }).kind).toBe('invalid');
    expect(parse('/reconnect')).toEqual({ kind: 'reconnect' });
  });

  it('lists and closes reports, pages the audit trail, grants a role to a name (spaces included)', () => {
    expect(parse('/reports')).toEqual({ kind: 'reports' });
    expect(parse('/close-report #3')).toEqual({ kind: 'closeReport', id: 3 });
    expect(parse('/close-report x')).toEqual({ kind: 'invalid', reason: 'usage: /close-report ID (/reports lists them)' });
    expect(parse('/audit')).toEqual({ kind: 'audit' });
    expect(parse('/audit 120')).toEqual({ kind: 'audit', before: 120 });
    expect(parse('/audit older')).toEqual({ kind: 'invalid', reason: 'usage: /audit [ID]' });
    expect(parse('/grant Jon Stewart Moderator')).toEqual({ kind: 'grant', name: 'Jon Stewart', role: 'moderator' });
    expect(parse('/grant bob king')).toEqual({ kind: 'invalid', reason: 'usage: /grant NAME admin|moderator|none' });
    expect(isModerationCommand(parse('/grant bob none'))).toBe(true);
  });
});

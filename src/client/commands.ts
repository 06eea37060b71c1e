import { ALL, nameKey, ROOM_HISTORIES, ROOM_PREFIX, type RoomHistory } from '../protocol/index.js';
import { durationSeconds, type BanRequest } from './moderation.js';
import { isRoomName, type RoomRole } from './rooms.js';

/**
 * The slash commands both clients understand (the terminal client and the web page): one parser,
 * so a line means the same thing wherever it is typed, and an unknown command is never sent.
 */
export type Command =
  | { kind: 'say'; to: string; text: string }
  | { kind: 'target'; to: string }
  | { kind: 'who' }
  | { kind: 'help' }
  | { kind: 'quit' }
  /** Connect and join again after being kicked or banned (§10.6): the client does not by itself. */
  | { kind: 'reconnect' }
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; reason: string };

/** The statuses a profile shows (docs/protocol.md §10.3). */
export const STATUSES = ['available', 'away', 'busy'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The account and profile commands (docs/protocol.md §10.3). Passwords are never part of a
 * command: a client asks for them apart, hidden, so they stay out of the line and its history.
 */
export type AccountCommand =
  /** Register the name held. */
  /** With a name: create the account before joining, and join with it. */
  | { kind: 'register'; name?: string }
  | { kind: 'login'; name: string }
  | { kind: 'password' }
  /** Delete the account; the user stays online as a guest. */
  | { kind: 'unregister' }
  | { kind: 'whois'; name: string }
  | { kind: 'status'; status: Status; message: string }
  /** `field` undefined: show the user's own profile. */
  | { kind: 'profile'; field?: 'displayName' | 'about'; text: string }
  /** Blocking (docs/protocol.md §10.7): the user's messages stop reaching this one. */
  | { kind: 'block'; name: string }
  | { kind: 'unblock'; name: string }
  | { kind: 'blocks' };

/**
 * The room commands (docs/protocol.md §10.4), each naming its room: the one typed, else the room
 * the user talks to (the target, a room's window).
 */
export type RoomCommand =
  /** Join the room; create it when there is none (registered users). */
  | { kind: 'join'; room: string }
  | { kind: 'part'; room: string }
  /** List the rooms the user may see. */
  | { kind: 'rooms' }
  | { kind: 'members'; room: string }
  /** `topic` undefined: show it; '' clears it. */
  | { kind: 'topic'; room: string; topic?: string }
  | { kind: 'invite'; room: string; name: string }
  /** Take a member out of the room (ROOM_REMOVE). */
  | { kind: 'kick'; room: string; name: string }
  | { kind: 'privacy'; room: string; private: boolean }
  /** What newcomers read of the room's history (§10.4): `history` undefined shows it. */
  | { kind: 'roomHistory'; room: string; history?: RoomHistory }
  | { kind: 'role'; room: string; name: string; role: RoomRole }
  | { kind: 'delete'; room: string };

/** The history commands (docs/protocol.md §11). */
export type HistoryCommand =
  /** Find the messages holding every word. */
  | { kind: 'search'; query: string }
  /**
   * Delete the user's last message in the conversation talked to (the one before it, when that is
   * deleted); with `from`, that user's (staff: MOD_DELETE, docs/protocol.md §10.6).
   */
  | { kind: 'unsend'; from?: string }
  /**
   * Report a message to the moderators (§10.6): the last one of `who` in the conversation shown (a
   * message id when `who` is digits and nobody of that name spoke there), else the last one of someone else.
   */
  | { kind: 'report'; who?: string; reason?: string };

/** Moderation (docs/protocol.md §10.6): staff only, the server refuses others (FORBIDDEN). */
export type ModerationCommand =
  /** Who is online, with address and since when. */
  | { kind: 'onlineUsers' }
  | { kind: 'warn'; name: string; text: string }
  /** Disconnects NAME from the server (not a room's /kick). */
  | { kind: 'disconnect'; name: string; reason?: string }
  /** 0 minutes unmutes. */
  | { kind: 'mute'; name: string; minutes: number }
  | { kind: 'ban'; ban: BanRequest }
  | { kind: 'unban'; id: number }
  | { kind: 'bans' }
  | { kind: 'announce'; text: string }
  /** Close a room, or become its owner (admins: MOD_ROOM). */
  | { kind: 'room'; room: string; action: 'close' | 'takeover' }
  | { kind: 'reports' }
  | { kind: 'closeReport'; id: number }
  /** A page of the audit trail: the newest, or those older than entry `before`. */
  | { kind: 'audit'; before?: number }
  | { kind: 'grant'; name: string; role: 'admin' | 'moderator' | 'none' };

/**
 * Parse options: `accounts` for a client that handles AccountCommand, `rooms` RoomCommand,
 * `history` HistoryCommand, `moderation` ModerationCommand (a client that handles none keeps Command alone).
 */
export interface ParseOptions { accounts?: true; rooms?: true; history?: true; moderation?: true }

/** What the parser needs to know of the client: whom the user talks to, who is online, who last whispered. */
export interface CommandContext {
  /** Everyone (ALL), a user, or a room (its window). */
  target: string;
  users: readonly string[];
  /** The last user who whispered to this one: `/r` answers them. */
  lastWhisperer?: string | undefined;
}

/** One line of /help: how to type it, and what it does. */
export interface CommandHelp { usage: string; meaning: string }

export const COMMANDS: readonly CommandHelp[] = [
  { usage: 'text', meaning: 'send to the current target (everyone at first)' },
  { usage: '/w NAME text', meaning: 'whisper to NAME (also /msg)' },
  { usage: '/w NAME', meaning: 'whisper to NAME from now on' },
  { usage: '/r text', meaning: 'reply to the last whisper (/r alone: whisper to them from now on)' },
  { usage: '/all [text]', meaning: 'talk to everyone again' },
  { usage: '/me text', meaning: 'say what you do ("* alice waves")' },
  { usage: '/who', meaning: 'list who is online' },
  { usage: '/name NAME', meaning: 'pick a name (before joining)' },
  { usage: '/quit', meaning: 'leave' },
  { usage: '/reconnect', meaning: 'join again after being kicked or banned (the client does not by itself)' },
  { usage: '//text', meaning: 'send text that starts with a slash' },
];

/** /help for the account commands, listed by the clients that handle them (`accounts` in ParseOptions). */
export const ACCOUNT_COMMANDS: readonly CommandHelp[] = [
  { usage: '/register [NAME]', meaning: 'register the name you hold; before joining, create an account for NAME and join with it' },
  { usage: '/login NAME', meaning: 'take your registered name (asks for the password, hidden)' },
  { usage: '/password', meaning: 'change your password' },
  { usage: '/unregister', meaning: 'delete your account; you stay online as a guest' },
  { usage: '/whois NAME', meaning: "show someone's profile and whether they are online" },
  { usage: '/status STATUS [text]', meaning: 'set your status (available, away or busy) and its message' },
  { usage: '/away [text], /busy [text]', meaning: 'show others you are away, or busy (with a message); the people list marks you' },
  { usage: '/back', meaning: 'available again, the status message cleared' },
  { usage: '/profile name TEXT', meaning: 'set the display name your profile shows' },
  { usage: '/profile about TEXT', meaning: 'set the about text of your profile' },
  { usage: '/profile', meaning: 'show your profile' },
  { usage: '/block NAME', meaning: "stop seeing NAME's messages (they are not told)" },
  { usage: '/unblock NAME', meaning: "see NAME's messages again" },
  { usage: '/blocks', meaning: 'list whom you block' },
];

/** /help for the room commands (`rooms` in ParseOptions); [#room] is the room of the window when left out. */
export const ROOM_COMMANDS: readonly CommandHelp[] = [
  { usage: '/join #room', meaning: 'join a room; a registered user creates it when there is none (also /j)' },
  { usage: '/part [#room]', meaning: 'leave the room (also /leave)' },
  { usage: '/rooms', meaning: 'list the rooms: topic, members, whether you are in (also /list)' },
  { usage: '/members [#room]', meaning: "list the room's members, their role, who is online (also /names)" },
  { usage: '/topic [text]', meaning: "show the room's topic, or set it (/topic -delete clears it)" },
  { usage: '/invite NAME [#room]', meaning: 'add NAME to the room (owners and operators)' },
  { usage: '/kick NAME [#room]', meaning: 'take NAME out of the room (owners and operators)' },
  { usage: '/private, /public', meaning: 'make the room invite-only, or open to all again' },
  { usage: '/history all|joined', meaning: 'newcomers read all of the room\'s earlier messages, or only from when they joined (owners and operators); /history alone shows which' },
  { usage: '/op NAME, /deop NAME', meaning: 'make NAME an operator, or a plain member (the owner)' },
  { usage: '/handover NAME', meaning: 'make NAME the owner; you become an operator' },
  { usage: '/delete #room', meaning: 'delete the room for good (the owner)' },
];

/** /help for the history commands (`history` in ParseOptions). */
export const HISTORY_COMMANDS: readonly CommandHelp[] = [
  { usage: '/search WORDS', meaning: 'find the messages you may read that hold every word, newest first' },
  { usage: '/delete', meaning: 'delete your last message here, for everyone (again: the one before it)' },
  { usage: '/report [NAME|ID] [reason]', meaning: "report NAME's last message here to the moderators (no NAME: the last message of someone else here; digits: that message id)" },
];

/** /help for the moderation commands (`moderation` in ParseOptions), listed to staff only. */
export const MODERATION_COMMANDS: readonly CommandHelp[] = [
  { usage: '/users', meaning: 'who is online: address, connected since, how, role, muted (moderators)' },
  { usage: '/warn NAME text', meaning: 'send NAME a warning from Server (moderators)' },
  { usage: '/kick NAME [reason]', meaning: "disconnect NAME, telling them why (moderators; in a room's window /kick is the room's: use /kill there)" },
  { usage: '/mute NAME MINUTES', meaning: 'nothing NAME sends reaches anyone for that long; 0 unmutes (moderators)' },
  { usage: '/ban NAME|ADDRESS [DURATION] [reason]', meaning: 'ban a name, or an address or CIDR block (it has a dot or a colon), for e.g. 30m, 12h, 7d, 2w, or for ever (admins)' },
  { usage: '/unban ID', meaning: 'lift the ban numbered ID (admins)' },
  { usage: '/bans', meaning: 'list the bans in force, with their numbers (moderators)' },
  { usage: '/announce text', meaning: 'tell everyone, from Server (admins)' },
  { usage: '/mdelete NAME', meaning: "delete NAME's last message here, for everyone (again: the one before it) (moderators)" },
  { usage: '/close #room', meaning: 'close a room for good, whoever owns it (admins)' },
  { usage: '/takeover #room', meaning: 'become the owner of a room; its owner becomes an operator (admins)' },
  { usage: '/reports', meaning: 'list the reported messages, open ones first, with their numbers (moderators)' },
  { usage: '/close-report ID', meaning: 'close the report numbered ID (moderators)' },
  { usage: '/audit [ID]', meaning: 'the audit trail, newest first; with ID, the entries older than it (moderators)' },
  { usage: '/grant NAME admin|moderator|none', meaning: 'give a registered account a staff role, or take it (admins)' },
];

/**
 * An action ("/me waves") travels as ordinary text that starts with `/me ` (docs/protocol.md §3,
 * "Texts"): the 2016 client shows it as typed, ours as "* alice waves".
 */
export const ACTION_PREFIX = '/me ';

/** The action of a text ("waves" for "/me waves"), or undefined for ordinary text. */
export function actionOf(text: string): string | undefined {
  return text.startsWith(ACTION_PREFIX) ? text.slice(ACTION_PREFIX.length) : undefined;
}

/**
 * Parses one input line. Names with spaces work: "/w Jon Stewart hi" whispers to "Jon Stewart"
 * when that user is online (the longest online name that the line starts with wins).
 */
export function parseCommand(line: string, ctx: CommandContext): Command;
export function parseCommand(line: string, ctx: CommandContext, options: ParseOptions): AnyCommand;
export function parseCommand(line: string, ctx: CommandContext, options?: ParseOptions): AnyCommand {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return { kind: 'say', to: ctx.target, text: line };
  if (trimmed.startsWith('//')) return { kind: 'say', to: ctx.target, text: line.replace('/', '') };
  const [word = '', ...restWords] = trimmed.slice(1).split(' ');
  const rest = restWords.join(' ').trim();
  switch (word.toLowerCase()) {
    case 'w':
    case 'whisper':
    case 'msg':
    case 'query': {
      if (!rest) return { kind: 'invalid', reason: 'usage: /w NAME [text]' };
      const name = longestNamePrefix(rest, ctx.users) ?? rest.split(' ')[0]!;
      return sayOrTarget(name, rest.slice(name.length).trimStart());
    }
    case 'r':
    case 'reply':
      if (!ctx.lastWhisperer) return { kind: 'invalid', reason: 'nobody has whispered to you yet' };
      return sayOrTarget(ctx.lastWhisperer, rest);
    case 'me':
      if (!rest) return { kind: 'invalid', reason: 'usage: /me text' };
      return { kind: 'say', to: ctx.target, text: `${ACTION_PREFIX}${rest}` };
    case 'all':
      return sayOrTarget(ALL, rest);
    case 'who':
      return { kind: 'who' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
    case 'q':
      return { kind: 'quit' };
    case 'reconnect':
      return { kind: 'reconnect' };
    case 'name':
    case 'nick':
      return rest ? { kind: 'name', name: rest } : { kind: 'invalid', reason: 'usage: /name NAME' };
    default: {
      const lower = word.toLowerCase();
      const other = (options?.accounts ? parseAccountCommand(lower, rest) : undefined)
        ?? (options?.history ? parseHistoryCommand(lower, rest, ctx) : undefined)
        ?? (options?.moderation ? parseModerationCommand(lower, rest, ctx) : undefined)
        ?? (options?.rooms ? parseRoomCommand(lower, rest, ctx) : undefined);
      return other ?? { kind: 'invalid', reason: `unknown command /${word}: /help lists them (//text sends a slash)` };
    }
  }
}

const ACCOUNT_KINDS: ReadonlySet<string> = new Set<AccountCommand['kind']>(['register', 'login', 'password', 'unregister', 'whois', 'status', 'profile', 'block', 'unblock', 'blocks']);

export type AnyCommand = Command | AccountCommand | RoomCommand | HistoryCommand | ModerationCommand;

export function isAccountCommand(cmd: AnyCommand): cmd is AccountCommand {
  return ACCOUNT_KINDS.has(cmd.kind);
}

const ROOM_KINDS: ReadonlySet<string> = new Set<RoomCommand['kind']>(['join', 'part', 'rooms', 'members', 'topic', 'invite', 'kick', 'privacy', 'roomHistory', 'role', 'delete']);

export function isRoomCommand(cmd: AnyCommand): cmd is RoomCommand {
  return ROOM_KINDS.has(cmd.kind);
}

const HISTORY_KINDS: ReadonlySet<string> = new Set<HistoryCommand['kind']>(['search', 'unsend', 'report']);

export function isHistoryCommand(cmd: AnyCommand): cmd is HistoryCommand {
  return HISTORY_KINDS.has(cmd.kind);
}

const MODERATION_KINDS: ReadonlySet<string> = new Set<ModerationCommand['kind']>([
  'onlineUsers', 'warn', 'disconnect', 'mute', 'ban', 'unban', 'bans', 'announce', 'room', 'reports', 'closeReport', 'audit', 'grant',
]);

export function isModerationCommand(cmd: AnyCommand): cmd is ModerationCommand {
  return MODERATION_KINDS.has(cmd.kind);
}

/**
 * A moderation command by its word, or undefined when the word is none. `/kick NAME #room`, and
 * `/kick NAME` in a room's window, stay the room's (RoomCommand); `/kill` is the server's anywhere.
 * A NAME may hold spaces when its user is online; a ban's target with a dot or a colon (or a
 * slash: a CIDR block) is an address unless someone of that name is online.
 */
function parseModerationCommand(word: string, rest: string, ctx: CommandContext): ModerationCommand | { kind: 'invalid'; reason: string } | undefined {
  const invalid = (reason: string) => ({ kind: 'invalid' as const, reason });
  const [name, after] = nameFirst(rest, ctx.users);
  switch (word) {
    case 'users':
      return { kind: 'onlineUsers' };
    case 'bans':
      return { kind: 'bans' };
    case 'warn':
      return name && after ? { kind: 'warn', name, text: after } : invalid('usage: /warn NAME text');
    case 'kick':
    case 'kill':
      if (word === 'kick' && (rest.includes(` ${ROOM_PREFIX}`) || isRoomName(ctx.target))) return undefined;
      return name ? { kind: 'disconnect', name, ...(after && { reason: after }) } : invalid(`usage: /${word} NAME [reason]`);
    case 'mute': {
      const [, who = '', minutes = ''] = /^(.+?)\s+(\d+)$/.exec(rest) ?? [];
      return who ? { kind: 'mute', name: who, minutes: Number(minutes) } : invalid('usage: /mute NAME MINUTES (0 unmutes)');
    }
    case 'ban': {
      if (!name) return invalid('usage: /ban NAME|ADDRESS [DURATION, e.g. 1h or 7d] [reason]');
      const online = ctx.users.some((u) => nameKey(u) === nameKey(name));
      const kind = !online && /[.:/]/.test(name) ? 'address' : 'name';
      const [first = '', ...others] = after.split(' ');
      const seconds = durationSeconds(first);
      const reason = (seconds === undefined ? after : others.join(' ')).trim();
      return { kind: 'ban', ban: { kind, value: name, ...(seconds !== undefined && { seconds }), ...(reason && { reason }) } };
    }
    case 'unban': {
      const id = /^#?(\d+)$/.exec(rest)?.[1];
      return id ? { kind: 'unban', id: Number(id) } : invalid('usage: /unban ID (/bans lists them)');
    }
    case 'announce':
      return rest ? { kind: 'announce', text: rest } : invalid('usage: /announce text');
    case 'close':
    case 'takeover': {
      const room = rest ? roomName(rest) : undefined;
      return room ? { kind: 'room', room, action: word } : invalid(`usage: /${word} #room`);
    }
    case 'reports':
      return { kind: 'reports' };
    case 'close-report':
    case 'closereport': {
      const id = /^#?(\d+)$/.exec(rest)?.[1];
      return id ? { kind: 'closeReport', id: Number(id) } : invalid('usage: /close-report ID (/reports lists them)');
    }
    case 'audit': {
      const before = /^#?(\d+)$/.exec(rest)?.[1];
      return rest === '' || before ? { kind: 'audit', ...(before && { before: Number(before) }) } : invalid('usage: /audit [ID]');
    }
    case 'grant': {
      const [, who = '', role = ''] = /^(.+?)\s+(admin|moderator|none)$/i.exec(rest) ?? [];
      return who ? { kind: 'grant', name: who, role: role.toLowerCase() as 'admin' | 'moderator' | 'none' } : invalid('usage: /grant NAME admin|moderator|none');
    }
    default:
      return undefined;
  }
}

/** The name a line starts with (the longest online one, else its first word), and what follows it. */
function nameFirst(rest: string, users: readonly string[]): [string, string] {
  const name = longestNamePrefix(rest, users) ?? rest.split(' ')[0]!;
  return [name, rest.slice(name.length).trim()];
}

/** A history command by its word, or undefined when the word is none; `/delete #room` is the room's (RoomCommand). */
function parseHistoryCommand(word: string, rest: string, ctx: CommandContext): HistoryCommand | { kind: 'invalid'; reason: string } | undefined {
  switch (word) {
    case 'report': {
      const [who, reason] = nameFirst(rest, ctx.users);
      return { kind: 'report', ...(who && { who }), ...(reason && { reason }) };
    }
    case 'search':
    case 'find':
      return rest ? { kind: 'search', query: rest } : { kind: 'invalid', reason: 'usage: /search WORDS' };
    case 'delete':
      return rest ? undefined : { kind: 'unsend' };
    case 'mdelete':
      return rest ? { kind: 'unsend', from: rest } : { kind: 'invalid', reason: 'usage: /mdelete NAME' };
    default:
      return undefined;
  }
}

/** `#name` for "name" or "#name" (irssi's /join tea joins #tea); undefined for nothing or a lone #. */
function roomName(typed: string): string | undefined {
  const room = typed.startsWith(ROOM_PREFIX) ? typed : `${ROOM_PREFIX}${typed}`;
  return room.length > ROOM_PREFIX.length ? room : undefined;
}

/** A room command by its word, or undefined when the word is none. */
function parseRoomCommand(word: string, rest: string, ctx: CommandContext): RoomCommand | { kind: 'invalid'; reason: string } | undefined {
  /** The room typed, else the one talked to; or why there is none. */
  const room = (typed: string, usage: string) => {
    const named = typed ? roomName(typed) : isRoomName(ctx.target) ? ctx.target : undefined;
    return named ?? `usage: ${usage} (in a room's window, the room may be left out)`;
  };
  const invalid = (reason: string) => ({ kind: 'invalid' as const, reason });
  /** "NAME [#room]": a name never begins with #, so the room is what follows the first " #". */
  const nameAndRoom = (usage: string, make: (name: string, room: string) => RoomCommand) => {
    const at = rest.indexOf(` ${ROOM_PREFIX}`);
    const name = (at === -1 ? rest : rest.slice(0, at)).trim();
    const which = room(at === -1 ? '' : rest.slice(at + 1).trim(), usage);
    if (!name) return invalid(`usage: ${usage}`);
    return isRoomName(which) ? make(name, which) : invalid(which);
  };
  const inRoom = (usage: string, make: (room: string) => RoomCommand) => {
    const which = room(rest, usage);
    return isRoomName(which) ? make(which) : invalid(which);
  };
  switch (word) {
    case 'join':
    case 'j': {
      const which = roomName(rest);
      return which ? { kind: 'join', room: which } : invalid('usage: /join #room');
    }
    case 'part':
    case 'leave':
      return inRoom('/part #room', (r) => ({ kind: 'part', room: r }));
    case 'rooms':
    case 'list':
      return { kind: 'rooms' };
    case 'members':
    case 'names':
      return inRoom('/members #room', (r) => ({ kind: 'members', room: r }));
    case 'topic': {
      if (!isRoomName(ctx.target)) return invalid("usage: /topic [text], in a room's window");
      return rest ? { kind: 'topic', room: ctx.target, topic: rest === '-delete' ? '' : rest } : { kind: 'topic', room: ctx.target };
    }
    case 'invite':
      return nameAndRoom('/invite NAME #room', (name, r) => ({ kind: 'invite', room: r, name }));
    case 'kick':
    case 'remove':
      return nameAndRoom('/kick NAME #room', (name, r) => ({ kind: 'kick', room: r, name }));
    case 'private':
    case 'public':
      return inRoom(`/${word} #room`, (r) => ({ kind: 'privacy', room: r, private: word === 'private' }));
    case 'history': {
      const history = ROOM_HISTORIES.find((h) => h === rest.toLowerCase());
      if (!isRoomName(ctx.target) || (rest && history === undefined)) return invalid("usage: /history all|joined, in a room's window");
      return { kind: 'roomHistory', room: ctx.target, ...(history !== undefined && { history }) };
    }
    case 'op':
    case 'deop':
    case 'handover': {
      const role = ({ op: 'operator', deop: 'member', handover: 'owner' } as const)[word];
      return nameAndRoom(`/${word} NAME #room`, (name, r) => ({ kind: 'role', room: r, name, role }));
    }
    case 'delete': {
      const which = rest ? roomName(rest) : undefined;
      return which ? { kind: 'delete', room: which } : invalid('usage: /delete #room (its name typed out, to be sure)');
    }
    default:
      return undefined;
  }
}

/** An account command by its word, or undefined when the word is none. */
function parseAccountCommand(word: string, rest: string): AccountCommand | { kind: 'invalid'; reason: string } | undefined {
  switch (word) {
    case 'register':
      return rest ? { kind: 'register', name: rest } : { kind: 'register' };
    case 'login':
      return rest ? { kind: 'login', name: rest } : { kind: 'invalid', reason: 'usage: /login NAME (the password is asked for next)' };
    case 'password':
    case 'passwd':
      return { kind: 'password' };
    case 'unregister':
      return { kind: 'unregister' };
    case 'whois':
      return rest ? { kind: 'whois', name: rest } : { kind: 'invalid', reason: 'usage: /whois NAME' };
    case 'block':
    case 'unblock':
      return rest ? { kind: word, name: rest } : { kind: 'invalid', reason: `usage: /${word} NAME` };
    case 'blocks':
      return { kind: 'blocks' };
    case 'status': {
      const [status = '', ...message] = rest.split(' ');
      const known = STATUSES.find((s) => s === status.toLowerCase());
      if (!known) return { kind: 'invalid', reason: `usage: /status ${STATUSES.join('|')} [message]` };
      return { kind: 'status', status: known, message: message.join(' ').trim() };
    }
    case 'away':
    case 'busy':
      return { kind: 'status', status: word, message: rest };
    case 'back':
      return { kind: 'status', status: 'available', message: '' };
    case 'profile': {
      if (!rest) return { kind: 'profile', text: '' };
      const [field = '', ...text] = rest.split(' ');
      const which = field.toLowerCase() === 'name' ? 'displayName' : field.toLowerCase() === 'about' ? 'about' : undefined;
      if (!which) return { kind: 'invalid', reason: 'usage: /profile name TEXT, /profile about TEXT, or /profile alone to see yours' };
      return { kind: 'profile', field: which, text: text.join(' ').trim() };
    }
    default:
      return undefined;
  }
}

function sayOrTarget(to: string, text: string): Command {
  return text ? { kind: 'say', to, text } : { kind: 'target', to };
}

function longestNamePrefix(rest: string, users: readonly string[]): string | undefined {
  const lower = rest.toLowerCase();
  return users
    .filter((u) => lower === u.toLowerCase() || lower.startsWith(`${u.toLowerCase()} `))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * Tab completion: the online names that start with the word being typed at the end of the line,
 * and the line before that word. Pressing Tab again cycles through the candidates.
 */
export function nameCompletions(line: string, users: readonly string[]): { base: string; candidates: string[] } {
  const fragment = /(\S*)$/.exec(line)?.[1] ?? '';
  const base = line.slice(0, line.length - fragment.length);
  const lower = fragment.toLowerCase();
  return { base, candidates: users.filter((u) => u.toLowerCase().startsWith(lower)) };
}

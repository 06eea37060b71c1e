import { ALL } from '../protocol/index.js';

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
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; reason: string };

/** What the parser needs to know of the client: whom the user talks to, who is online, who last whispered. */
export interface CommandContext {
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
  { usage: '//text', meaning: 'send text that starts with a slash' },
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
export function parseCommand(line: string, ctx: CommandContext): Command {
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
    case 'name':
    case 'nick':
      return rest ? { kind: 'name', name: rest } : { kind: 'invalid', reason: 'usage: /name NAME' };
    default:
      return { kind: 'invalid', reason: `unknown command /${word}: /help lists them (//text sends a slash)` };
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

import { ALL } from '../protocol/index.js';

/** What a line typed in the terminal client asks for. */
export type Command =
  | { kind: 'say'; to: string; text: string }
  | { kind: 'target'; to: string }
  | { kind: 'who' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; reason: string };

export const HELP = [
  'Type a message and press Enter to send it to the current target (All at first).',
  '/w NAME text   whisper to NAME        /w NAME   whisper to NAME from now on',
  '/all           talk to everyone again /who      list who is online',
  '/name NAME     pick a name (before joining)     /quit     leave',
  'Ctrl-N / Ctrl-P select whom to talk to (All, then each user), as /w NAME and /all do.',
  'Tab completes names, Up/Down recall what you typed, PgUp/PgDn scroll the log.',
];

/**
 * Parses one input line. Names with spaces work: "/w Jon Stewart hi" whispers to "Jon Stewart"
 * when that user is online (the longest online name that the line starts with wins).
 */
export function parseCommand(line: string, target: string, users: readonly string[]): Command {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return { kind: 'say', to: target, text: line };
  if (trimmed.startsWith('//')) return { kind: 'say', to: target, text: line.replace('/', '') };
  const [word = '', ...restWords] = trimmed.slice(1).split(' ');
  const rest = restWords.join(' ');
  switch (word.toLowerCase()) {
    case 'w':
    case 'whisper':
    case 'msg': {
      if (!rest) return { kind: 'invalid', reason: 'usage: /w NAME [text]' };
      const name = longestNamePrefix(rest, users) ?? rest.split(' ')[0]!;
      const text = rest.slice(name.length).trimStart();
      return text ? { kind: 'say', to: name, text } : { kind: 'target', to: name };
    }
    case 'all':
      return rest ? { kind: 'say', to: ALL, text: rest } : { kind: 'target', to: ALL };
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
      return { kind: 'invalid', reason: `unknown command /${word}; /help lists them` };
  }
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

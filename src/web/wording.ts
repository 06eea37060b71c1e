import { moderationText } from '../client/moderation.js';
import { ErrorCode } from '../protocol/index.js';

/** Refusals whose sentence says all there is, whatever the server's reason. */
const FIXED_WORDS: Partial<Record<number, string>> = {
  [ErrorCode.NAME_REGISTERED]: 'That name is registered: if it is yours, log in with its password; otherwise pick another name.',
  [ErrorCode.LOGIN_REQUIRED]: 'This server admits only users with an account: log in, or create one.',
  [ErrorCode.LOGIN_FAILED]: 'The name or the password is wrong.',
  [ErrorCode.PASSWORD_INVALID]: 'A password must be 8 to 256 characters long.',
  [ErrorCode.NOT_LOGGED_IN]: 'Only a registered name has a profile and a password: keep your name first.',
  [ErrorCode.STORE_FAILED]: 'The server could not save that just now, so nothing changed. Try again in a moment.',
  // the client library's refusal of an account request to a server that granted no accounts
  [ErrorCode.REQUEST_INVALID]: 'This server does not keep accounts: join as a guest.',
};

/**
 * What to tell a person of a refusal or an error, in plain words: the page never shows the
 * protocol's code names. Most reasons (the server's or the client library's) are readable already
 * and only become a sentence; a few get words of their own that say what to do.
 */
export function errorText(code: number | undefined, reason: string | undefined): string {
  const fixed = code === undefined ? undefined : FIXED_WORDS[code];
  if (fixed !== undefined) return fixed;
  const moderation = moderationText(code, reason ?? '');
  if (moderation !== undefined) return moderation;
  switch (code) {
    case ErrorCode.EMPTY_TEXT:
      return 'Type a message first: an empty one is not sent.';
    case ErrorCode.TEXT_TOO_LONG:
      return `That message is too long to send: ${reason ?? 'it is over the limit'}.`;
    case ErrorCode.RATE_LIMITED:
      return 'You are sending too fast: slow down, some of your messages were not delivered.';
    case ErrorCode.NAME_TAKEN:
      return `${sentence(reason ?? 'that name is already taken')} Pick another name.`;
    case ErrorCode.NAME_RESERVED:
      return `${sentence(reason ?? 'that name is reserved')} Pick another name.`;
    case ErrorCode.LOGIN_THROTTLED:
      return `Too many wrong passwords: ${waitOf(reason)}, then try again.`;
    case ErrorCode.PROFILE_INVALID:
      return `Your profile was not saved: ${profileReason(reason)}.`;
    default:
      return sentence(reason ?? 'something went wrong');
  }
}

/** "too many failed logins: try again in 8 s" → "wait 8 seconds". */
function waitOf(reason: string | undefined): string {
  const seconds = Number(/in (\d+) s\b/.exec(reason ?? '')?.[1]);
  if (!seconds) return 'wait a while';
  return seconds === 1 ? 'wait a second' : seconds < 120 ? `wait ${seconds} seconds` : `wait ${Math.ceil(seconds / 60)} minutes`;
}

/** The server names the profile's fields as the protocol does ("statusMessage is 240 bytes; at most 200"). */
function profileReason(reason: string | undefined): string {
  const words: Record<string, string> = { displayName: 'the display name', statusMessage: 'the status message', about: 'the about text' };
  const plain = (reason ?? 'a field is too long').replace(/\b(displayName|statusMessage|about)\b/, (f) => words[f]!);
  return plain.replace(/; at most (\d+)$/, ' long; it can be at most $1 bytes');
}

/** "nobody called x is online" → "Nobody called x is online." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

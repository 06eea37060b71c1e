import { ErrorCode } from '../protocol/index.js';

/**
 * What to tell a person of a refusal or an error, in plain words: the page never shows the
 * protocol's code names. Most reasons (the server's or the client library's) are readable already
 * and only become a sentence; a few get words of their own that say what to do.
 */
export function errorText(code: number | undefined, reason: string | undefined): string {
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
    default:
      return sentence(reason ?? 'something went wrong');
  }
}

/** "nobody called x is online" → "Nobody called x is online." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

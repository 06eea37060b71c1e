/** The web client's pure text logic: links, mentions, time labels and the wording of errors. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/index.js';
import { timeLabel } from '../../src/web/dates.js';
import { linkify } from '../../src/web/links.js';
import { mentions } from '../../src/web/mention.js';
import { errorText } from '../../src/web/wording.js';

describe('linkify', () => {
  it('makes http, https and mailto addresses links, leaving the sentence around them', () => {
    expect(linkify('see https://example.org/a?b=1#c, or mail me: mailto:al@example.org.')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { text: ', or mail me: ' },
      { text: 'mailto:al@example.org', href: 'mailto:al@example.org' },
      { text: '.' },
    ]);
  });

  it('keeps parentheses that belong to the address and drops the one that closes the sentence', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Howdy_(greeting))')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/Howdy_(greeting)', href: 'https://en.wikipedia.org/wiki/Howdy_(greeting)' },
      { text: ')' },
    ]);
  });

  it('never makes a link of javascript:, data: or an address without a host', () => {
    for (const text of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<b>x</b>', 'http://', 'https:///etc']) {
      expect(linkify(text)).toEqual([{ text }]);
    }
  });
});

describe('mentions', () => {
  it('finds a name as a whole word in any case, names with spaces included', () => {
    expect(mentions('hey @alice, look', 'Alice')).toBe(true);
    expect(mentions('ALICE!', 'Alice')).toBe(true);
    expect(mentions('where is jon stewart?', 'Jon Stewart')).toBe(true);
    expect(mentions('Alice', 'Al')).toBe(false);
    expect(mentions('malice aforethought', 'alice')).toBe(false);
    expect(mentions('a.b', 'a.b')).toBe(true);
    expect(mentions('axb', 'a.b')).toBe(false);
  });
});

describe('timeLabel', () => {
  const now = new Date(2025, 5, 14, 12, 0);
  it('shows the time alone for today, the day before it for older messages, and the year for past years', () => {
    expect(timeLabel(new Date(2025, 5, 14, 9, 5), now, 'en-GB')).toBe('09:05');
    expect(timeLabel(new Date(2025, 5, 13, 23, 59), now, 'en-GB')).toBe('13 Jun 23:59');
    expect(timeLabel(new Date(2024, 11, 31, 8, 0), now, 'en-GB')).toBe('31 Dec 2024 08:00');
  });
});

/** Each row: a code, the reason that came with it, and what the page says; no code name ever shows. */
function expectWording(rows: Array<[code: number | undefined, reason: string | undefined, said: string]>): void {
  const texts = rows.map(([code, reason]) => errorText(code, reason));
  expect(texts).toEqual(rows.map(([, , said]) => said));
  for (const text of texts) expect(text).not.toMatch(/[A-Z]{2,}_[A-Z]+|0x[0-9a-f]{4}|statusMessage|displayName/);
}

describe('errorText', () => {
  it('tells people what happened in plain words, never a code name', () => {
    expectWording([
      [ErrorCode.EMPTY_TEXT, 'the message is empty', 'Type a message first: an empty one is not sent.'],
      [ErrorCode.TEXT_TOO_LONG, 'the message is 5000 bytes; at most 3967 can be sent', 'That message is too long to send: the message is 5000 bytes; at most 3967 can be sent.'],
      [ErrorCode.RATE_LIMITED, 'slow down: at most 50 messages a second; messages over it are dropped', 'You are sending too fast: slow down, some of your messages were not delivered.'],
      [ErrorCode.NAME_TAKEN, '"alice" is already taken', '"alice" is already taken. Pick another name.'],
      [ErrorCode.UNKNOWN_RECEIVER, 'nobody called "zed" is online', 'Nobody called "zed" is online.'],
      [ErrorCode.NOT_REGISTERED, 'not connected: reconnecting in 2 s', 'Not connected: reconnecting in 2 s.'],
      [undefined, undefined, 'Something went wrong.'],
      // accounts: a name, a password or a profile refused, in words that say what to do
      [ErrorCode.NAME_REGISTERED, '"dora" is a registered name: log in to use it', 'That name is registered: if it is yours, log in with its password; otherwise pick another name.'],
      [ErrorCode.LOGIN_REQUIRED, 'this server admits only users who log in', 'This server admits only users with an account: log in, or create one.'],
      [ErrorCode.LOGIN_FAILED, 'wrong name or password', 'The name or the password is wrong.'],
      [ErrorCode.LOGIN_THROTTLED, 'too many failed logins: try again in 1 s', 'Too many wrong passwords: wait a second, then try again.'],
      [ErrorCode.LOGIN_THROTTLED, 'too many failed logins: try again in 900 s', 'Too many wrong passwords: wait 15 minutes, then try again.'],
      [ErrorCode.PASSWORD_INVALID, 'a password is 8 to 256 characters', 'A password must be 8 to 256 characters long.'],
      [ErrorCode.PROFILE_INVALID, 'statusMessage is 240 bytes; at most 200', 'Your profile was not saved: the status message is 240 bytes long; it can be at most 200 bytes.'],
      [ErrorCode.NOT_LOGGED_IN, 'log in first', 'Only a registered name has a profile and a password: keep your name first.'],
      [ErrorCode.STORE_FAILED, 'the server could not save this: SQLITE_FULL: database or disk is full', 'The server could not save that just now, so nothing changed. Try again in a moment.'],
    ]);
  });
});

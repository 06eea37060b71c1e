/** A piece of a message's text: plain text, or a link that is safe to open. */
export type TextPiece = { text: string } | { text: string; href: string };

/**
 * Only these schemes become links, so "javascript:" and "data:" never do. A match ends at white
 * space or at characters that do not belong in an address written in a sentence.
 */
const LINK = /\b(?:https?:\/\/[^\s<>"/]|mailto:[^\s<>"])[^\s<>"]*/gi;
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
/** Punctuation that ends a sentence rather than the address ("see https://x.org."). */
const TRAILING = /[.,;:!?'*]+$/;

/** Splits a text into plain pieces and links (http, https and mailto only). */
export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let done = 0;
  for (const match of text.matchAll(LINK)) {
    const href = trimAddress(match[0]);
    if (!isSafeLink(href)) continue;
    const start = match.index;
    if (start > done) pieces.push({ text: text.slice(done, start) });
    pieces.push({ text: href, href });
    done = start + href.length;
  }
  if (done < text.length) pieces.push({ text: text.slice(done) });
  return pieces;
}

/** Drops a sentence's punctuation after an address, and a closing parenthesis that has no opening one in it. */
function trimAddress(address: string): string {
  let a = address.replace(TRAILING, '');
  while (a.endsWith(')') && count(a, '(') < count(a, ')')) a = a.slice(0, -1).replace(TRAILING, '');
  return a;
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

function isSafeLink(href: string): boolean {
  try {
    const url = new URL(href);
    return SAFE_SCHEMES.has(url.protocol) && (url.protocol === 'mailto:' || url.hostname !== '');
  } catch {
    return false;
  }
}

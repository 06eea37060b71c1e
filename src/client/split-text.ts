import { utf8Encode } from '../protocol/index.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits `text` into as few parts as fit in `maxBytes` bytes of UTF-8 each, in order. A part ends
 * at a line break where that costs no extra part, else at a space, else between two graphemes
 * (never inside one, so never inside a UTF-8 sequence, an emoji sequence or a letter and its
 * accents). The line break or space a part ends at is dropped, and so are blank lines around a
 * cut: the parts themselves separate the lines. Parts that would hold only white space are left
 * out (nobody can send an empty text).
 */
export function splitText(text: string, maxBytes: number): string[] {
  const units = splitUnits(text, maxBytes);
  // ends[i]: UTF-8 bytes of units[0..i)
  const ends = [0];
  for (const u of units) ends.push(ends.at(-1)! + utf8Encode(u).length);
  const fits = (from: number, to: number) => ends[to]! - ends[from]! <= maxBytes;
  /** The end of the longest part that starts at `from`. */
  const farthest = (from: number) => {
    let to = from + 1;
    while (to < units.length && fits(from, to + 1)) to++;
    return to;
  };
  /** How many parts the units from `from` on need at least (taking the longest part each time does best). */
  const partsFrom = (from: number) => {
    let count = 0;
    for (let at = from; at < units.length; at = farthest(at)) count++;
    return count;
  };

  const parts: string[] = [];
  let partsLeft = partsFrom(0);
  for (let start = 0; start < units.length; partsLeft--) {
    const end = farthest(start);
    let next = end;
    let cut = end;
    if (end < units.length) {
      // the last line break, else the last space (up to the first unit that did not fit), after
      // which the rest still fits in the parts left
      for (const isBreak of [isLineBreak, isSpace]) {
        const at = lastIndex(units, isBreak, start + 1, end + 1);
        if (at !== undefined && partsFrom(at + 1) <= partsLeft - 1) {
          cut = at;
          next = at + 1;
          break;
        }
      }
    }
    parts.push(units.slice(start, cut).join(''));
    start = next;
  }
  const cut = parts.length === 1 ? parts : parts.map((p) => p.replace(/^[\r\n]+|[\r\n]+$/g, ''));
  return cut.filter((p) => p.trim() !== '');
}

/** The graphemes of `text`; one longer than `maxBytes` (a pile of combining marks) as its code points. */
function splitUnits(text: string, maxBytes: number): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment).flatMap((g) =>
    utf8Encode(g).length > maxBytes ? Array.from(g) : [g],
  );
}

const isLineBreak = (unit: string) => unit === '\n' || unit === '\r\n' || unit === '\r';
const isSpace = (unit: string) => /^\s+$/.test(unit);

function lastIndex(units: string[], test: (unit: string) => boolean, from: number, to: number): number | undefined {
  for (let i = to - 1; i >= from; i--) if (test(units[i]!)) return i;
  return undefined;
}

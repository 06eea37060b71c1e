import stringWidth from 'string-width';
import { displayText } from './display-text.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The part of the input line that fits in `width` columns with the cursor in view: the text
 * before the cursor loses graphemes from its start, the text after it from its end. The cursor
 * itself takes one cell (or the width of the grapheme under it).
 */
export function inputWindow(text: string, cursor: number, width: number): { before: string; at: string; after: string } {
  const before = Array.from(graphemes.segment(displayText(text.slice(0, cursor))), (s) => s.segment);
  const rest = Array.from(graphemes.segment(displayText(text.slice(cursor))), (s) => s.segment);
  const at = rest.shift() ?? ' ';
  let room = width - stringWidth(at);
  let used = before.reduce((n, g) => n + stringWidth(g), 0);
  while (used > room && before.length > 0) used -= stringWidth(before.shift()!);
  room -= used;
  const after: string[] = [];
  for (const g of rest) {
    room -= stringWidth(g);
    if (room < 0) break;
    after.push(g);
  }
  return { before: before.join(''), at, after: after.join('') };
}

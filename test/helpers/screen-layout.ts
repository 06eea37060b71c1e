import stringWidth from 'string-width';
import { expect } from 'vitest';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** The display columns at which `line` has a character matching `re`. */
function columnsOf(line: string, re: RegExp): number[] {
  const at: number[] = [];
  let column = 0;
  for (const { segment } of graphemes.segment(line)) {
    if (re.test(segment)) at.push(column);
    column += stringWidth(segment);
  }
  return at;
}

/** The log's rows (inside its box), and a check that both boxes are drawn whole. */
export function logRows(screen: string, rows: number): string[] {
  const lines = screen.split('\n');
  expect(lines[1]).toMatch(/^┌/);
  expect(lines[rows - 2]).toMatch(/^└/);
  const corners = columnsOf(lines[1]!, /[┌┐]/);
  expect(corners).toHaveLength(4);
  for (const line of lines.slice(2, rows - 2)) expect(columnsOf(line, /│/), `a row drawn over: ${line}`).toEqual(corners);
  expect(columnsOf(lines[rows - 2]!, /[└┘]/)).toEqual(corners);
  return lines.slice(2, rows - 2).map((l) => l.slice(1, l.indexOf('│', 1)).trim());
}


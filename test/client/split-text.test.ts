import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/client/split-text.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitting a long text at the text limit', () => {
  it('leaves a text that fits alone', () => {
    expect(splitText('howdy\nall', 20)).toEqual(['howdy\nall']);
    expect(splitText(' \n ', 20)).toEqual([]);
  });

  it('ends parts at line breaks, else at spaces, dropping the break', () => {
    expect(splitText('one two\nthree four', 12)).toEqual(['one two', 'three four']);
    expect(splitText('one two three four', 12)).toEqual(['one two', 'three four']);
    expect(splitText('abcdefghijklmnop', 6)).toEqual(['abcdef', 'ghijkl', 'mnop']);
  });

  it('takes no more parts than the limit needs to prefer a nicer break', () => {
    // breaking after "a" would leave 18 bytes: three parts of 8 instead of two
    const text = `a ${'b'.repeat(15)}`;
    expect(splitText(text, 9)).toHaveLength(2);
    expect(splitText(text, 9).join('')).toBe(text);
  });

  it('never cuts a UTF-8 sequence, an emoji sequence or a letter from its accent', () => {
    const family = '👨‍👩‍👧'; // 18 bytes, one grapheme
    const text = `${'é'.repeat(3)}${family.repeat(4)}e\u0301e\u0301`;
    for (const max of [18, 19, 20, 25, 40]) {
      const parts = splitText(text, max);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(bytes(p)).toBeLessThanOrEqual(max);
        expect(p).not.toMatch(/^[\u0301\u200d]|\u200d$/); // no part starts with a combining mark or ends in a joiner
      }
    }
  });

  it('leaves out parts that would be only white space', () => {
    expect(splitText(`abc${'\n'.repeat(10)}def`, 4)).toEqual(['abc', 'def']);
  });
});

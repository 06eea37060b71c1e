/**
 * What every bench message carries, in ASCII at the start of its text: "<seq>:<sent µs>:" then
 * padding up to the text size. Parsed from bytes without decoding strings (the generator must
 * stay lean).
 */
export interface Stamp {
  seq: number;
  sentUs: number;
}

const PAD = 0x78; // 'x'

export function makeStampText(seq: number, sentUs: number, size: number): Uint8Array {
  const head = `${seq}:${sentUs}:`;
  const out = new Uint8Array(Math.max(size, head.length)).fill(PAD);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  return out;
}

/** Reads a stamp, or undefined when the text is not one of ours (corrupt). */
export function readStamp(text: Uint8Array): Stamp | undefined {
  let i = 0;
  const seq = readNumber(text, i);
  if (seq === undefined) return undefined;
  i = seq.end + 1;
  const sent = readNumber(text, i);
  if (sent === undefined) return undefined;
  for (let j = sent.end + 1; j < text.length; j++) if (text[j] !== PAD) return undefined;
  return { seq: seq.value, sentUs: sent.value };
}

function readNumber(bytes: Uint8Array, start: number): { value: number; end: number } | undefined {
  let value = 0;
  let i = start;
  while (i < bytes.length && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) value = value * 10 + bytes[i++]! - 0x30;
  if (i === start || bytes[i] !== 0x3a) return undefined;
  return { value, end: i };
}

/** The bench user names: bench00000, bench00001, … */
export function benchName(index: number): string {
  return `bench${String(index).padStart(5, '0')}`;
}

/** The index in a bench name's bytes (a NUL-padded name field or an IRC nick), or -1. */
export function benchIndex(bytes: Uint8Array): number {
  if (bytes[0] !== 0x62 || bytes[4] !== 0x68) return -1; // "b…h"
  let value = 0;
  let i = 5;
  for (; i < bytes.length && bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++) value = value * 10 + bytes[i]! - 0x30;
  return i === 5 ? -1 : value;
}

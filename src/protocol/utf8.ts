const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, or returns undefined when the bytes are not valid UTF-8. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes UTF-8, with U+FFFD for each invalid sequence: for bytes that are only shown. */
export function utf8DecodeLenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Length of `bytes` once trailing 0x00 bytes are dropped. */
export function lengthWithoutTrailingNuls(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

import { ByteReader, ByteWriter } from './bytes.js';
import { ErrorCode, HcpError } from './errors.js';
import { utf8DecodeStrict, utf8Encode } from './utf8.js';

/**
 * Extension frames (types 0x11 and up, framed and WebSocket peers only; docs/protocol.md §10):
 * their body is a run of TLV fields, `tag (u8) | length (u16 BE) | value`, in any order, a tag
 * repeated for a list. Readers skip tags they do not know, so fields can be added without
 * breaking older peers.
 */
export const Tag = {
  /** u32: the request's id, chosen by the client, echoed by the REPLY or ERROR that answers it. */
  ID: 0x01,
  /** UTF-8: one capability's name. */
  CAP: 0x02,
} as const;

/** Longest value a field can hold (its length is a u16). */
const MAX_FIELD_BYTES = 0xffff;

export interface Field { tag: number; value: Uint8Array }

export function idField(id: number): Field {
  return { tag: Tag.ID, value: new ByteWriter(4).u32(id).done() };
}

export function textField(tag: number, text: string): Field {
  return { tag, value: utf8Encode(text) };
}

/** An extension frame of `type` holding `fields`, in order. */
export function encodeFields(type: number, fields: readonly Field[]): Uint8Array {
  const w = ByteWriter.frame(type, fields.reduce((n, f) => n + 3 + f.value.length, 0));
  for (const f of fields) {
    if (f.value.length > MAX_FIELD_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a field holds at most ${MAX_FIELD_BYTES} bytes`);
    w.u8(f.tag).u16(f.value.length).bytes(f.value);
  }
  return w.done();
}

/**
 * The fields of an extension frame's body, in order. A field cut short is MALFORMED; the error
 * carries the request's id when the ID field came before the damage, so the answer can name it.
 */
export function readFields(body: Uint8Array): Field[] {
  const r = new ByteReader(body);
  const fields: Field[] = [];
  try {
    while (r.remaining > 0) fields.push({ tag: r.u8(), value: r.take(r.u16()) });
  } catch (err) {
    const id = idOf(fields);
    throw new HcpError(ErrorCode.MALFORMED, `a field is cut short${id === undefined ? '' : ` (request ${id})`}`, false, { cause: id });
  }
  return fields;
}

function idOf(fields: readonly Field[]): number | undefined {
  const value = fields.find((f) => f.tag === Tag.ID)?.value;
  return value?.length === 4 ? new ByteReader(value).u32() : undefined;
}

/** The request id of a request's or reply's fields; a request without one is MALFORMED. */
export function requestId(fields: readonly Field[]): number {
  const id = idOf(fields);
  if (id === undefined) throw new HcpError(ErrorCode.MALFORMED, 'a request carries a 4-byte ID field');
  return id;
}

/** The values of every `tag` field, as UTF-8 texts. */
export function texts(fields: readonly Field[], tag: number): string[] {
  return fields.filter((f) => f.tag === tag).map((f) => {
    const text = utf8DecodeStrict(f.value);
    if (text === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'a text field is not valid UTF-8');
    return text;
  });
}

/** The request id a MALFORMED error from `readFields` found before the damage, if any. */
export function malformedRequestId(err: HcpError): number | undefined {
  return typeof err.cause === 'number' ? err.cause : undefined;
}

import { ByteReader, ByteWriter } from './bytes.js';
import { MsgType } from './constants.js';
import { ErrorCode, HcpError } from './errors.js';
import { utf8DecodeStrict, utf8Encode } from './utf8.js';

/**
 * Extension frames (types 0x11 and up, framed and WebSocket peers only; docs/protocol.md §10):
 * their body is a run of TLV fields, `tag (u8) | length (u16 BE) | value`, in any order, a tag
 * repeated for a list. Readers skip tags they do not know, so fields can be added without
 * breaking older peers. Every field is declared once, here: its tag and how its value reads.
 */
export const FIELDS = {
  /** u32: the request's id, chosen by the client, echoed by the REPLY or ERROR that answers it. */
  id: { tag: 0x01, kind: 'u32' },
  /** One capability's name, repeated for a list. */
  caps: { tag: 0x02, kind: 'texts' },
  name: { tag: 0x03, kind: 'text' },
  password: { tag: 0x04, kind: 'text' },
  newPassword: { tag: 0x05, kind: 'text' },
  displayName: { tag: 0x06, kind: 'text' },
  about: { tag: 0x07, kind: 'text' },
  /** available, away or busy. */
  status: { tag: 0x08, kind: 'text' },
  statusMessage: { tag: 0x09, kind: 'text' },
  /** u8 1 or 0. */
  online: { tag: 0x0a, kind: 'flag' },
  registered: { tag: 0x0b, kind: 'flag' },
  /** ISO 8601 UTC time: when a registered user who is not online was last online. */
  lastSeen: { tag: 0x0c, kind: 'text' },
} as const;

type FieldName = Exclude<keyof typeof FIELDS, 'id'>;
type ValueOf<K extends FieldName> = (typeof FIELDS)[K]['kind'] extends 'texts' ? string[]
  : (typeof FIELDS)[K]['kind'] extends 'flag' ? boolean : string;
/** The fields an extension frame may carry besides its id, by name. */
export type ExtensionFields = { [K in FieldName]?: ValueOf<K> };

/** The extension frame types (docs/protocol.md §10). */
export const EXTENSION_TYPES = [
  MsgType.CAPS, MsgType.REPLY, MsgType.LOGIN, MsgType.ACCOUNT_CREATE, MsgType.PASSWORD_CHANGE,
  MsgType.ACCOUNT_DELETE, MsgType.PROFILE_SET, MsgType.WHOIS,
] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

/** A request (or, type REPLY, its answer): its id and its fields. */
export interface ExtensionMessage { type: ExtensionType; id: number; fields: ExtensionFields }

export function isExtensionType(type: number): type is ExtensionType {
  return (EXTENSION_TYPES as readonly number[]).includes(type);
}

/** Longest value a field can hold (its length is a u16). */
const MAX_FIELD_BYTES = 0xffff;
const BY_TAG = new Map(Object.entries(FIELDS).map(([name, f]) => [f.tag as number, { name, kind: f.kind as string }]));

/** An extension frame: u32 length, type, the ID field, then each field given, in the table's order. */
export function encodeExtension(msg: ExtensionMessage): Uint8Array {
  const fields: Array<{ tag: number; value: Uint8Array }> = [{ tag: FIELDS.id.tag, value: new ByteWriter(4).u32(msg.id).done() }];
  for (const [name, spec] of Object.entries(FIELDS)) {
    const value = (msg.fields as Record<string, unknown>)[name];
    if (name === 'id' || value === undefined) continue;
    if (spec.kind === 'texts') for (const text of value as string[]) fields.push({ tag: spec.tag, value: utf8Encode(text) });
    else if (spec.kind === 'flag') fields.push({ tag: spec.tag, value: Uint8Array.of(value ? 1 : 0) });
    else fields.push({ tag: spec.tag, value: utf8Encode(value as string) });
  }
  const w = ByteWriter.frame(msg.type, fields.reduce((n, f) => n + 3 + f.value.length, 0));
  for (const f of fields) {
    if (f.value.length > MAX_FIELD_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a field holds at most ${MAX_FIELD_BYTES} bytes`);
    w.u8(f.tag).u16(f.value.length).bytes(f.value);
  }
  return w.done();
}

/**
 * Reads an extension frame's body. A field cut short, a request without its id, a value of the
 * wrong size are MALFORMED; the error carries the request's id when it was read before the damage
 * (`malformedRequestId`), so the answer can name the request.
 */
export function parseExtension(type: ExtensionType, body: Uint8Array): ExtensionMessage {
  const r = new ByteReader(body);
  const fields: Record<string, unknown> = {};
  let id: number | undefined;
  try {
    while (r.remaining > 0) {
      const tag = r.u8();
      const value = new ByteReader(r.take(r.u16()));
      if (tag === FIELDS.id.tag) {
        id = value.u32();
        continue;
      }
      const spec = BY_TAG.get(tag);
      if (!spec) continue; // a field of a later version: skipped
      if (spec.kind === 'texts') fields[spec.name] = [...((fields[spec.name] as string[] | undefined) ?? []), text(value)];
      else if (spec.kind === 'flag') fields[spec.name] = value.u8() !== 0;
      else fields[spec.name] = text(value);
    }
  } catch (err) {
    if (err instanceof HcpError && err.code === ErrorCode.INVALID_UTF8) throw new HcpError(err.code, err.message, false, { cause: id });
    throw new HcpError(ErrorCode.MALFORMED, `a field is cut short${id === undefined ? '' : ` (request ${id})`}`, false, { cause: id });
  }
  if (id === undefined) throw new HcpError(ErrorCode.MALFORMED, 'a request carries a 4-byte ID field');
  return { type, id, fields: fields as ExtensionFields };
}

function text(value: ByteReader): string {
  const decoded = utf8DecodeStrict(value.rest());
  if (decoded === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'a text field is not valid UTF-8');
  return decoded;
}

/** The request id an error from `parseExtension` found before the damage, if any. */
export function malformedRequestId(err: HcpError): number | undefined {
  return typeof err.cause === 'number' ? err.cause : undefined;
}

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
  /** A room's name, `#` first (§10.4). */
  room: { tag: 0x0d, kind: 'text' },
  topic: { tag: 0x0e, kind: 'text' },
  /** u8 1 or 0: the room is invite-only. */
  private: { tag: 0x0f, kind: 'flag' },
  /** owner, operator or member. */
  role: { tag: 0x10, kind: 'text' },
  /** u32: how many members a room has. */
  members: { tag: 0x11, kind: 'u32' },
  /** u8 1 or 0: the user asking is in the room. */
  joined: { tag: 0x12, kind: 'flag' },
  /** One item of a list (a room, a member): its own run of fields, repeated for the list. */
  entry: { tag: 0x13, kind: 'records' },
  /** What happened in a room: join, part, topic, private, public, history, role, delete. */
  event: { tag: 0x14, kind: 'text' },
  /** Who did it (a ROOM_EVENT's actor). */
  by: { tag: 0x15, kind: 'text' },
  /** A room both users are in (WHOIS), repeated for a list. */
  commonRoom: { tag: 0x16, kind: 'texts' },
  /** u64: a message's id (§11). */
  msgId: { tag: 0x17, kind: 'u64' },
  /** u64: ms since the epoch. */
  time: { tag: 0x18, kind: 'u64' },
  from: { tag: 0x19, kind: 'text' },
  to: { tag: 0x1a, kind: 'text' },
  text: { tag: 0x1b, kind: 'text' },
  deleted: { tag: 0x1c, kind: 'flag' },
  /** `All`, a room's name, or the other party's name (§11). */
  conversation: { tag: 0x1d, kind: 'text' },
  after: { tag: 0x1e, kind: 'u64' },
  before: { tag: 0x1f, kind: 'u64' },
  limit: { tag: 0x20, kind: 'u32' },
  /** u8 1: the answer was cut at its limit. */
  more: { tag: 0x21, kind: 'flag' },
  query: { tag: 0x22, kind: 'text' },
  /** A guest's resume token. */
  token: { tag: 0x23, kind: 'text' },
  /** The history's identity: ids compare only within one (§11). */
  epoch: { tag: 0x24, kind: 'text' },
  /** What a room's newcomers read of its history: `all` or `joined` (§10.4). */
  history: { tag: 0x25, kind: 'text' },
  /** An IP address, or a CIDR block in a ban (§10.6). */
  address: { tag: 0x28, kind: 'text' },
  /** u64 ms since the epoch: when a user connected, when a ban was made. */
  since: { tag: 0x29, kind: 'u64' },
  /** u32 seconds: how long a mute or a ban lasts (a ban without it: for ever; a mute of 0: unmuted). */
  duration: { tag: 0x2a, kind: 'u32' },
  /** u64 ms since the epoch: when a mute or a ban ends (none: for ever). */
  until: { tag: 0x2b, kind: 'u64' },
  /** What a ban covers: name, account or address. */
  kind: { tag: 0x2c, kind: 'text' },
  /** u32: a ban's id. */
  banId: { tag: 0x2d, kind: 'u32' },
  /** How a user is connected: tcp or ws, and classic or framed, e.g. `tcp/classic`. */
  transport: { tag: 0x2e, kind: 'text' },
  /** What to do with a room: close or takeover. */
  action: { tag: 0x2f, kind: 'text' },
  /** u32: a report's number (§10.6). */
  reportId: { tag: 0x30, kind: 'u32' },
  /** Why a message was reported. */
  reason: { tag: 0x31, kind: 'text' },
  /** Who reported it. */
  reporter: { tag: 0x32, kind: 'text' },
  /** Who closed a report (none: it is open). */
  closedBy: { tag: 0x33, kind: 'text' },
  /** u64 ms since the epoch: when a report was closed. */
  closedAt: { tag: 0x34, kind: 'u64' },
  /** u32: an audit entry's number; MOD_AUDIT pages by it. */
  auditId: { tag: 0x35, kind: 'u32' },
  /** Whom or what an audited action was done to. */
  target: { tag: 0x36, kind: 'text' },
} as const;

type FieldName = Exclude<keyof typeof FIELDS, 'id'>;
type ValueOf<K extends FieldName> = (typeof FIELDS)[K]['kind'] extends 'texts' ? string[]
  : (typeof FIELDS)[K]['kind'] extends 'flag' ? boolean
  : (typeof FIELDS)[K]['kind'] extends 'u32' | 'u64' ? number
  : (typeof FIELDS)[K]['kind'] extends 'records' ? ExtensionFields[] : string;
/** The fields an extension frame may carry besides its id, by name. */
export type ExtensionFields = { [K in FieldName]?: ValueOf<K> };

/** The extension frame types that are requests (and REPLY, their answer): they carry an id. */
export const REQUEST_TYPES = [
  MsgType.CAPS, MsgType.REPLY, MsgType.LOGIN, MsgType.ACCOUNT_CREATE, MsgType.PASSWORD_CHANGE,
  MsgType.ACCOUNT_DELETE, MsgType.PROFILE_SET, MsgType.WHOIS,
  MsgType.ROOM_CREATE, MsgType.ROOM_JOIN, MsgType.ROOM_PART, MsgType.ROOM_LIST, MsgType.ROOM_MEMBERS,
  MsgType.ROOM_SET, MsgType.ROOM_INVITE, MsgType.ROOM_REMOVE, MsgType.ROOM_DELETE, MsgType.ROOM_ROLE,
  MsgType.HISTORY, MsgType.CATCH_UP, MsgType.SEARCH, MsgType.DELETE, MsgType.RESUME,
  MsgType.MOD_USERS, MsgType.MOD_WARN, MsgType.MOD_KICK, MsgType.MOD_MUTE, MsgType.MOD_BAN, MsgType.MOD_UNBAN,
  MsgType.MOD_BANS, MsgType.MOD_ANNOUNCE, MsgType.MOD_DELETE, MsgType.MOD_ROOM,
  MsgType.BLOCK, MsgType.UNBLOCK, MsgType.BLOCKS,
  MsgType.REPORT, MsgType.MOD_REPORTS, MsgType.MOD_REPORT_CLOSE, MsgType.MOD_AUDIT, MsgType.MOD_GRANT,
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The extension frame types a server sends of its own accord: no id. */
export const EVENT_TYPES = [MsgType.ROOM_EVENT, MsgType.STAMPED, MsgType.DELETED, MsgType.SESSION, MsgType.STATUS, MsgType.NOTICE] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type ExtensionType = RequestType | EventType;

/** A request (or, type REPLY, its answer): its id and its fields. */
export interface ExtensionMessage { type: RequestType; id: number; fields: ExtensionFields }
/** An event (docs/protocol.md §10.4): fields, no id. */
export interface ExtensionEvent { type: EventType; fields: ExtensionFields }

export function isExtensionType(type: number): type is ExtensionType {
  return isRequestType(type) || (EVENT_TYPES as readonly number[]).includes(type);
}

export function isRequestType(type: number): type is RequestType {
  return (REQUEST_TYPES as readonly number[]).includes(type);
}

/** Longest value a field can hold (its length is a u16). */
const MAX_FIELD_BYTES = 0xffff;
const BY_TAG = new Map(Object.entries(FIELDS).filter(([name]) => name !== 'id').map(([name, f]) => [f.tag as number, { name, kind: f.kind as string }]));

interface EncodedField { tag: number; value: Uint8Array }

/** An extension frame: u32 length, type, the ID field (requests and replies), then each field given, in the table's order. */
export function encodeExtension(msg: ExtensionMessage | ExtensionEvent): Uint8Array {
  const fields: EncodedField[] = 'id' in msg ? [{ tag: FIELDS.id.tag, value: new ByteWriter(4).u32(msg.id).done() }] : [];
  fields.push(...encodeFields(msg.fields));
  const w = ByteWriter.frame(msg.type, runBytes(fields));
  writeRun(w, fields);
  return w.done();
}

function encodeFields(given: ExtensionFields): EncodedField[] {
  const fields: EncodedField[] = [];
  for (const [name, spec] of Object.entries(FIELDS)) {
    const value = (given as Record<string, unknown>)[name];
    if (name === 'id' || value === undefined) continue;
    if (spec.kind === 'texts') for (const text of value as string[]) fields.push({ tag: spec.tag, value: utf8Encode(text) });
    else if (spec.kind === 'flag') fields.push({ tag: spec.tag, value: Uint8Array.of(value ? 1 : 0) });
    else if (spec.kind === 'u32') fields.push({ tag: spec.tag, value: new ByteWriter(4).u32(value as number).done() });
    else if (spec.kind === 'u64') fields.push({ tag: spec.tag, value: new ByteWriter(8).u64(value as number).done() });
    else if (spec.kind === 'records') {
      for (const record of value as ExtensionFields[]) {
        const inner = encodeFields(record);
        const w = new ByteWriter(runBytes(inner));
        writeRun(w, inner);
        fields.push({ tag: spec.tag, value: w.done() });
      }
    } else fields.push({ tag: spec.tag, value: utf8Encode(value as string) });
  }
  return fields;
}

function runBytes(fields: readonly EncodedField[]): number {
  return fields.reduce((n, f) => n + 3 + f.value.length, 0);
}

function writeRun(w: ByteWriter, fields: readonly EncodedField[]): void {
  for (const f of fields) {
    if (f.value.length > MAX_FIELD_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a field holds at most ${MAX_FIELD_BYTES} bytes`);
    w.u8(f.tag).u16(f.value.length).bytes(f.value);
  }
}

/**
 * Reads an extension frame's body. A field cut short, a request without its id, a value of the
 * wrong size are MALFORMED; the error carries the request's id when it was read before the damage
 * (`malformedRequestId`), so the answer can name the request.
 */
export function parseExtension(type: RequestType, body: Uint8Array): ExtensionMessage;
export function parseExtension(type: ExtensionType, body: Uint8Array): ExtensionMessage | ExtensionEvent;
export function parseExtension(type: ExtensionType, body: Uint8Array): ExtensionMessage | ExtensionEvent {
  const found: { id?: number } = {};
  let fields: ExtensionFields;
  try {
    fields = parseRun(new ByteReader(body), found, true);
  } catch (err) {
    const id = found.id;
    if (err instanceof HcpError && err.code === ErrorCode.INVALID_UTF8) throw new HcpError(err.code, err.message, false, { cause: id });
    throw new HcpError(ErrorCode.MALFORMED, `a field is cut short${id === undefined ? '' : ` (request ${id})`}`, false, { cause: id });
  }
  if (!isRequestType(type)) return { type, fields };
  if (found.id === undefined) throw new HcpError(ErrorCode.MALFORMED, 'a request carries a 4-byte ID field');
  return { type, id: found.id, fields };
}

/** A run of fields; an ENTRY's run is read the same way, one level deep (entries in an entry are skipped). */
function parseRun(r: ByteReader, found: { id?: number }, outer: boolean): ExtensionFields {
  const fields: Record<string, unknown> = {};
  while (r.remaining > 0) {
    const tag = r.u8();
    const value = new ByteReader(r.take(r.u16()));
    if (tag === FIELDS.id.tag && outer) {
      found.id = value.u32();
      continue;
    }
    const spec = BY_TAG.get(tag);
    if (!spec) continue; // a field of a later version: skipped
    if (spec.kind === 'texts') fields[spec.name] = [...((fields[spec.name] as string[] | undefined) ?? []), text(value)];
    else if (spec.kind === 'flag') fields[spec.name] = value.u8() !== 0;
    else if (spec.kind === 'u32') fields[spec.name] = value.u32();
    else if (spec.kind === 'u64') fields[spec.name] = value.u64();
    else if (spec.kind === 'records') {
      if (outer) fields[spec.name] = [...((fields[spec.name] as ExtensionFields[] | undefined) ?? []), parseRun(value, found, false)];
    } else fields[spec.name] = text(value);
  }
  return fields as ExtensionFields;
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

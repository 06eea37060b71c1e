import { FRAME_HEADER_BYTES, MsgType, NAME_BYTES, PresenceOp } from './constants.js';
import { ErrorCode, HcpError } from './errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { encodeExtension, isExtensionType, parseExtension, type ExtensionEvent, type ExtensionMessage } from './extensions.js';
import { readEchoedNameField, readNameField } from './names.js';
import { lengthWithoutTrailingNuls, utf8DecodeStrict, utf8Encode } from './utf8.js';

export interface Proposal { type: typeof MsgType.PROPOSAL; name: string }
export interface Ack { type: typeof MsgType.ACK; name: string }
export interface Nak { type: typeof MsgType.NAK; name: string }
export interface Update { type: typeof MsgType.UPDATE; names: string[] }
export interface ChatMessage { type: typeof MsgType.MESSAGE; from: string; to: string; text: string }
/** `id`: the request the error answers (docs/protocol.md §10), when it answers one. */
export interface ErrorMessage { type: typeof MsgType.ERROR; code: number; fatal: boolean; reason: string; id?: number }
export interface Ping { type: typeof MsgType.PING; data: Uint8Array }
export interface Pong { type: typeof MsgType.PONG; data: Uint8Array }
export interface PresenceChange { op: PresenceOp; name: string }
export interface Presence { type: typeof MsgType.PRESENCE; changes: PresenceChange[] }

export type HcpMessage =
  | Proposal | Ack | Nak | Update | ChatMessage | ErrorMessage | Ping | Pong | Presence | ExtensionMessage | ExtensionEvent;

/** ERROR body flags: the sender closes the connection after this frame; a request id follows. */
const ERROR_FLAG_FATAL = 0x01;
const ERROR_FLAG_ID = 0x02;

/**
 * Encodes a message as a framed HCP/2 frame: u32 length, type, body. The same bytes serve every
 * wire form: classic and WebSocket payloads are `payloadOf(frame)`, so one encoding is shared.
 */
export function encodeFrame(msg: HcpMessage): Uint8Array {
  switch (msg.type) {
    case MsgType.PROPOSAL:
    case MsgType.ACK:
    case MsgType.NAK:
      return nameFields(ByteWriter.frame(msg.type, NAME_BYTES), [msg.name]).done();
    case MsgType.UPDATE:
      return nameFields(ByteWriter.frame(msg.type, NAME_BYTES * msg.names.length), msg.names).done();
    case MsgType.MESSAGE: {
      const text = utf8Encode(msg.text);
      return nameFields(ByteWriter.frame(msg.type, 2 * NAME_BYTES + text.length), [msg.from, msg.to]).bytes(text).done();
    }
    case MsgType.ERROR: {
      const reason = utf8Encode(msg.reason);
      const flags = (msg.fatal ? ERROR_FLAG_FATAL : 0) | (msg.id !== undefined ? ERROR_FLAG_ID : 0);
      const w = ByteWriter.frame(msg.type, 3 + (msg.id !== undefined ? 4 : 0) + reason.length).u16(msg.code).u8(flags);
      if (msg.id !== undefined) w.u32(msg.id);
      return w.bytes(reason).done();
    }
    case MsgType.PING:
    case MsgType.PONG:
      return ByteWriter.frame(msg.type, msg.data.length).bytes(msg.data).done();
    case MsgType.PRESENCE: {
      const names = msg.changes.map((c) => utf8Encode(c.name));
      const w = ByteWriter.frame(msg.type, names.reduce((n, b) => n + 2 + b.length, 0));
      msg.changes.forEach((change, i) => {
        const name = names[i]!;
        if (name.length === 0 || name.length > NAME_BYTES) {
          throw new HcpError(ErrorCode.NAME_INVALID, `a PRESENCE name is 1–${NAME_BYTES} bytes`);
        }
        w.u8(change.op).u8(name.length).bytes(name);
      });
      return w.done();
    }
    default:
      return encodeExtension(msg);
  }
}

/** Writes each name as a 64-byte NUL-padded field. */
function nameFields(w: ByteWriter, names: readonly string[]): ByteWriter {
  for (const name of names) {
    const bytes = utf8Encode(name);
    if (bytes.length > NAME_BYTES) throw new HcpError(ErrorCode.NAME_INVALID, `a name field holds at most ${NAME_BYTES} bytes`);
    w.bytes(bytes).zeros(NAME_BYTES - bytes.length);
  }
  return w;
}

/**
 * A MESSAGE frame from name fields that are already 64-byte NUL-padded fields: the relay's and the
 * load generator's way, with no string work per message.
 */
export function encodeMessageFrame(senderField: Uint8Array, receiverField: Uint8Array, text: Uint8Array): Uint8Array {
  return ByteWriter.frame(MsgType.MESSAGE, 2 * NAME_BYTES + text.length).bytes(senderField).bytes(receiverField).bytes(text).done();
}

/** A PROPOSAL, ACK or NAK frame around a 64-byte name field as it is, bytes the name rules refuse included. */
export function encodeNameFieldFrame(type: typeof MsgType.PROPOSAL | typeof MsgType.ACK | typeof MsgType.NAK, field: Uint8Array): Uint8Array {
  if (field.length !== NAME_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a name field is ${NAME_BYTES} bytes`);
  return ByteWriter.frame(type, NAME_BYTES).bytes(field).done();
}

/** A frame's type + body: what a classic write or a WebSocket message carries. */
export function payloadOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(FRAME_HEADER_BYTES);
}

/** Wraps a payload (type + body) received without a length prefix into a full frame. */
export function frameOfPayload(payload: Uint8Array): Uint8Array {
  return new ByteWriter(FRAME_HEADER_BYTES + payload.length).u32(payload.length).bytes(payload).done();
}

/** The u32 big-endian at bytes[at]: a frame's length. */
export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function malformed(what: string): HcpError {
  return new HcpError(ErrorCode.MALFORMED, what);
}

/** Text of a MESSAGE body: after two name fields, trailing NULs dropped (as the originals do). */
export function readText(textBytes: Uint8Array): string {
  const text = utf8DecodeStrict(textBytes.subarray(0, lengthWithoutTrailingNuls(textBytes)));
  if (text === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'the message text is not valid UTF-8');
  return text;
}

/**
 * Parses one message from its type and body. Returns undefined for a type this version does not
 * know (the seed: unknown types are ignored); throws HcpError(MALFORMED/INVALID_UTF8) for a body
 * that does not fit its type.
 */
export function parseMessage(type: number, body: Uint8Array): HcpMessage | undefined {
  switch (type) {
    case MsgType.PROPOSAL:
    case MsgType.ACK:
    case MsgType.NAK:
      if (body.length !== NAME_BYTES) throw malformed(`a type ${type} body is ${NAME_BYTES} bytes, not ${body.length}`);
      // A NAK echoes the proposal as it was received, bytes that are not UTF-8 included (§3)
      return { type, name: type === MsgType.NAK ? readEchoedNameField(body) : readNameField(body) };
    case MsgType.UPDATE: {
      if (body.length % NAME_BYTES !== 0) throw malformed('an UPDATE body is a whole number of 64-byte names');
      const names: string[] = [];
      for (let at = 0; at < body.length; at += NAME_BYTES) names.push(readNameField(body.subarray(at, at + NAME_BYTES)));
      return { type, names };
    }
    case MsgType.MESSAGE:
      if (body.length < 2 * NAME_BYTES) throw malformed('a MESSAGE body has two 64-byte names before its text');
      return {
        type,
        from: readNameField(body.subarray(0, NAME_BYTES)),
        to: readNameField(body.subarray(NAME_BYTES, 2 * NAME_BYTES)),
        text: readText(body.subarray(2 * NAME_BYTES)),
      };
    case MsgType.ERROR: {
      const r = new ByteReader(body);
      const code = r.u16();
      const flags = r.u8();
      const id = flags & ERROR_FLAG_ID ? r.u32() : undefined;
      return { type, code, fatal: (flags & ERROR_FLAG_FATAL) !== 0, reason: r.utf8(), ...(id !== undefined && { id }) };
    }
    case MsgType.PING:
    case MsgType.PONG:
      return { type, data: body.slice() };
    case MsgType.PRESENCE:
      return { type, changes: parsePresence(body) };
    default:
      return isExtensionType(type) ? parseExtension(type, body) : undefined;
  }
}

function parsePresence(body: Uint8Array): PresenceChange[] {
  if (body.length === 0) throw malformed('a PRESENCE body has at least one entry');
  const r = new ByteReader(body);
  const changes: PresenceChange[] = [];
  while (r.remaining > 0) {
    const op = r.u8();
    if (op !== PresenceOp.JOINED && op !== PresenceOp.LEFT) throw malformed(`unknown PRESENCE op ${op}`);
    const length = r.u8();
    if (length === 0 || length > NAME_BYTES) throw malformed('a PRESENCE entry has a bad length');
    changes.push({ op, name: r.utf8(length) });
  }
  return changes;
}

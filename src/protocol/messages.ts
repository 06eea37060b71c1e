import { FRAME_HEADER_BYTES, MsgType, NAME_BYTES, PresenceOp } from './constants.js';
import { ErrorCode, HcpError } from './errors.js';
import { readEchoedNameField, readNameField, writeNameField } from './names.js';
import { lengthWithoutTrailingNuls, utf8DecodeStrict, utf8Encode } from './utf8.js';

export interface Proposal { type: typeof MsgType.PROPOSAL; name: string }
export interface Ack { type: typeof MsgType.ACK; name: string }
export interface Nak { type: typeof MsgType.NAK; name: string }
export interface Update { type: typeof MsgType.UPDATE; names: string[] }
export interface ChatMessage { type: typeof MsgType.MESSAGE; from: string; to: string; text: string }
export interface ErrorMessage { type: typeof MsgType.ERROR; code: number; fatal: boolean; reason: string }
export interface Ping { type: typeof MsgType.PING; data: Uint8Array }
export interface Pong { type: typeof MsgType.PONG; data: Uint8Array }
export interface PresenceChange { op: PresenceOp; name: string }
export interface Presence { type: typeof MsgType.PRESENCE; changes: PresenceChange[] }

export type HcpMessage =
  | Proposal | Ack | Nak | Update | ChatMessage | ErrorMessage | Ping | Pong | Presence;

/** ERROR body flag: the sender closes the connection after this frame. */
const ERROR_FLAG_FATAL = 0x01;

/**
 * Encodes a message as a framed HCP/2 frame: u32 length, type, body. The same bytes serve every
 * wire form: classic and WebSocket payloads are `payloadOf(frame)`, so one encoding is shared.
 */
export function encodeFrame(msg: HcpMessage): Uint8Array {
  switch (msg.type) {
    case MsgType.PROPOSAL:
    case MsgType.ACK:
    case MsgType.NAK: {
      const out = allocFrame(msg.type, NAME_BYTES);
      writeNameField(out, 5, msg.name);
      return out;
    }
    case MsgType.UPDATE: {
      const out = allocFrame(msg.type, NAME_BYTES * msg.names.length);
      msg.names.forEach((name, i) => writeNameField(out, 5 + i * NAME_BYTES, name));
      return out;
    }
    case MsgType.MESSAGE: {
      const text = utf8Encode(msg.text);
      const out = allocFrame(msg.type, 2 * NAME_BYTES + text.length);
      writeNameField(out, 5, msg.from);
      writeNameField(out, 5 + NAME_BYTES, msg.to);
      out.set(text, 5 + 2 * NAME_BYTES);
      return out;
    }
    case MsgType.ERROR: {
      const reason = utf8Encode(msg.reason);
      const out = allocFrame(msg.type, 3 + reason.length);
      out[5] = msg.code >>> 8;
      out[6] = msg.code & 0xff;
      out[7] = msg.fatal ? ERROR_FLAG_FATAL : 0;
      out.set(reason, 8);
      return out;
    }
    case MsgType.PING:
    case MsgType.PONG: {
      const out = allocFrame(msg.type, msg.data.length);
      out.set(msg.data, 5);
      return out;
    }
    case MsgType.PRESENCE: {
      const names = msg.changes.map((c) => utf8Encode(c.name));
      const out = allocFrame(msg.type, names.reduce((n, b) => n + 2 + b.length, 0));
      let at = 5;
      msg.changes.forEach((change, i) => {
        const name = names[i]!;
        if (name.length === 0 || name.length > NAME_BYTES) {
          throw new HcpError(ErrorCode.NAME_INVALID, `a PRESENCE name is 1–${NAME_BYTES} bytes`);
        }
        out[at] = change.op;
        out[at + 1] = name.length;
        out.set(name, at + 2);
        at += 2 + name.length;
      });
      return out;
    }
  }
}

/**
 * A MESSAGE frame from name fields that are already 64-byte NUL-padded fields: the relay's and the
 * load generator's way, with no string work per message.
 */
export function encodeMessageFrame(senderField: Uint8Array, receiverField: Uint8Array, text: Uint8Array): Uint8Array {
  const out = allocFrame(MsgType.MESSAGE, 2 * NAME_BYTES + text.length);
  out.set(senderField, 5);
  out.set(receiverField, 5 + NAME_BYTES);
  out.set(text, 5 + 2 * NAME_BYTES);
  return out;
}

/** A PROPOSAL, ACK or NAK frame around a 64-byte name field as it is, bytes the name rules refuse included. */
export function encodeNameFieldFrame(type: typeof MsgType.PROPOSAL | typeof MsgType.ACK | typeof MsgType.NAK, field: Uint8Array): Uint8Array {
  if (field.length !== NAME_BYTES) throw new HcpError(ErrorCode.MALFORMED, `a name field is ${NAME_BYTES} bytes`);
  const out = allocFrame(type, NAME_BYTES);
  out.set(field, 5);
  return out;
}

/** A frame's type + body: what a classic write or a WebSocket message carries. */
export function payloadOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(FRAME_HEADER_BYTES);
}

/** Wraps a payload (type + body) received without a length prefix into a full frame. */
export function frameOfPayload(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  writeU32(out, 0, payload.length);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

function allocFrame(type: number, bodyBytes: number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + 1 + bodyBytes);
  writeU32(out, 0, 1 + bodyBytes);
  out[4] = type;
  return out;
}

export function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

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
      if (body.length < 3) throw malformed('an ERROR body has a 2-byte code and a flags byte');
      const reason = utf8DecodeStrict(body.subarray(3));
      if (reason === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'the error reason is not valid UTF-8');
      return { type, code: (body[0]! << 8) | body[1]!, fatal: (body[2]! & ERROR_FLAG_FATAL) !== 0, reason };
    }
    case MsgType.PING:
    case MsgType.PONG:
      return { type, data: body.slice() };
    case MsgType.PRESENCE:
      return { type, changes: parsePresence(body) };
    default:
      return undefined;
  }
}

function parsePresence(body: Uint8Array): PresenceChange[] {
  if (body.length === 0) throw malformed('a PRESENCE body has at least one entry');
  const changes: PresenceChange[] = [];
  let at = 0;
  while (at < body.length) {
    const op = body[at];
    const len = body[at + 1];
    if (op !== PresenceOp.JOINED && op !== PresenceOp.LEFT) throw malformed(`unknown PRESENCE op ${op}`);
    if (len === undefined || len === 0 || len > NAME_BYTES || at + 2 + len > body.length) {
      throw malformed('a PRESENCE entry is cut short or has a bad length');
    }
    const name = utf8DecodeStrict(body.subarray(at + 2, at + 2 + len));
    if (name === undefined) throw new HcpError(ErrorCode.INVALID_UTF8, 'a PRESENCE name is not valid UTF-8');
    changes.push({ op, name });
    at += 2 + len;
  }
  return changes;
}

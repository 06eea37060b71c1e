/**
 * Extension requests as a client written from docs/protocol.md §10 would send them: raw frames on
 * a FramedPeer, each answered by a REPLY or an ERROR with its id.
 */
import { MsgType, type ExtensionFields, type HcpMessage, type RequestType } from '../../src/protocol/index.js';
import { FramedPeer } from './clients.js';

let nextId = 1;

/** Sends a request; resolves with its REPLY's fields, rejects with its ERROR (its `code` on the error). */
export async function ask(peer: FramedPeer, type: RequestType, fields: ExtensionFields = {}, ms?: number): Promise<ExtensionFields> {
  const id = nextId++;
  const answers = (m: HcpMessage) => (m.type === MsgType.REPLY || m.type === MsgType.ERROR) && 'id' in m && m.id === id;
  peer.send({ type, id, fields });
  await peer.until(() => peer.received.some(answers), `the answer to request ${id}`, ms);
  const answer = peer.received.find(answers)!;
  if (answer.type === MsgType.ERROR) throw Object.assign(new Error(answer.reason), { code: answer.code });
  return (answer as { fields: ExtensionFields }).fields;
}

/** 'accepted', or the code of the ERROR a request got. */
export const refusal = (p: Promise<unknown>): Promise<number | 'accepted'> => p.then(() => 'accepted' as const, (err: { code: number }) => err.code);

export interface UserOptions {
  /** Log in to (or create) this account; a guest without. */
  password?: string;
  /** Create the account (ACCOUNT_CREATE) rather than log in to it. */
  create?: boolean;
  caps?: string[];
}

/** A framed peer granted `caps`, then named (a guest, or by its account), its first user list received. */
export async function framedUser(port: number, name: string, { password, create = true, caps = ['accounts', 'rooms'] }: UserOptions = {}): Promise<FramedPeer> {
  const peer = await FramedPeer.open(port);
  await ask(peer, MsgType.CAPS, { caps });
  if (password === undefined) {
    peer.send({ type: MsgType.PROPOSAL, name });
    await peer.take(MsgType.ACK);
  } else {
    await ask(peer, create ? MsgType.ACCOUNT_CREATE : MsgType.LOGIN, { name, password }, 15_000);
  }
  await peer.until(() => peer.received.some((m) => m.type === MsgType.UPDATE), 'the first UPDATE');
  return peer;
}

/** Sends a MESSAGE from a peer granted `history` and resolves with its id, from the server's STAMPED echo (docs/protocol.md §11). */
export async function sayStamped(peer: FramedPeer, from: string, to: string, text: string): Promise<number> {
  const echo = (m: HcpMessage) => m.type === MsgType.STAMPED && 'fields' in m && m.fields.from === from && m.fields.text === text;
  peer.send({ type: MsgType.MESSAGE, from, to, text });
  await peer.until(() => peer.received.some(echo), `the echo of "${text}"`);
  return (peer.received.find(echo) as { fields: ExtensionFields }).fields.msgId!;
}

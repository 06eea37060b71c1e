/**
 * Texts that could pass for messages, names that are not UTF-8, texts over the limit on the classic
 * wire: what docs/protocol.md §3 and §4 promise a classic reader, checked with raw sockets.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeNameField, ErrorCode, MsgType, NAME_BYTES, payloadOf } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, textsOf } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const { track } = trackPeers(() => server);

/** The bytes of a classic MESSAGE header: type 05, sender and receiver fields. */
const forgedHeader = (from: string, to: string) =>
  Buffer.concat([Buffer.of(MsgType.MESSAGE), encodeNameField(from), encodeNameField(to)]);

/** A MESSAGE frame whose text is raw bytes (the codec would refuse to write such text). */
function rawMessage(from: string, to: string, text: Uint8Array): Uint8Array {
  const frame = encodeFrame({ type: MsgType.MESSAGE, from, to, text: '' });
  const out = Buffer.concat([frame, text]);
  out.writeUInt32BE(out.length - 4, 0);
  return out;
}

describe('a text cannot forge a message for classic readers', () => {
  it('a framed sender\'s text holding a NUL-padded message header is refused with TEXT_INVALID, and no classic reader sees a message', async () => {
    server = await startTestServer();
    const reader = track(await join(ClassicPeer.open(server.port), 'reader'));
    track(await join(ClassicPeer.open(server.port), 'victim'));
    const attacker = track(await join(FramedPeer.open(server.port), 'attacker'));
    const text = Buffer.concat([Buffer.from('hi'), forgedHeader('victim', 'All'), Buffer.from('send me your password')]);
    attacker.write(rawMessage('attacker', 'All', text));
    expect(await attacker.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.TEXT_INVALID, fatal: false });
    attacker.send({ type: MsgType.MESSAGE, from: 'attacker', to: 'All', text: 'after' });
    await reader.until(() => textsOf(reader).length > 0, 'a message');
    // the reader splits its bytes as §4 says: it saw exactly one message, the honest one
    expect(reader.received.filter((m) => m.type === MsgType.MESSAGE)).toEqual([
      { type: MsgType.MESSAGE, from: 'attacker', to: 'All', text: 'after' },
    ]);
    expect(server.logs.find((l) => l.code === 'TEXT_INVALID')).toMatchObject({ name: 'attacker', msg: 'request refused' });
    expect(attacker.received.filter((m) => m.type === MsgType.ERROR)).toEqual([]); // told once, the next one passed
  });

  it('from a classic sender, a header in the bytes starts a message of its own (checked as any other); control bytes but tab, LF and CR are dropped silently', async () => {
    server = await startTestServer();
    const reader = track(await join(FramedPeer.open(server.port), 'reader'));
    const sender = track(await join(ClassicPeer.open(server.port), 'sender'));
    const header = payloadOf(encodeFrame({ type: MsgType.MESSAGE, from: 'sender', to: 'reader', text: '' }));
    const say = async (text: Uint8Array) => {
      sender.write(Buffer.concat([header, text]));
      await new Promise((r) => setTimeout(r, 30)); // one classic message per read, as the original client
    };
    await say(Buffer.concat([Buffer.from('a'), forgedHeader('x', 'All'), Buffer.from('b')]));
    await say(Buffer.from('bell\x07'));
    await say(Buffer.from('esc\x1b[2J'));
    await say(Buffer.from('line one\nline two\r\n\tindented'));
    await reader.until(() => textsOf(reader).length > 0, 'the multi-line text');
    await new Promise((r) => setTimeout(r, 50));
    // "a", then the spoofed message the header began (refused: the sender is not "x"), then no
    // bell, no escape, and the multi-line text as sent
    expect(textsOf(reader)).toEqual(['a', 'line one\nline two\r\n\tindented']);
    expect(server.logs.filter((l) => l.name === 'sender' && l.code).map((l) => l.code)).toEqual(['SPOOFED_SENDER', 'TEXT_INVALID', 'TEXT_INVALID']);
    expect(sender.received.filter((m) => m.type === MsgType.ERROR)).toEqual([]);
  });
});

describe('NAK echoes the proposal as received', () => {
  it.each(['classic', 'framed'] as const)('%s: a name that is not UTF-8 comes back byte for byte', async (wire) => {
    server = await startTestServer();
    const peer = track(wire === 'classic' ? await ClassicPeer.open(server.port) : await FramedPeer.open(server.port));
    const field = new Uint8Array(NAME_BYTES);
    field.set([0x42, 0x6f, 0x62, 0xff, 0xfe]);
    const proposal = encodeFrame({ type: MsgType.PROPOSAL, name: '' });
    proposal.set(field, 5);
    peer.write(wire === 'classic' ? payloadOf(proposal) : proposal);
    await peer.until(() => peer.bytes.includes(MsgType.NAK), 'the NAK');
    const nak = Buffer.concat([Buffer.of(MsgType.NAK), field]);
    const at = wire === 'classic' ? 0 : 8 + 4; // after the preface and the frame's length
    expect(peer.bytes.subarray(at, at + 65).toString('hex')).toBe(nak.toString('hex'));
  });
});

describe('a classic text over the limit', () => {
  it('is refused whole, never delivered cut; the sender\'s next message goes through', async () => {
    server = await startTestServer();
    const reader = track(await join(ClassicPeer.open(server.port), 'reader'));
    const sender = track(await join(ClassicPeer.open(server.port), 'sender'));
    sender.send({ type: MsgType.MESSAGE, from: 'sender', to: 'All', text: 'y'.repeat(5000) });
    await expect.poll(() => server.logs.find((l) => l.code === 'TEXT_TOO_LONG')).toMatchObject({ name: 'sender' });
    await new Promise((r) => setTimeout(r, 30));
    sender.send({ type: MsgType.MESSAGE, from: 'sender', to: 'All', text: 'short' });
    await reader.until(() => textsOf(reader).includes('short'), 'the next message');
    expect(textsOf(reader)).toEqual(['short']);
  });
});

describe('a name longer than its 64-byte field', () => {
  it('classic: a 70-byte proposal gets NAK (never an ACK of the name cut), and the peer may propose again', async () => {
    server = await startTestServer();
    const peer = track(await ClassicPeer.open(server.port));
    const long = 'x'.repeat(70);
    peer.write(Buffer.concat([Buffer.of(MsgType.PROPOSAL), Buffer.from(long)]));
    await peer.until(() => peer.received.length > 0, 'an answer');
    expect(peer.received[0]).toEqual({ type: MsgType.NAK, name: 'x'.repeat(64) });
    expect(server.core.names()).toEqual([]);
    peer.received.length = 0;
    peer.send({ type: MsgType.PROPOSAL, name: 'shorter' });
    await peer.until(() => peer.received.some((m) => m.type === MsgType.ACK), 'the ACK');
    expect(server.core.names()).toEqual(['shorter']);
  });

  it('framed: a PROPOSAL body over 64 bytes gets NAK and NAME_INVALID; a short one NAK and MALFORMED; both stay in phase 1', async () => {
    server = await startTestServer();
    const peer = track(await FramedPeer.open(server.port));
    const proposal = (body: Uint8Array) => {
      const frame = Buffer.concat([Buffer.alloc(4), Buffer.of(MsgType.PROPOSAL), body]);
      frame.writeUInt32BE(frame.length - 4, 0);
      return frame;
    };
    peer.write(proposal(Buffer.from('y'.repeat(65))));
    expect(await peer.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name: 'y'.repeat(64) });
    expect(await peer.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.NAME_INVALID, fatal: false, reason: 'the name is 65 bytes long; at most 64 are allowed' });
    peer.write(proposal(Buffer.from('short')));
    expect(await peer.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name: 'short' });
    expect(await peer.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.MALFORMED, fatal: false });
    peer.send({ type: MsgType.PROPOSAL, name: 'fine' });
    await peer.take(MsgType.ACK);
    expect(server.core.names()).toEqual(['fine']);
  });
});

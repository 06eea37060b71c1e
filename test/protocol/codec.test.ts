import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ByteReader, ByteWriter, malformedRequestId,
  forbiddenTextByteAt,
  ClassicDecoder, encodeFrame, ErrorCode, FramedDecoder, HcpError, MsgType, parseMessage, payloadOf,
  frameOfPayload, type HcpMessage,
} from '../../src/protocol/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** A 64-byte NUL-padded name field, built by hand from the seed's description. */
const field = (name: string) => {
  const out = Buffer.alloc(64);
  Buffer.from(name, 'utf8').copy(out);
  return out;
};

describe('classic HCP/1 bytes (seed packet format)', () => {
  it('PROPOSAL, ACK and NAK are the type byte then the 64-byte NUL-padded name', () => {
    for (const [type, t] of [[MsgType.PROPOSAL, 1], [MsgType.ACK, 2], [MsgType.NAK, 3]] as const) {
      const bytes = payloadOf(encodeFrame({ type, name: 'Jon Stewart' }));
      expect(bytes.length).toBe(65);
      expect(hex(bytes)).toBe(hex(Buffer.concat([Buffer.of(t), field('Jon Stewart')])));
    }
  });

  it('UPDATE is the type byte then one 64-byte field per online user', () => {
    const bytes = payloadOf(encodeFrame({ type: MsgType.UPDATE, names: ['Jon Stewart', 'Stephen Colbert'] }));
    expect(hex(bytes)).toBe(hex(Buffer.concat([Buffer.of(4), field('Jon Stewart'), field('Stephen Colbert')])));
  });

  it('MESSAGE is type, sender[64], receiver[64], then the UTF-8 text unpadded', () => {
    const bytes = payloadOf(encodeFrame({ type: MsgType.MESSAGE, from: 'Jon Stewart', to: 'All', text: 'Howdy, ünïcode ✓' }));
    expect(hex(bytes)).toBe(hex(Buffer.concat([Buffer.of(5), field('Jon Stewart'), field('All'), Buffer.from('Howdy, ünïcode ✓')])));
  });

  it('a framed frame is the classic payload behind a u32 big-endian length', () => {
    const frame = encodeFrame({ type: MsgType.ACK, name: 'a' });
    expect(hex(frame.subarray(0, 4))).toBe('00000041');
    expect(hex(frameOfPayload(payloadOf(frame)))).toBe(hex(frame));
  });

  it('reads names and text with trailing NULs stripped, as the original client does', () => {
    const body = Buffer.concat([field('Jimmy Fallon'), field('Jon'), Buffer.from('hi'), Buffer.alloc(5)]);
    expect(parseMessage(MsgType.MESSAGE, body)).toEqual({ type: MsgType.MESSAGE, from: 'Jimmy Fallon', to: 'Jon', text: 'hi' });
  });

  it('ERROR carries a 2-byte code, a fatal flag and a UTF-8 reason', () => {
    const frame = encodeFrame({ type: MsgType.ERROR, code: ErrorCode.NAME_TAKEN, fatal: false, reason: 'taken' });
    expect(hex(frame)).toBe('00000009' + '06' + '0203' + '00' + hex(Buffer.from('taken')));
    expect(parseMessage(MsgType.ERROR, payloadOf(frame).subarray(1))).toEqual({
      type: MsgType.ERROR, code: ErrorCode.NAME_TAKEN, fatal: false, reason: 'taken',
    });
  });

  it('PRESENCE carries op, length and name per entry', () => {
    const frame = encodeFrame({ type: MsgType.PRESENCE, changes: [{ op: 1, name: 'ab' }, { op: 2, name: 'c' }] });
    expect(hex(payloadOf(frame))).toBe('10' + '0102' + '6162' + '0201' + '63');
  });

  it('refuses bodies that do not fit their type, and ignores unknown types', () => {
    expect(() => parseMessage(MsgType.PROPOSAL, new Uint8Array(10))).toThrow(HcpError);
    expect(() => parseMessage(MsgType.UPDATE, new Uint8Array(65))).toThrow(HcpError);
    expect(() => parseMessage(MsgType.MESSAGE, new Uint8Array(100))).toThrow(HcpError);
    expect(() => parseMessage(MsgType.PRESENCE, Uint8Array.of(1, 5, 0x61))).toThrow(HcpError);
    const bad = Buffer.concat([field('a'), field('b'), Buffer.of(0xc3, 0x28)]);
    expect(() => parseMessage(MsgType.MESSAGE, bad)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_UTF8 }));
    expect(parseMessage(0x42, new Uint8Array(3))).toBeUndefined();
  });
});

// ---- properties ----------------------------------------------------------------------------

const nameArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 16 })
  .map((s) => s.replace(/\p{Cc}/gu, 'x').trim())
  .filter((s) => s.length > 0 && Buffer.byteLength(s) <= 64 && s === s.normalize('NFC'));
const textArb = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/\0+$/u, ''));
const messageArb: fc.Arbitrary<HcpMessage> = fc.oneof(
  nameArb.map((name) => ({ type: MsgType.PROPOSAL, name }) as HcpMessage),
  nameArb.map((name) => ({ type: MsgType.ACK, name }) as HcpMessage),
  nameArb.map((name) => ({ type: MsgType.NAK, name }) as HcpMessage),
  fc.array(nameArb, { maxLength: 5 }).map((names) => ({ type: MsgType.UPDATE, names }) as HcpMessage),
  fc.record({ from: nameArb, to: nameArb, text: textArb }).map((m) => ({ type: MsgType.MESSAGE, ...m }) as HcpMessage),
  fc.record({ code: fc.integer({ min: 0, max: 0xffff }), fatal: fc.boolean(), reason: textArb }).map((m) => ({ type: MsgType.ERROR, ...m }) as HcpMessage),
  fc.array(fc.record({ op: fc.constantFrom(1 as const, 2 as const), name: nameArb }), { minLength: 1, maxLength: 4 }).map((changes) => ({ type: MsgType.PRESENCE, changes }) as HcpMessage),
);

function decodeFramed(chunks: Uint8Array[]): HcpMessage[] {
  const out: HcpMessage[] = [];
  const decoder = new FramedDecoder({ maxFrameBytes: 1 << 20 }, (type, body) => out.push(parseMessage(type, body)!));
  for (const c of chunks) decoder.push(c);
  return out;
}

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(prev, p));
    prev = p;
  }
  return parts;
}

describe('codec properties', () => {
  it('encode then parse gives back every valid message', () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        const payload = payloadOf(encodeFrame(msg));
        expect(parseMessage(payload[0]!, payload.subarray(1))).toEqual(msg);
      }),
      { numRuns: 500 },
    );
  });

  it('a framed stream decodes to the same messages however it is split or joined', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, offsets) => {
        const stream = Buffer.concat(msgs.map(encodeFrame));
        expect(decodeFramed(cut(stream, offsets))).toEqual(msgs);
      }),
      { numRuns: 300 },
    );
  });

  it('a framed stream fed one byte at a time decodes the same', () => {
    const msgs: HcpMessage[] = [
      { type: MsgType.PROPOSAL, name: 'alice' },
      { type: MsgType.MESSAGE, from: 'alice', to: 'All', text: 'x'.repeat(300) },
    ];
    const stream = Buffer.concat(msgs.map(encodeFrame));
    expect(decodeFramed([...stream].map((b) => Uint8Array.of(b)))).toEqual(msgs);
  });

  it('classic messages split inside their fixed part are reassembled', () => {
    fc.assert(
      fc.property(nameArb, fc.integer({ min: 1, max: 64 }), (name, at) => {
        const payload = payloadOf(encodeFrame({ type: MsgType.PROPOSAL, name }));
        const out: HcpMessage[] = [];
        const d = new ClassicDecoder((t, b) => out.push(parseMessage(t, b)!));
        d.push(payload.subarray(0, at));
        d.push(payload.subarray(at));
        expect(out).toEqual([{ type: MsgType.PROPOSAL, name }]);
      }),
    );
  });
});

describe('framed decoder limits', () => {
  it('refuses a length above the maximum as soon as the length is read', () => {
    const decoder = new FramedDecoder({ maxFrameBytes: 100 }, () => {});
    expect(() => decoder.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toThrow(
      expect.objectContaining({ code: ErrorCode.FRAME_TOO_LARGE, fatal: true }),
    );
  });
  it('refuses a zero length', () => {
    const decoder = new FramedDecoder({ maxFrameBytes: 100 }, () => {});
    expect(() => decoder.push(Uint8Array.of(0, 0, 0, 0))).toThrow(expect.objectContaining({ code: ErrorCode.MALFORMED }));
  });
  it('holds a cut-off frame without emitting it', () => {
    const frames: number[] = [];
    const decoder = new FramedDecoder({ maxFrameBytes: 100 }, (t) => frames.push(t));
    decoder.push(encodeFrame({ type: MsgType.ACK, name: 'a' }).subarray(0, 30));
    expect(frames).toEqual([]);
    expect(decoder.buffered).toBe(30);
  });
});

describe('classic decoder (one read, one message)', () => {
  const collect = (chunks: Uint8Array[]) => {
    const out: HcpMessage[] = [];
    const d = new ClassicDecoder((t, b) => {
      const m = parseMessage(t, b);
      if (m) out.push(m);
    });
    chunks.forEach((c) => d.push(c));
    return out;
  };
  it('a MESSAGE ends where the read ends', () => {
    const p = payloadOf(encodeFrame({ type: MsgType.MESSAGE, from: 'a', to: 'All', text: 'hello' }));
    expect(collect([p])).toEqual([{ type: MsgType.MESSAGE, from: 'a', to: 'All', text: 'hello' }]);
  });
  it('an ACK and an UPDATE read together are both seen', () => {
    const ack = payloadOf(encodeFrame({ type: MsgType.ACK, name: 'a' }));
    const upd = payloadOf(encodeFrame({ type: MsgType.UPDATE, names: ['a', 'b'] }));
    const msg = payloadOf(encodeFrame({ type: MsgType.MESSAGE, from: 'b', to: 'a', text: 'yo' }));
    expect(collect([Buffer.concat([ack, upd, msg])])).toEqual([
      { type: MsgType.ACK, name: 'a' },
      { type: MsgType.UPDATE, names: ['a', 'b'] },
      { type: MsgType.MESSAGE, from: 'b', to: 'a', text: 'yo' },
    ]);
  });
  it('an unknown type is dropped with the rest of its read', () => {
    const ack = payloadOf(encodeFrame({ type: MsgType.ACK, name: 'a' }));
    expect(collect([Uint8Array.of(9, 1, 2, 3), ack])).toEqual([{ type: MsgType.ACK, name: 'a' }]);
  });
});

describe('classic decoder: messages joined in one read', () => {
  it('splits MESSAGEs that one read joined, but never cuts text', () => {
    // a 64-byte name has no NUL padding to recognise it by: that case stays joined (documented)
    const padded = nameArb.filter((n) => Buffer.byteLength(n) < 64);
    fc.assert(
      fc.property(fc.array(fc.record({ from: padded, to: padded, text: textArb.map((t) => t.replace(/\0/g, '')) }), { minLength: 1, maxLength: 6 }), (msgs) => {
        const wanted = msgs.map((m) => ({ type: MsgType.MESSAGE, ...m }) as HcpMessage);
        const out: HcpMessage[] = [];
        const d = new ClassicDecoder((t, b) => out.push(parseMessage(t, b)!));
        d.push(Buffer.concat(wanted.map((m) => payloadOf(encodeFrame(m)))));
        expect(out).toEqual(wanted);
      }),
      { numRuns: 300 },
    );
  });
});

describe('texts: the control bytes a text may not hold (docs/protocol.md §3)', () => {
  it('finds the first forbidden byte at any offset and alignment, allowing tab, LF and CR', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(7), fc.nat(7), (raw, lead, trail) => {
        const backing = new Uint8Array(lead + raw.length + trail).fill(0x41);
        backing.set(raw, lead);
        const expected = raw.findIndex((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
        const got = forbiddenTextByteAt(backing.subarray(lead), 0, raw.length);
        return got === expected;
      }),
      { numRuns: 2000 },
    );
    expect(forbiddenTextByteAt(new TextEncoder().encode('line\r\n\ttab ünï 🤠'), 0, 20)).toBe(-1);
  });
});

describe('extension frames (docs/protocol.md §10): TLV fields through the reader and writer', () => {
  it('CAPS, REPLY and an ERROR that answers a request, byte for byte as the document shows them', () => {
    const caps = encodeFrame({ type: MsgType.CAPS, id: 1, fields: { caps: ['accounts'] } });
    expect(hex(caps)).toBe('0000001311010004000000010200086163636f756e7473');
    expect(parseMessage(caps[4]!, caps.subarray(5))).toEqual({ type: MsgType.CAPS, id: 1, fields: { caps: ['accounts'] } });
    const reply = encodeFrame({ type: MsgType.REPLY, id: 1, fields: { caps: [] } });
    expect(hex(reply)).toBe('000000081201000400000001');
    expect(parseMessage(reply[4]!, reply.subarray(5))).toEqual({ type: MsgType.REPLY, id: 1, fields: {} });
    const error = encodeFrame({ type: MsgType.ERROR, code: ErrorCode.REQUEST_INVALID, fatal: false, reason: 'twice', id: 2 });
    expect(hex(error)).toBe('0000000d06010502000000027477696365');
    expect(parseMessage(error[4]!, error.subarray(5))).toEqual({ type: MsgType.ERROR, code: ErrorCode.REQUEST_INVALID, fatal: false, reason: 'twice', id: 2 });
  });

  it('skips fields of tags it does not know, in any order', () => {
    const body = Uint8Array.from([0x7f, 0x00, 0x02, 0xaa, 0xbb, 0x02, 0x00, 0x01, 0x78, 0x01, 0x00, 0x04, 0, 0, 0, 7]);
    expect(parseMessage(MsgType.CAPS, body)).toEqual({ type: MsgType.CAPS, id: 7, fields: { caps: ['x'] } });
  });

  it('a field cut short is MALFORMED, naming the request when its id came first; a request without an id too', () => {
    const cut = Uint8Array.from([0x01, 0x00, 0x04, 0, 0, 0, 9, 0x02, 0x00, 0x09, 0x61]);
    let err: unknown;
    try {
      parseMessage(MsgType.CAPS, cut);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ErrorCode.MALFORMED });
    expect(malformedRequestId(err as HcpError)).toBe(9);
    expect(() => parseMessage(MsgType.CAPS, Uint8Array.from([0x02, 0x00, 0x01, 0x61]))).toThrow(expect.objectContaining({ code: ErrorCode.MALFORMED }));
  });

  it('the reader refuses to read past the end; the writer checks it filled what it sized', () => {
    const r = new ByteReader(Uint8Array.of(1, 2, 3));
    expect(r.u16()).toBe(0x0102);
    expect(() => r.u16()).toThrow(expect.objectContaining({ code: ErrorCode.MALFORMED }));
    expect(() => ByteWriter.frame(MsgType.PING, 2).u8(1).done()).toThrow(/sized 7 bytes but written 6/);
  });

  it('NOTICE, the message of the day, byte for byte as the document shows it (§10.5)', () => {
    const notice = encodeFrame({ type: MsgType.NOTICE, fields: { text: 'Be nice.' } });
    expect(hex(notice)).toBe('0000000c2d' + '1b0008' + '4265206e6963652e');
    expect(parseMessage(notice[4]!, notice.subarray(5))).toEqual({ type: MsgType.NOTICE, fields: { text: 'Be nice.' } });
  });

  it('moderation frames, byte for byte as the document shows them (§10.6)', () => {
    const cases: Array<[HcpMessage, string]> = [
      [{ type: MsgType.MOD_KICK, id: 5, fields: { name: 'bob', text: 'spam' } }, '000000153001000400000005' + '030003626f62' + '1b00047370616d'],
      [{ type: MsgType.MOD_BAN, id: 6, fields: { kind: 'address', address: '10.0.0.0/8', duration: 3600 } },
        '000000263201000400000006' + '28000a' + hex(Buffer.from('10.0.0.0/8')) + '2a000400000e10' + '2c0007' + hex(Buffer.from('address'))],
      [{ type: MsgType.REPLY, id: 6, fields: { banId: 3 } }, '0000000f1201000400000006' + '2d000400000003'],
      [{ type: MsgType.ERROR, id: 6, code: ErrorCode.FORBIDDEN, fatal: false, reason: 'only an admin may ban' }, '0000001d06' + '0801' + '02' + '00000006' + hex(Buffer.from('only an admin may ban'))],
      [{ type: MsgType.REPORT, id: 7, fields: { msgId: 42, text: 'spam' } }, '0000001a3b01000400000007' + '170008000000000000002a' + '1b00047370616d'],
      [{ type: MsgType.REPLY, id: 7, fields: { reportId: 3 } }, '0000000f1201000400000007' + '30000400000003'],
      [{ type: MsgType.MOD_AUDIT, id: 8, fields: { before: 120, limit: 2 } }, '0000001a3e01000400000008' + '1f00080000000000000078' + '20000400000002'],
      [{ type: MsgType.MOD_GRANT, id: 9, fields: { name: 'bob', role: 'moderator' } }, '0000001a3f01000400000009' + '030003626f62' + '100009' + hex(Buffer.from('moderator'))],
    ];
    for (const [msg, bytes] of cases) {
      const frame = encodeFrame(msg);
      expect(hex(frame)).toBe(bytes);
      expect(parseMessage(frame[4]!, frame.subarray(5))).toEqual(msg);
    }
  });

  it('blocking frames, byte for byte as the document shows them (§10.7)', () => {
    const cases: Array<[HcpMessage, string]> = [
      [{ type: MsgType.BLOCK, id: 3, fields: { name: 'bob' } }, '0000000e3801000400000003' + '030003626f62'],
      [{ type: MsgType.REPLY, id: 3, fields: { name: 'bob' } }, '0000000e1201000400000003' + '030003626f62'],
      [{ type: MsgType.BLOCKS, id: 4, fields: {} }, '000000083a01000400000004'],
      [{ type: MsgType.REPLY, id: 4, fields: { entry: [{ name: 'bob', registered: true }] } }, '000000151201000400000004' + '13000a' + '030003626f62' + '0b000101'],
      [{ type: MsgType.ERROR, id: 5, code: ErrorCode.BLOCK_INVALID, fatal: false, reason: 'you cannot block yourself' }, '0000002106' + '0807' + '02' + '00000005' + hex(Buffer.from('you cannot block yourself'))],
    ];
    for (const [msg, bytes] of cases) {
      const frame = encodeFrame(msg);
      expect(hex(frame)).toBe(bytes);
      expect(parseMessage(frame[4]!, frame.subarray(5))).toEqual(msg);
    }
  });

  it('rooms and history frames, byte for byte as the document shows them (§10.4, §11; a room\'s HISTORY setting); entries and u64 fields round-trip', () => {
    const cases: Array<[HcpMessage, string]> = [
      [{ type: MsgType.ROOM_JOIN, id: 5, fields: { room: '#tea' } }, '0000000f1a01000400000005' + '0d000423746561'],
      [{ type: MsgType.REPLY, id: 5, fields: { room: '#tea', topic: 'Oolong', private: false, role: 'member', members: 3, joined: true } },
        '000000301201000400000005' + '0d000423746561' + '0e00064f6f6c6f6e67' + '0f000100' + '100006' + hex(Buffer.from('member')) + '11000400000003' + '12000101'],
      [{ type: MsgType.ROOM_EVENT, fields: { room: '#tea', event: 'join', name: 'bob' } }, '0000001523' + '030003626f62' + '0d000423746561' + '1400046a6f696e'],
      [{ type: MsgType.ROOM_SET, id: 9, fields: { room: '#tea', history: 'joined' } }, '000000181e01000400000009' + '0d000423746561' + '250006' + hex(Buffer.from('joined'))],
      [{ type: MsgType.REPLY, id: 9, fields: { room: '#tea', topic: '', private: false, history: 'joined', role: 'owner', members: 3, joined: true } },
        '000000321201000400000009' + '0d000423746561' + '0e0000' + '0f000100' + '100005' + hex(Buffer.from('owner')) + '11000400000003' + '12000101' + '250006' + hex(Buffer.from('joined'))],
      [{ type: MsgType.ROOM_EVENT, fields: { room: '#tea', event: 'history', history: 'joined', by: 'alice' } },
        '0000002323' + '0d000423746561' + '140007' + hex(Buffer.from('history')) + '150005' + hex(Buffer.from('alice')) + '250006' + hex(Buffer.from('joined'))],
      [{ type: MsgType.STAMPED, fields: { msgId: 42, time: 1795838520384, from: 'bob', to: 'All', text: 'hi' } },
        '0000002824' + '1700080000000000000' + '02a' + '180008000001a220512c40' + '190003626f62' + '1a0003416c6c' + '1b00026869'],
      [{ type: MsgType.REPLY, id: 7, fields: { entry: [{ msgId: 40, time: 1795838520000, from: 'ann', to: 'All', text: 'yo' }], more: true } },
        '000000361201000400000007' + '130027' + '17000800000000000000' + '28' + '180008000001a220512ac0' + '190003616e6e' + '1a0003416c6c' + '1b0002796f' + '21000101'],
    ];
    for (const [msg, bytes] of cases) {
      const frame = encodeFrame(msg);
      expect(hex(frame)).toBe(bytes);
      expect(parseMessage(frame[4]!, frame.subarray(5))).toEqual(msg);
    }
    // a u64 beyond 2^53 - 1 cannot be read exactly: MALFORMED
    expect(() => parseMessage(MsgType.STAMPED, Uint8Array.of(0x17, 0, 8, 0, 0x20, 0, 0, 0, 0, 0, 0))).toThrow(expect.objectContaining({ code: ErrorCode.MALFORMED }));
  });

  it('STATUS frames, byte for byte as the document shows them (§10.3)', () => {
    const cases: Array<[HcpMessage, string]> = [
      [{ type: MsgType.STATUS, fields: { entry: [{ name: 'bob', status: 'away', statusMessage: 'back at 3' }, { name: 'eve', status: 'busy' }] } },
        '0000002d2c' + '130019' + '030003626f62' + '080004' + hex(Buffer.from('away')) + '090009' + hex(Buffer.from('back at 3'))
        + '13000d' + '030003657665' + '080004' + hex(Buffer.from('busy'))],
      [{ type: MsgType.STATUS, fields: { entry: [{ name: 'bob', status: 'available' }] } },
        '000000162c' + '130012' + '030003626f62' + '080009' + hex(Buffer.from('available'))],
    ];
    for (const [msg, bytes] of cases) {
      const frame = encodeFrame(msg);
      expect(hex(frame)).toBe(bytes);
      expect(parseMessage(frame[4]!, frame.subarray(5))).toEqual(msg);
    }
  });
});

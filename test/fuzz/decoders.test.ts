/**
 * Fuzzing of every decoder with generated input. The suite runs a bounded portion;
 * `npm run fuzz` runs many more cases (HOWDY_FUZZ_RUNS, default there 100 000).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClassicDecoder, FramedDecoder, HcpError, MsgType, parseMessage } from '../../src/protocol/index.js';
import { ChatCore } from '../../src/server/core/chat.js';
import { fakeLink } from '../helpers/links.js';
import { defaultServerOptions } from '../../src/server/options.js';
import { memoryLogger } from '../helpers/server.js';

const runs = Number(process.env.HOWDY_FUZZ_RUNS ?? 300);
const bytes = fc.uint8Array({ maxLength: 600 });
/** Inputs that look like the protocol often enough to get past the first checks. */
const hcpish = fc.oneof(
  bytes,
  fc.tuple(fc.integer({ min: 0, max: 0x24 }), fc.uint8Array({ maxLength: 300 })).map(([t, b]) => Uint8Array.of(t, ...b)),
  fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 0x24 }), fc.uint8Array({ maxLength: 400 })).map(([len, t, b]) => {
    const out = new Uint8Array(5 + b.length);
    new DataView(out.buffer).setUint32(0, len);
    out[4] = t;
    out.set(b, 5);
    return out;
  }),
);

const onlyHcpErrors = (f: () => void) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(HcpError);
  }
};

describe(`decoder fuzzing (${runs} cases each)`, () => {
  it('the framed decoder emits only well-formed frames and fails only with HcpError', () => {
    fc.assert(
      fc.property(fc.array(hcpish, { maxLength: 6 }), (chunks) => {
        const d = new FramedDecoder({ maxFrameBytes: 1000 }, (_type, body, frame) => {
          expect(frame!.length).toBe(body.length + 5);
          expect(body.length).toBeLessThan(1000);
        });
        onlyHcpErrors(() => chunks.forEach((c) => d.push(c)));
      }),
      { numRuns: runs },
    );
  });

  it('the classic decoder never throws, and never emits more than it was given', () => {
    fc.assert(
      fc.property(fc.array(hcpish, { maxLength: 6 }), (chunks) => {
        let emitted = 0;
        const d = new ClassicDecoder((_t, body) => (emitted += 1 + body.length));
        chunks.forEach((c) => d.push(c));
        expect(emitted + d.buffered).toBeLessThanOrEqual(chunks.reduce((n, c) => n + c.length, 0));
      }),
      { numRuns: runs },
    );
  });

  it('extension frames (TLV fields) parse or fail only with HcpError, whatever their fields', () => {
    const tlv = ([tag, value, skew]: [number, Uint8Array, number]) => Uint8Array.of(tag, 0, Math.max(0, value.length + skew), ...value);
    const plain = fc.tuple(fc.integer({ min: 0, max: 0x18 }), fc.uint8Array({ maxLength: 20 }), fc.integer({ min: -2, max: 2 })).map(tlv);
    // an ENTRY (tag 13) holding fields of its own, an ENTRY among them
    const entry = fc.tuple(fc.constant(0x13), fc.array(plain, { maxLength: 4 }).map((fs) => Uint8Array.from(fs.flatMap((f) => [...f]))), fc.integer({ min: -2, max: 2 })).map(tlv);
    const field = fc.oneof(plain, entry, fc.tuple(fc.constant(0x13), entry, fc.integer({ min: -1, max: 1 })).map(tlv));
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0x11, max: 0x23 }), fc.constantFrom(MsgType.BLOCK, MsgType.UNBLOCK, MsgType.BLOCKS)), fc.array(field, { maxLength: 6 }), (type, fields) => {
        const body = Uint8Array.from(fields.flatMap((f) => [...f]));
        onlyHcpErrors(() => {
          const msg = parseMessage(type, body);
          expect(msg).toMatchObject(type === MsgType.ROOM_EVENT ? { type, fields: expect.any(Object) } : { type, id: expect.any(Number) });
        });
      }),
      { numRuns: runs },
    );
  });

  it('message parsing fails only with HcpError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), bytes, (type, body) => onlyHcpErrors(() => parseMessage(type, body))),
      { numRuns: runs },
    );
  });

  it('the chat core takes any WebSocket payload (type + body) without throwing', () => {
    const core = new ChatCore({ ...defaultServerOptions, messageRate: 0 }, memoryLogger());
    const link = () => fakeLink();
    const friend = core.connect(link(), 'fuzz');
    friend.receive(1, new TextEncoder().encode('friend'.padEnd(64, '\0')));
    fc.assert(
      fc.property(fc.array(hcpish, { maxLength: 8 }), (payloads) => {
        const s = core.connect(link(), 'fuzz');
        for (const p of payloads) if (p.length > 0) s.receive(p[0]!, p.subarray(1));
        s.closed('done');
      }),
      { numRuns: runs },
    );
    expect(core.names()).toEqual(['friend']);
    expect(core.connectionCount).toBe(1);
  });
});

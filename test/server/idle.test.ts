/** The idle timer keeps the times docs/protocol.md §5.2 gives (fake clock: the times are exact). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeNameField, ErrorCode, MsgType, parseMessage, payloadOf, type HcpMessage } from '../../src/protocol/index.js';
import { ChatCore } from '../../src/server/core/chat.js';
import { fakeLink } from '../helpers/links.js';
import { defaultServerOptions } from '../../src/server/options.js';

afterEach(() => vi.useRealTimers());

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('idle peers, by the clock', () => {
  it('a silent framed peer is pinged at half the idle timeout and dropped at the whole of it, within 3 s', async () => {
    vi.useFakeTimers();
    const core = new ChatCore({ ...defaultServerOptions, idleTimeoutMs: 120_000 }, quiet);
    await vi.advanceTimersByTimeAsync(25_000); // the peer arrives at some moment of the server's life
    const got: Array<{ at: number; msg: HcpMessage }> = [];
    const link = fakeLink((frame) => {
      const payload = payloadOf(frame);
      got.push({ at: Date.now(), msg: parseMessage(payload[0]!, payload.subarray(1))! });
    });
    const session = core.connect(link, '127.0.0.1');
    const since = Date.now();
    session.receive(MsgType.PROPOSAL, encodeNameField('quiet'));
    await vi.advanceTimersByTimeAsync(130_000);
    const ping = got.find((g) => g.msg.type === MsgType.PING);
    const error = got.find((g) => g.msg.type === MsgType.ERROR);
    expect(ping!.at - since).toBeGreaterThanOrEqual(60_000);
    expect(ping!.at - since).toBeLessThanOrEqual(63_000);
    expect(error!.at - since).toBeGreaterThanOrEqual(120_000);
    expect(error!.at - since).toBeLessThanOrEqual(123_000);
    expect(error!.msg).toMatchObject({ code: ErrorCode.IDLE_TIMEOUT, fatal: true, reason: 'nothing heard from you for 120 s' });
    core.shutdown('test over');
  });
});

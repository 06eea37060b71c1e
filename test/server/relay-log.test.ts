import { afterEach, describe, expect, it, vi } from 'vitest';
import { RelayLog } from '../../src/server/core/relay-log.js';
import { memoryLogger } from '../helpers/server.js';

afterEach(() => vi.useRealTimers());

describe('relay log', () => {
  it('logs each relay up to the limit per second, then one summary of the rest', () => {
    vi.useFakeTimers();
    const log = memoryLogger();
    const relays = new RelayLog(log, 100, false);
    for (let i = 0; i < 150; i++) relays.relayed(1, 'a', 'All', 5, 3);
    expect(log.entries.filter((e) => e.msg === 'message relayed')).toHaveLength(100);
    expect(log.entries[0]).toEqual({ level: 'info', msg: 'message relayed', peer: 1, from: 'a', to: 'All', bytes: 5, receivers: 3 });
    vi.advanceTimersByTime(1000);
    expect(log.entries.at(-1)).toMatchObject({ msg: 'more messages relayed than logged one by one', messages: 50, bytes: 250, deliveries: 150 });
    relays.relayed(1, 'a', 'b', 5, 1);
    expect(log.entries.at(-1)).toMatchObject({ msg: 'message relayed', to: 'b' });
  });

  it('logs the text only when asked to', () => {
    const log = memoryLogger();
    new RelayLog(log, 10, true).relayed(1, 'a', 'b', 6, 1, new TextEncoder().encode('secret'));
    expect(log.entries[0]).toMatchObject({ text: 'secret' });
  });
});

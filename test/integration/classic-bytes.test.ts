import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Bytes exactly as the seed's packet format draws them, built by hand (no codec involved). */
const field = (name: string) => {
  const out = Buffer.alloc(64);
  Buffer.from(name, 'utf8').copy(out);
  return out;
};
const proposal = (name: string) => Buffer.concat([Buffer.of(1), field(name)]);

/** A raw socket that accumulates every byte, like `nc` would show them. */
function rawClient(port: number): Promise<{ socket: Socket; seen: () => Buffer; waitBytes: (n: number) => Promise<Buffer> }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve({ socket, seen: () => buf, waitBytes }));
    socket.on('data', (d) => (buf = Buffer.concat([buf, d])));
    const waitBytes = async (n: number) => {
      const deadline = Date.now() + 3000;
      while (buf.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} bytes, got ${buf.length}: ${buf.toString('hex')}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const out = buf.subarray(0, n);
      buf = buf.subarray(n);
      return out;
    };
  });
}

describe('classic HCP/1 byte for byte, as the 2016 client sends it', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startTestServer()));
  afterEach(async () => server.close());

  it('PROPOSAL → ACK + UPDATE; join → UPDATE to all; broadcast and whisper relayed verbatim', async () => {
    const jon = await rawClient(server.port);
    jon.socket.write(proposal('Jon Stewart'));
    expect((await jon.waitBytes(65)).toString('hex')).toBe(Buffer.concat([Buffer.of(2), field('Jon Stewart')]).toString('hex'));
    expect((await jon.waitBytes(65)).toString('hex')).toBe(Buffer.concat([Buffer.of(4), field('Jon Stewart')]).toString('hex'));

    const stephen = await rawClient(server.port);
    stephen.socket.write(proposal('Stephen Colbert'));
    const listBoth = Buffer.concat([Buffer.of(4), field('Jon Stewart'), field('Stephen Colbert')]).toString('hex');
    expect((await stephen.waitBytes(65)).toString('hex')).toBe(Buffer.concat([Buffer.of(2), field('Stephen Colbert')]).toString('hex'));
    expect((await stephen.waitBytes(129)).toString('hex')).toBe(listBoth);
    expect((await jon.waitBytes(129)).toString('hex')).toBe(listBoth);

    const broadcast = Buffer.concat([Buffer.of(5), field('Jon Stewart'), field('All'), Buffer.from('Howdy everyone')]);
    jon.socket.write(broadcast);
    expect((await stephen.waitBytes(broadcast.length)).toString('hex')).toBe(broadcast.toString('hex'));

    const whisper = Buffer.concat([Buffer.of(5), field('Stephen Colbert'), field('Jon Stewart'), Buffer.from('psst')]);
    stephen.socket.write(whisper);
    expect((await jon.waitBytes(whisper.length)).toString('hex')).toBe(whisper.toString('hex'));

    // the sender of a broadcast does not get it back
    await new Promise((r) => setTimeout(r, 50));
    expect(jon.seen().length).toBe(0);

    // a duplicate name gets NAK echoing the proposal, and nothing else
    const jimmy = await rawClient(server.port);
    jimmy.socket.write(proposal('stephen colbert'));
    expect((await jimmy.waitBytes(65)).toString('hex')).toBe(Buffer.concat([Buffer.of(3), field('stephen colbert')]).toString('hex'));
    jimmy.socket.write(proposal('Jimmy Fallon'));
    expect((await jimmy.waitBytes(65))[0]).toBe(2);
    const listThree = Buffer.concat([Buffer.of(4), field('Jon Stewart'), field('Stephen Colbert'), field('Jimmy Fallon')]);
    expect((await jimmy.waitBytes(193)).toString('hex')).toBe(listThree.toString('hex'));

    // leaving: the others get the new full list
    stephen.socket.destroy();
    const listAfter = Buffer.concat([Buffer.of(4), field('Jon Stewart'), field('Jimmy Fallon')]).toString('hex');
    expect((await jon.waitBytes(193)).toString('hex')).toBe(listThree.toString('hex'));
    expect((await jon.waitBytes(129)).toString('hex')).toBe(listAfter);
    jon.socket.destroy();
    jimmy.socket.destroy();
  });
});

/** CAPS and requests over real sockets (docs/protocol.md §10): what a client sees, framed and classic. */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { encodeFrame, ErrorCode, MsgType } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const { track } = trackPeers(() => server);

describe('capabilities', () => {
  it('a CAPS is answered by a REPLY with its id and the capabilities granted (none of those it does not offer); the peer then joins as usual', async () => {
    server = await startTestServer();
    const peer = track(await FramedPeer.open(server.port));
    peer.send({ type: MsgType.CAPS, id: 41, fields: { caps: ['history', 'rooms', 'teleport'] } });
    expect(await peer.take(MsgType.REPLY)).toEqual({ type: MsgType.REPLY, id: 41, fields: { caps: ['history', 'rooms'], epoch: expect.stringMatching(/^[0-9a-z]+$/) } });
    const none = track(await FramedPeer.open(server.port));
    none.send({ type: MsgType.CAPS, id: 42, fields: { caps: ['teleport'] } });
    expect(await none.take(MsgType.REPLY)).toEqual({ type: MsgType.REPLY, id: 42, fields: {} }); // no CAP field: none granted
    peer.send({ type: MsgType.PROPOSAL, name: 'asker' });
    await peer.take(MsgType.ACK);
    expect(server.core.names()).toEqual(['asker']);
  });

  it('a second CAPS, or one after the name, gets REQUEST_INVALID naming the request; a broken one MALFORMED naming it; the connection stays', async () => {
    server = await startTestServer();
    const peer = track(await FramedPeer.open(server.port));
    peer.send({ type: MsgType.CAPS, id: 1, fields: { caps: [] } });
    await peer.take(MsgType.REPLY);
    peer.send({ type: MsgType.CAPS, id: 2, fields: { caps: [] } });
    expect(await peer.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.REQUEST_INVALID, fatal: false, id: 2 });
    const late = track(await join(FramedPeer.open(server.port), 'late'));
    late.send({ type: MsgType.CAPS, id: 3, fields: { caps: ['rooms'] } });
    expect(await late.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.REQUEST_INVALID, id: 3 });
    const broken = track(await FramedPeer.open(server.port));
    const frame = encodeFrame({ type: MsgType.CAPS, id: 4, fields: { caps: ['accounts'] } });
    const cut = frame.subarray(0, frame.length - 3);
    new DataView(cut.buffer, cut.byteOffset).setUint32(0, cut.length - 4);
    broken.write(cut);
    expect(await broken.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.MALFORMED, fatal: false, id: 4 });
    for (const p of [peer, late, broken]) expect(p.closed).toBe(false);
  });

  it('a classic peer\'s CAPS bytes are ignored, as any type the seed does not know', async () => {
    server = await startTestServer();
    const old = track(await ClassicPeer.open(server.port));
    old.write(encodeFrame({ type: MsgType.CAPS, id: 5, fields: { caps: ['rooms'] } }).subarray(4));
    await new Promise((r) => setTimeout(r, 30));
    old.send({ type: MsgType.PROPOSAL, name: 'old' });
    await old.take(MsgType.ACK);
    expect(old.received.map((m) => m.type)).not.toContain(MsgType.REPLY);
  });

  it('the client library asks and is granted what the server has; over classic it asks nothing', async () => {
    server = await startTestServer();
    const client = await connect('127.0.0.1', server.port);
    expect(await client.requestCapabilities(['rooms', 'teleport'])).toEqual(['rooms']);
    expect(await client.register('lib')).toMatchObject({ accepted: true });
    client.close();
    const classic = await connect('127.0.0.1', server.port, { classic: true });
    expect(await classic.requestCapabilities(['rooms'])).toEqual([]);
    classic.close();
  });
});

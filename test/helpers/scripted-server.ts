import { ChatClient } from '../../src/client/client.js';
import type { Connection } from '../../src/client/connection.js';
import { encodeFrame, FRAME_HEADER_BYTES, MsgType, parseMessage, type ExtensionFields, type HcpMessage } from '../../src/protocol/index.js';

/**
 * A server in a test's hands, over a Connection in memory: it records what the client sends and
 * answers as the test's script says, so the client library's state can be checked frame by frame.
 */
export class ScriptedServer {
  /** What the client sent, in order. */
  readonly sent: HcpMessage[] = [];
  private readonly connections: Connection[] = [];

  constructor(private readonly script: (msg: HcpMessage, server: ScriptedServer) => void) {}

  /** A new client connection to this server (the latest one is the one `deliver` writes to). */
  open(): ChatClient {
    const connection: Connection = {
      wire: 'framed',
      address: 'scripted',
      send: (frame) => {
        const msg = parseMessage(frame[FRAME_HEADER_BYTES]!, frame.subarray(FRAME_HEADER_BYTES + 1))!;
        this.sent.push(msg);
        queueMicrotask(() => this.script(msg, this));
      },
      close: () => queueMicrotask(() => connection.onClose('closed')),
      onFrame: () => {},
      onClose: () => {},
    };
    this.connections.push(connection);
    return new ChatClient(connection);
  }

  /** Sends `msg` to the client on the latest connection. */
  deliver(msg: HcpMessage): void {
    const frame = encodeFrame(msg);
    this.connections.at(-1)!.onFrame(frame[FRAME_HEADER_BYTES]!, frame.subarray(FRAME_HEADER_BYTES + 1));
  }

  /** Answers the request `msg` with a REPLY carrying `fields`. */
  reply(msg: HcpMessage, fields: ExtensionFields = {}): void {
    if (!('id' in msg) || msg.id === undefined) throw new Error(`type ${msg.type} is no request`);
    this.deliver({ type: MsgType.REPLY, id: msg.id, fields });
  }

  /** Drops the latest connection, as a server restart would. */
  drop(reason = 'the server is shutting down'): void {
    this.connections.at(-1)!.onClose(reason);
  }

  /** The requests of `type` the client sent. */
  requests(type: number): HcpMessage[] {
    return this.sent.filter((m) => m.type === type);
  }
}

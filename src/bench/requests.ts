import { encodeFrame, MsgType, parseMessage, type ExtensionFields, type RequestType } from '../protocol/index.js';

interface Waiting {
  resolve(fields: ExtensionFields): void;
  reject(err: Error): void;
}

/**
 * A bench peer's requests (docs/protocol.md §10.1): each sent with an id of its own and answered
 * by a REPLY or an ERROR carrying that id. Used only while users settle in (CAPS, accounts, rooms),
 * never per message.
 */
export class Requests {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly who: string,
    private readonly write: (frame: Uint8Array) => void,
  ) {}

  /** Sends a request; resolves with its REPLY's fields, rejects with the ERROR that refused it. */
  send(type: RequestType, fields: ExtensionFields): Promise<ExtensionFields> {
    const id = this.nextId++;
    const answered = new Promise<ExtensionFields>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.write(encodeFrame({ type, id, fields }));
    return answered;
  }

  /** Settles the request a REPLY or an ERROR answers; other frames, and errors without an id, are not its business. */
  answer(type: number, body: Uint8Array): void {
    const msg = parseMessage(type, body);
    if (msg?.type === MsgType.REPLY) this.take(msg.id)?.resolve(msg.fields);
    else if (msg?.type === MsgType.ERROR && msg.id !== undefined) this.take(msg.id)?.reject(new Error(`${this.who}: ${msg.reason}`));
  }

  /** The connection is gone: no answer will come. */
  abandon(): void {
    for (const w of this.waiting.values()) w.reject(new Error(`${this.who}: the connection closed before the server answered`));
    this.waiting.clear();
  }

  private take(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }
}

import type { Socket } from 'node:net';

/**
 * One transport's sockets, counted for metrics from what Node keeps on each socket anyway (bytes
 * read and written, bytes not yet taken by the kernel): read when scraped, nothing per message.
 */
export class Traffic {
  /** Sockets accepted since the start (refused ones too). */
  opened = 0;
  private readonly open = new Set<Socket>();
  private closedIn = 0;
  private closedOut = 0;

  track(socket: Socket): void {
    this.opened++;
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.closedIn += socket.bytesRead;
      this.closedOut += socket.bytesWritten;
    });
  }

  get bytesIn(): number {
    let bytes = this.closedIn;
    for (const s of this.open) bytes += s.bytesRead;
    return bytes;
  }

  get bytesOut(): number {
    let bytes = this.closedOut;
    for (const s of this.open) bytes += s.bytesWritten;
    return bytes;
  }

  /** Bytes written by the server that the kernel has not taken yet (slow readers' backlog). */
  get queuedBytes(): number {
    let bytes = 0;
    for (const s of this.open) bytes += s.writableLength;
    return bytes;
  }
}

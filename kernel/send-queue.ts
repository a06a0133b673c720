/**
 * One send queue per ZeroMQ socket: zeromq.js rejects concurrent sends on a socket with EBUSY,
 * so sends are chained. A failed send is logged and never blocks the ones after it.
 */
import type * as zmq from "zeromq";

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: zmq.Writable & zmq.Socket) {}

  send(frames: Buffer[]): void {
    this.tail = this.tail.then(
      () => this.socket.send(frames),
    ).catch((e: Error) => {
      if (!this.socket.closed) process.stderr.write(`[gradnote] send failed: ${e.message}\n`);
    });
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  drain(): Promise<void> {
    return this.tail;
  }
}

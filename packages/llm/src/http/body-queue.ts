import type { IncomingMessage } from "node:http";

/** Text held unread before the socket is paused (TCP then slows the server down). */
const HIGH_WATER = 1 << 20;

/**
 * A response body (set to UTF-8) as an async iterator over 'data' events.
 * Cheaper per chunk than the stream's own iterator (an async generator over
 * read()), and text that arrives between two reads comes back as one chunk.
 * Leaving the iteration early destroys an unfinished response, and its socket.
 */
export class BodyQueue implements AsyncIterableIterator<string> {
  private pending = "";
  private finished = false;
  private failure: Error | undefined;
  private waiter: { resolve: (r: IteratorResult<string>) => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly res: IncomingMessage) {
    res.on("data", (chunk: string) => {
      const waiter = this.waiter;
      if (waiter !== undefined) {
        this.waiter = undefined;
        waiter.resolve({ value: chunk, done: false });
        return;
      }
      this.pending += chunk;
      if (this.pending.length > HIGH_WATER) res.pause();
    });
    res.on("end", () => {
      this.finished = true;
      this.settle();
    });
    // A socket dropped mid-body destroys the response with "aborted" (ECONNRESET); an abort, with its reason.
    res.on("error", (err) => {
      this.failure ??= err;
      this.settle();
    });
    res.on("close", () => {
      if (!this.finished) this.failure ??= new Error("the response closed before its end");
      this.settle();
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<string>> {
    if (this.pending !== "") {
      const value = this.pending;
      this.pending = "";
      if (this.res.isPaused()) this.res.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<string>> {
    if (!this.finished) this.res.destroy();
    this.pending = "";
    return Promise.resolve({ value: undefined, done: true });
  }

  private settle(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    if (this.failure !== undefined) waiter.reject(this.failure);
    else if (this.finished) waiter.resolve({ value: undefined, done: true });
  }
}

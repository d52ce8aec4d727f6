/**
 * A push-based queue read as an async iterable: producers `push` (never
 * blocking), one consumer iterates. `end()` finishes the iteration after the
 * items already queued; `fail(error)` makes the consumer throw after them.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.end();
  }

  get size(): number {
    return this.items.length;
  }

  /** Takes the next queued item if it is there already and `wanted` accepts it (never waits). */
  takeIf<S extends T>(wanted: (item: T) => item is S): S | undefined {
    const head = this.items[0];
    if (head === undefined || !wanted(head)) return undefined;
    this.items.shift();
    return head;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.ended) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

/** What a session start is doing: creating the session, or sending a message that starts a run. */
export type StartKind = "create" | "message";

interface Waiter {
  admit(): void;
}

/**
 * How many session starts one gateway replica lets through at once. Starting
 * a session costs every service far more CPU than streaming one of its events
 * (tens of milliseconds across gateway, session service, router and Redis), so
 * a burst of starts let through all at once stalls the streams already
 * running for as long as the burst lasts. Over the limit a start waits its
 * turn (first come, first served), never fails; a message waiting for a
 * session that is already created goes before a new session, so a start once
 * begun finishes before others begin. A slot is held from the call until the
 * session service has taken the start in hand: a created session, or the
 * first event of the run (its logged message) — never while the model
 * thinks, so a slow model does not hold starts back — and at most
 * `holdLimitMs`: a start stuck upstream (a session service that does not
 * answer) gives its slot up then, so it cannot hold every other start back.
 */
export class StartAdmission {
  private running = 0;
  private readonly waiting: Record<StartKind, Waiter[]> = { message: [], create: [] };

  /** `limit` starts at once; 0 lets every start through at once. */
  constructor(
    private readonly limit: number,
    private readonly holdLimitMs = 10_000,
  ) {
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`the start limit must be a whole number ≥ 0`);
  }

  /** Starts in flight now, and starts waiting for a slot. */
  counts(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.message.length + this.waiting.create.length };
  }

  /**
   * Waits for a slot and takes it; the returned function gives it back (once,
   * however often it is called). Rejects with `signal`'s reason when the
   * caller goes away first.
   */
  async acquire(kind: StartKind, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.limit === 0 || this.running < this.limit) {
      this.running++;
    } else {
      await this.queued(kind, signal);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.handOver();
    };
    // Without a limit nothing waits for the slot: no hold timer to keep.
    const timer = this.limit === 0 ? undefined : setTimeout(release, this.holdLimitMs);
    timer?.unref();
    return release;
  }

  /** Resolves once a leaving start handed its slot to this one (the count stays the same). */
  private queued(kind: StartKind, signal: AbortSignal): Promise<void> {
    const queue = this.waiting[kind];
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      queue.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private handOver(): void {
    const next = this.waiting.message.shift() ?? this.waiting.create.shift();
    if (next) next.admit();
    else this.running--;
  }
}

/**
 * `stream` as it is, calling `release` once its first message (or its end, or
 * its failure) arrives or the reader stops early. After that, reads go
 * straight to `stream`: nothing is added per message.
 */
export function releasedOnFirst<T>(stream: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const inner = stream[Symbol.asyncIterator]();
      let first = true;
      return {
        next() {
          if (!first) return inner.next();
          first = false;
          return inner.next().finally(release);
        },
        async return(value?: unknown) {
          release();
          return (await inner.return?.(value)) ?? { done: true, value: value as T };
        },
      };
    },
  };
}

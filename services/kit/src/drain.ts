interface TrackedCall {
  controller: AbortController;
  /** Follower streams (Resume) never end by themselves: they are stopped at once when draining starts. */
  follower: boolean;
  done: Promise<void>;
}

/** How long cancelled or aborted calls get to unwind. */
const GRACE_MS = 2_000;

export const SHUTTING_DOWN =
  "the server is shutting down; reconnect (streams: resume from the last seq you saw)";

/**
 * Graceful drain: once `drain` starts, new calls are refused with
 * UNAVAILABLE, follower streams are ended (UNAVAILABLE, so clients resume
 * elsewhere), and calls doing work (a turn of the agent, a model request)
 * get until the deadline to finish before they are aborted.
 */
export class DrainTracker {
  private readonly calls = new Set<TrackedCall>();
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.calls.size;
  }

  /** Registers a call; `undefined` (refuse it) while draining. */
  begin(follower: boolean): { controller: AbortController; end(): void } | undefined {
    if (this.draining) return undefined;
    const controller = new AbortController();
    let end = () => {};
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    const call: TrackedCall = { controller, follower, done };
    this.calls.add(call);
    return {
      controller,
      end: () => {
        this.calls.delete(call);
        end();
      },
    };
  }

  /** Whether an aborted call was stopped by the drain (it then ends UNAVAILABLE, not CANCELLED). */
  stoppedByDrain(controller: AbortController): boolean {
    return controller.signal.aborted && controller.signal.reason === SHUTDOWN_REASON;
  }

  /**
   * Stops taking calls and ends follower streams at once; lets working calls
   * finish until `deadlineMs`. `beforeAbort` is the service's own drain,
   * which must honour the deadline itself (the session service lets runs end
   * their turn, then cancels them so their streams end with the cancellation
   * in the log). Whatever is still open a grace period later is aborted.
   */
  async drain(deadlineMs: number, beforeAbort?: (deadlineMs: number) => Promise<void>): Promise<void> {
    this.draining = true;
    const started = Date.now();
    for (const call of this.calls) if (call.follower) call.controller.abort(SHUTDOWN_REASON);
    if (beforeAbort) await beforeAbort(deadlineMs);
    await Promise.race([this.allDone(), sleep(Math.max(0, deadlineMs - (Date.now() - started)) + GRACE_MS)]);
    for (const call of this.calls) call.controller.abort(SHUTDOWN_REASON);
    // Aborted calls unwind quickly; do not hang the shutdown on one that does not.
    await Promise.race([this.allDone(), sleep(GRACE_MS)]);
  }

  private allDone(): Promise<unknown> {
    return Promise.all([...this.calls].map((call) => call.done));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

const SHUTDOWN_REASON = new Error(SHUTTING_DOWN);

import { Status } from "nice-grpc-common";
import { Observable } from "rxjs";
import type { GrpcCall } from "./call-context.js";
import { type DrainTracker, SHUTTING_DOWN } from "./drain.js";

/** The grpc-js call of a server-streaming method (a ServerWritableStream), as the pump uses it. */
export interface StreamCall extends GrpcCall {
  write(message: unknown): boolean;
  once(event: "drain", listener: () => void): unknown;
  removeListener(event: "drain", listener: () => void): unknown;
}

/** What the controller tracks for one call (see `begin` in controller.ts). */
export interface PumpedCall {
  controller: AbortController;
  /** Records the call's end (metrics, span, drain); called once. */
  finish(code: Status): void;
  /** Records a failed end and gives the status to send (an RpcException). */
  failure(error: unknown): unknown;
}

/** Why the implementation is stopped when Nest closes the stream (one shared error: no stack per call). */
const STREAM_CLOSED = new Error("stream closed");

/** How a pump reports its end: every message queued (`complete`), or the status to send (`error`). */
interface PumpEnd {
  complete(): void;
  error(status: unknown): void;
}

/**
 * Writes the implementation's messages straight to the grpc-js call,
 * honouring backpressure (a `write` that returns false waits for 'drain'),
 * and reports the end to `end`. Returns the teardown: it stops the
 * implementation (abort, iterator.return) when the call goes away first.
 */
function startPump(
  iterator: AsyncIterator<unknown>,
  call: StreamCall,
  tracked: PumpedCall,
  counted: () => void,
  drain: DrainTracker,
  end: PumpEnd,
): () => void {
  const { controller, finish, failure } = tracked;
  let closed = false;
  let ended = false;
  let wake: (() => void) | undefined;
  // Resolves on 'drain', on the teardown, or when the call is aborted (a drain must not wait on a slow reader).
  const writable = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        wake = undefined;
        call.removeListener("drain", done);
        controller.signal.removeEventListener("abort", done);
        resolve();
      };
      wake = done;
      call.once("drain", done);
      controller.signal.addEventListener("abort", done, { once: true });
    });
  const pump = async () => {
    try {
      while (!closed) {
        const next = await iterator.next();
        if (next.done || closed) break;
        counted();
        if (!call.write(next.value)) {
          await writable();
          // Aborted while the client was not reading: stop here rather than queue without bound.
          if (controller.signal.aborted) break;
        }
      }
      if (drain.stoppedByDrain(controller)) throw new Error(SHUTTING_DOWN);
      ended = true;
      finish(controller.signal.aborted ? Status.CANCELLED : Status.OK);
      end.complete();
    } catch (error) {
      ended = true;
      end.error(failure(error));
    }
  };
  void pump();
  return () => {
    closed = true;
    wake?.();
    // The client went away before the stream ended: stop the implementation (`finish` saw to an ended one).
    if (!ended && !controller.signal.aborted) controller.abort(STREAM_CLOSED);
    void iterator.return?.();
  };
}

/**
 * The pump as an Observable for Nest's gRPC transport: it emits nothing and
 * completes once the last message is queued on the call (Nest then ends the
 * call with OK; the call's writable queue keeps the order) or errors with the
 * status to send. Nest's own per-message path (an rxjs `next` through its
 * operators, its buffer) is never taken. Nest unsubscribes when the client
 * cancels, and after the Observable ends: the teardown runs either way.
 */
export function pumpToCall(
  iterator: AsyncIterator<unknown>,
  call: StreamCall,
  tracked: PumpedCall,
  counted: () => void,
  drain: DrainTracker,
): Observable<never> {
  return new Observable<never>((subscriber) =>
    startPump(iterator, call, tracked, counted, drain, {
      complete: () => subscriber.complete(),
      error: (status) => subscriber.error(status),
    }),
  );
}

/** A grpc-js server-streaming call as the direct pump drives it (see `pumpDirect`). */
export interface DirectStreamCall extends StreamCall {
  end(): void;
  emit(event: "error", status: { code: number; details: string }): boolean;
}

/**
 * The pump served straight by grpc-js (no Nest, no Observable): ends the call
 * itself, with OK or with `toGrpcStatus` of the failure, and tears down when
 * the client cancels first.
 */
export function pumpDirect(
  iterator: AsyncIterator<unknown>,
  call: DirectStreamCall,
  tracked: PumpedCall,
  counted: () => void,
  drain: DrainTracker,
  toGrpcStatus: (failure: unknown) => { code: number; details: string },
): void {
  let teardown: (() => void) | undefined;
  const onCancel = () => teardown?.();
  call.on("cancelled", onCancel);
  teardown = startPump(iterator, call, tracked, counted, drain, {
    complete: () => {
      call.off?.("cancelled", onCancel);
      call.end();
      teardown?.();
    },
    error: (failure) => {
      call.off?.("cancelled", onCancel);
      // grpc-js sends the error's code and details as the call's status, then ends it.
      call.emit("error", toGrpcStatus(failure));
      teardown?.();
    },
  });
}

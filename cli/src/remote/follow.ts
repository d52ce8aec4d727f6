import { type AgentEvent, type SessionServiceClient, SessionState } from "@toad/proto";
import { ClientError, Status } from "nice-grpc";

/** Failures after which the run may well go on: the connection or a service restarted. */
export function isReconnectable(error: unknown): boolean {
  return (
    error instanceof ClientError &&
    (error.code === Status.UNAVAILABLE || error.code === Status.INTERNAL || error.code === Status.UNKNOWN)
  );
}

const isAbort = (error: unknown) => error instanceof Error && error.name === "AbortError";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * After a SendMessage stream broke, follows the session with Resume from
 * the last seq seen until its run is over: the session is idle and its log
 * has nothing left to read. A killed session service comes back (or another
 * replica takes over) and continues the run; meanwhile this reconnects with
 * backoff. Every message goes to `handle`, which drops what it already saw.
 */
export async function followUntilIdle(
  client: Pick<SessionServiceClient, "resume" | "getSession">,
  sessionId: string,
  lastSeen: () => number,
  handle: (message: AgentEvent) => Promise<void>,
  signal: AbortSignal,
  windowMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + windowMs;
  let delay = 100;
  while (!signal.aborted) {
    if (Date.now() > deadline) {
      throw new Error(`the session service did not come back within ${Math.round(windowMs / 1000)} s`);
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener("abort", stop, { once: true });
    let over = false;
    const watcher = (async () => {
      while (!controller.signal.aborted) {
        await sleep(500);
        try {
          const session = await client.getSession({ sessionId }, { signal: controller.signal });
          if (session.state === SessionState.SESSION_STATE_IDLE && session.lastSeq <= lastSeen()) {
            over = true;
            controller.abort();
          }
        } catch {
          // Down or aborted: the stream below reconnects.
        }
      }
    })();
    try {
      for await (const message of client.resume(
        { sessionId, afterSeq: lastSeen() },
        { signal: controller.signal },
      )) {
        await handle(message);
        delay = 100;
      }
    } catch (error) {
      if (!over && !signal.aborted && !isAbort(error) && !isReconnectable(error)) throw error;
    } finally {
      controller.abort();
      signal.removeEventListener("abort", stop);
      await watcher;
    }
    if (over || signal.aborted) return;
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  }
}

import type { FetchLike, HttpSend } from "./types.js";

/** An injected fetch (tests, custom dispatchers) as the attempt's HttpSend. */
export function fetchSend(fetchImpl: FetchLike): HttpSend {
  return async (url, init) => {
    const response = await fetchImpl(url, init);
    return {
      status: response.status,
      headers: response.headers,
      body: response.body === null ? null : bodyChunks(response.body),
    };
  };
}

/**
 * The body's chunks through its reader: works whether the environment's
 * ReadableStream type is Node's (async-iterable) or the DOM's (not).
 */
async function* bodyChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // A consumer that stopped early cancels the body, which closes the connection.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

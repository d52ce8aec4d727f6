import type { ModelClient, ModelStreamEvent, TextDeltaEvent } from "@toad/core";
import { AsyncQueue } from "../util/async-queue.js";

const isTextDelta = (event: ModelStreamEvent): event is TextDeltaEvent => event.type === "text_delta";

/**
 * A model client whose stream is read ahead of its consumer. While the agent
 * loop waits for the store to have one event, the next ones are read, and
 * text deltas already waiting when it asks for more are handed over as one.
 * A loop that keeps up sees the stream unchanged, with nothing held back; one
 * that falls behind (a replica under load) catches up with fewer, larger
 * deltas (fewer store appends, bus messages and gRPC writes) instead of
 * adding the same cost again for every delta. The text is the same.
 */
export function coalescingModel(model: ModelClient): ModelClient {
  return { stream: (request, options) => coalesced(model.stream(request, options)) };
}

async function* coalesced(source: AsyncIterable<ModelStreamEvent>): AsyncGenerator<ModelStreamEvent> {
  const ahead = new AsyncQueue<ModelStreamEvent>();
  const upstream = source[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    try {
      while (!stopped) {
        const next = await upstream.next();
        if (next.done) break;
        ahead.push(next.value);
      }
      ahead.end();
    } catch (error) {
      ahead.fail(error);
    }
  })();
  try {
    for await (const event of ahead) {
      if (!isTextDelta(event)) {
        yield event;
        continue;
      }
      let text = event.text;
      for (let more = ahead.takeIf(isTextDelta); more; more = ahead.takeIf(isTextDelta)) text += more.text;
      yield text === event.text ? event : { type: "text_delta", text };
    }
  } finally {
    // The consumer stopped early (an error, a cancel): stop reading the model too.
    stopped = true;
    upstream.return?.().catch(() => {});
  }
}

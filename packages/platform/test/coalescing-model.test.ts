import type { ModelClient, ModelRequest, ModelStreamEvent } from "@toad/core";
import { describe, expect, it } from "vitest";
import { coalescingModel } from "../src/session/coalescing-model.js";

const REQUEST: ModelRequest = { turn: 1, system: "", messages: [], tools: [] };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A model streaming `words` text deltas, `gapMs` apart, between a turn start and end. */
function pacedModel(words: string[], gapMs: number): ModelClient {
  return {
    async *stream() {
      yield { type: "turn_start", turn: 1, model: "m", provider: "test" };
      for (const word of words) {
        await tick(gapMs);
        yield { type: "text_delta", text: word };
      }
      yield { type: "tool_call_complete", callId: "c", name: "read_file", argumentsJson: "{}" };
      yield { type: "text_delta", text: "after" };
      yield { type: "turn_end", turn: 1, stopReason: "end_turn" };
    },
  };
}

async function read(model: ModelClient, perEventMs: number): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of coalescingModel(model).stream(REQUEST)) {
    events.push(event);
    await tick(perEventMs);
  }
  return events;
}

const WORDS = ["a", " b", " c", " d", " e", " f"];

describe("coalescingModel", () => {
  it("hands a consumer that keeps up every delta as it came", async () => {
    const events = await read(pacedModel(WORDS, 15), 0);
    expect(events.filter((event) => event.type === "text_delta")).toHaveLength(WORDS.length + 1);
  });

  it("merges the text deltas waiting for a slow consumer, keeping the text and the order of other events", async () => {
    const events = await read(pacedModel(WORDS, 2), 30);
    const deltas = events.filter((event) => event.type === "text_delta");
    expect(deltas.length).toBeLessThan(WORDS.length);
    expect(events.map((event) => event.type)).toEqual([
      "turn_start",
      ...deltas.slice(0, -1).map(() => "text_delta"),
      "tool_call_complete",
      "text_delta",
      "turn_end",
    ]);
    const text = (list: ModelStreamEvent[]) =>
      list.map((event) => (event.type === "text_delta" ? event.text : ""));
    expect(text(deltas.slice(0, -1)).join("")).toBe(WORDS.join(""));
    expect(deltas.at(-1)).toEqual({ type: "text_delta", text: "after" });
  });

  it("passes a failing stream's error on after what came before it", async () => {
    const failing: ModelClient = {
      async *stream() {
        yield { type: "text_delta", text: "x" };
        throw new Error("router gone");
      },
    };
    const seen: ModelStreamEvent[] = [];
    await expect(async () => {
      for await (const event of coalescingModel(failing).stream(REQUEST)) seen.push(event);
    }).rejects.toThrow("router gone");
    expect(seen).toEqual([{ type: "text_delta", text: "x" }]);
  });
});

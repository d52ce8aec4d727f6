import type { ModelStreamEvent } from "@toad/core";
import { ServerError, Status } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import {
  CostBook,
  completeRequestFromModelRequest,
  MemoryKeyValueStore,
  messageFromProto,
  messageToProto,
  modelRequestFromComplete,
  routerModelClient,
} from "../src/index.js";

const request = {
  turn: 7,
  model: "m",
  system: "sys",
  messages: [
    {
      role: "user" as const,
      content: [
        { type: "text" as const, text: "hi" },
        {
          type: "image" as const,
          mediaType: "image/png",
          dataBase64: Buffer.from([1, 2, 3]).toString("base64"),
          source: "./shot.png",
        },
      ],
    },
    {
      role: "assistant" as const,
      content: [
        { type: "thinking" as const, text: "hm", signature: "sig", redacted: false },
        { type: "tool_use" as const, callId: "c1", name: "read_file", argumentsJson: '{"path":"a"}' },
      ],
    },
    {
      role: "user" as const,
      content: [{ type: "tool_result" as const, callId: "c1", output: "x", isError: false }],
    },
  ],
  tools: [{ name: "read_file", description: "reads", inputSchema: { type: "object" } }],
  maxOutputTokens: 100,
};

describe("router seam", () => {
  it("a model request crosses the proto losslessly (turn aside, which the client restores)", () => {
    const back = modelRequestFromComplete(completeRequestFromModelRequest("s1", request));
    expect(back).toEqual({ ...request, turn: 1 });
    expect(request.messages.map((m) => messageFromProto(messageToProto(m)))).toEqual(request.messages);
  });

  it("the router's stream comes back with the caller's turn number", async () => {
    const client = routerModelClient(
      {
        async *complete() {
          yield {
            sessionId: "s1",
            seq: 0,
            timestampMs: 1,
            kind: { $case: "turnStart", value: { turn: 1, model: "m", provider: "p" } },
          };
          yield {
            sessionId: "s1",
            seq: 0,
            timestampMs: 1,
            kind: { $case: "textDelta", value: { text: "hi" } },
          };
          yield {
            sessionId: "s1",
            seq: 0,
            timestampMs: 1,
            kind: { $case: "turnEnd", value: { turn: 1, stopReason: 1 } },
          };
        },
      },
      "s1",
    );
    const events: ModelStreamEvent[] = [];
    for await (const event of client.stream(request)) events.push(event);
    expect(events).toEqual([
      { type: "turn_start", turn: 7, model: "m", provider: "p" },
      { type: "text_delta", text: "hi" },
      { type: "turn_end", turn: 7, stopReason: "end_turn" },
    ]);
  });

  it("a router that fails ends the turn with an error event, never a throw", async () => {
    const client = routerModelClient(
      {
        // biome-ignore lint/correctness/useYield: fails before any event
        async *complete() {
          throw new ServerError(Status.UNAVAILABLE, "connection refused");
        },
      },
      "s1",
    );
    const events: ModelStreamEvent[] = [];
    for await (const event of client.stream(request)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(["turn_start", "error", "turn_end"]);
    expect(events[1]).toMatchObject({
      code: "network",
      retryable: true,
      message: expect.stringContaining("refused"),
    });
    expect(events[2]).toMatchObject({ stopReason: "error", turn: 7 });
  });

  it("costs add up per scope, per model and per day, and cut to a day range", async () => {
    const book = new CostBook(new MemoryKeyValueStore());
    const usage = (model: string, costUsd: number) => ({
      type: "usage" as const,
      model,
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 1,
      cacheWriteTokens: 0,
      costUsd,
    });
    await book.record(["org:a"], usage("m1", 0.5), Date.UTC(2026, 0, 1));
    await book.record(["org:a", "session:s"], usage("m2", 0.25), Date.UTC(2026, 0, 2));
    const all = await book.report("org:a");
    expect(all.total).toMatchObject({ key: "total", requests: 2, costUsd: 0.75, inputTokens: 20 });
    expect(all.byModel.map((line) => [line.key, line.costUsd])).toEqual([
      ["m1", 0.5],
      ["m2", 0.25],
    ]);
    expect(all.byDay.map((line) => line.key)).toEqual(["2026-01-01", "2026-01-02"]);
    expect((await book.report("org:a", "2026-01-02")).total?.costUsd).toBe(0.25);
    expect((await book.report("session:s")).total?.requests).toBe(1);
  });
});

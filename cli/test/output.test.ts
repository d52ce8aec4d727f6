import { type AgentEvent, parseEvent } from "@toad/core";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/errors.js";
import { createRunOutput, exitCodeFor, type RunSummary } from "../src/output.js";

const stamp = (seq: number, body: Record<string, unknown>) =>
  ({ sessionId: "s", seq, timestamp: 1, ...body }) as AgentEvent;
const events: AgentEvent[] = [
  stamp(1, { type: "user_message", text: "hi" }),
  stamp(2, { type: "text_delta", text: "Hello" }),
  stamp(3, {
    type: "usage",
    model: "m",
    inputTokens: 10,
    outputTokens: 2,
    cacheReadTokens: 5,
    cacheWriteTokens: 1,
    costUsd: 0.001,
  }),
];
const summary: RunSummary = {
  sessionId: "s",
  exit: "end_turn",
  turns: 1,
  costUsd: 0.001,
  text: "Hello",
  durationMs: 5,
};

function capture() {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join("") };
}

describe("headless output", () => {
  it("stream-json prints every core event on its own line, parseable back", () => {
    const out = capture();
    const output = createRunOutput("stream-json", out, capture());
    for (const event of events) output.event(event);
    output.finish(summary);
    const lines = out.text().trimEnd().split("\n");
    expect(lines.map(parseEvent)).toEqual(events);
  });

  it("json prints one result object with usage totals", () => {
    const out = capture();
    const output = createRunOutput("json", out, capture());
    for (const event of events) output.event(event);
    output.finish(summary);
    expect(JSON.parse(out.text())).toMatchObject({
      sessionId: "s",
      exit: "end_turn",
      isError: false,
      text: "Hello",
      usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 5, cacheWriteTokens: 1 },
    });
  });

  it("text prints the answer on stdout and errors on stderr", () => {
    const out = capture();
    const err = capture();
    const output = createRunOutput("text", out, err);
    output.event(
      stamp(4, { type: "error", code: "auth", message: "set ANTHROPIC_API_KEY", retryable: false }),
    );
    output.finish({ ...summary, exit: "error" });
    expect(out.text()).toBe("Hello\n");
    expect(err.text()).toBe("toad: set ANTHROPIC_API_KEY\n");
  });

  it("maps exits to exit codes", () => {
    expect(exitCodeFor("end_turn")).toBe(EXIT.ok);
    expect(exitCodeFor("budget")).toBe(EXIT.capped);
    expect(exitCodeFor("error")).toBe(EXIT.failed);
    expect(exitCodeFor("cancelled")).toBe(EXIT.interrupted);
  });
});

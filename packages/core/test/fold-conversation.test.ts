import { describe, expect, it } from "vitest";
import {
  type AgentEventBody,
  conversationFromEvents,
  MISSING_TOOL_RESULT,
  storeImagesOnce,
  type UserImage,
} from "../src/index.js";

const turn = (n: number): AgentEventBody => ({ type: "turn_start", turn: n, model: "m", provider: "p" });
const end = (n: number, stopReason: "end_turn" | "tool_use" = "end_turn"): AgentEventBody => ({
  type: "turn_end",
  turn: n,
  stopReason,
});

describe("conversationFromEvents", () => {
  it("folds a tool-using exchange into alternating messages", () => {
    const events: AgentEventBody[] = [
      { type: "user_message", text: "read a.ts" },
      turn(1),
      { type: "thinking_delta", text: "I should ", redacted: false },
      { type: "thinking_delta", text: "read it", redacted: false },
      { type: "thinking_delta", text: "", signature: "sig-1", redacted: false },
      { type: "text_delta", text: "Reading" },
      { type: "text_delta", text: " now." },
      { type: "tool_call_start", callId: "c1", name: "read_file" },
      { type: "tool_call_delta", callId: "c1", argumentsDelta: '{"path":' },
      { type: "tool_call_complete", callId: "c1", name: "read_file", argumentsJson: '{"path":"a.ts"}' },
      {
        type: "usage",
        model: "m",
        inputTokens: 1,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      },
      end(1, "tool_use"),
      { type: "tool_result", callId: "c1", name: "read_file", output: "1\tx", isError: false, durationMs: 1 },
      turn(2),
      { type: "text_delta", text: "Done." },
      end(2),
    ];
    expect(conversationFromEvents(events)).toEqual([
      { role: "user", content: [{ type: "text", text: "read a.ts" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", text: "I should read it", signature: "sig-1", redacted: false },
          { type: "text", text: "Reading now." },
          { type: "tool_use", callId: "c1", name: "read_file", argumentsJson: '{"path":"a.ts"}' },
        ],
      },
      { role: "user", content: [{ type: "tool_result", callId: "c1", output: "1\tx", isError: false }] },
      { role: "assistant", content: [{ type: "text", text: "Done." }] },
    ]);
  });

  it("drops partial output voided by a retry", () => {
    const events: AgentEventBody[] = [
      { type: "user_message", text: "hi" },
      turn(1),
      { type: "text_delta", text: "Hel" },
      { type: "retry", attempt: 1, delayMs: 0, reason: "stream cut", discardPartial: true },
      { type: "text_delta", text: "Hello!" },
      end(1),
    ];
    expect(conversationFromEvents(events).at(-1)).toEqual({
      role: "assistant",
      content: [{ type: "text", text: "Hello!" }],
    });
  });

  it("answers tool calls whose results were never recorded (crash or cancel)", () => {
    const events: AgentEventBody[] = [
      { type: "user_message", text: "run two things" },
      turn(1),
      { type: "tool_call_complete", callId: "a", name: "bash", argumentsJson: "{}" },
      { type: "tool_call_complete", callId: "b", name: "bash", argumentsJson: "{}" },
      end(1, "tool_use"),
      { type: "tool_result", callId: "a", name: "bash", output: "ok", isError: false, durationMs: 1 },
      // killed here: b never finished
    ];
    const messages = conversationFromEvents(events);
    expect(messages.at(-1)).toEqual({
      role: "user",
      content: [
        { type: "tool_result", callId: "a", output: "ok", isError: false },
        { type: "tool_result", callId: "b", output: MISSING_TOOL_RESULT, isError: true },
      ],
    });
    // and a later user message joins the same user turn
    const resumed = conversationFromEvents([...events, { type: "user_message", text: "go on" }]);
    expect(resumed.at(-1)?.content.at(-1)).toEqual({ type: "text", text: "go on" });
    expect(resumed.filter((m) => m.role === "user")).toHaveLength(2);
  });

  it("skips a turn that produced nothing", () => {
    const events: AgentEventBody[] = [
      { type: "user_message", text: "hi" },
      turn(1),
      { type: "error", code: "overloaded", message: "529", retryable: true },
      { type: "turn_end", turn: 1, stopReason: "error" },
    ];
    expect(conversationFromEvents(events)).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }] },
    ]);
  });
});

describe("images in the log", () => {
  const shot: UserImage = {
    mediaType: "image/png",
    sha256: "a".repeat(64),
    dataBase64: "AAAA",
    source: "shot.png",
  };
  const other: UserImage = { mediaType: "image/jpeg", sha256: "b".repeat(64), dataBase64: "BBBB" };

  it("stores each image's bytes once per log: a repeat keeps only its reference", () => {
    const first = storeImagesOnce([shot, other, shot], []);
    expect(first).toEqual([shot, other]);
    const history: AgentEventBody[] = [{ type: "user_message", text: "look", images: first }];
    const { dataBase64: _d, ...reference } = shot;
    expect(storeImagesOnce([{ ...shot, source: "again.png" }], history)).toEqual([
      { ...reference, source: "again.png" },
    ]);
  });

  it("puts a user message's images before its text, bytes resolved from the earlier message", () => {
    const { dataBase64: _d, ...reference } = shot;
    const events: AgentEventBody[] = [
      { type: "user_message", text: "what is in shot.png?", images: [shot] },
      turn(1),
      { type: "text_delta", text: "A cat." },
      end(1),
      {
        type: "user_message",
        text: "and now?",
        images: [reference, { mediaType: "image/png", sha256: "c".repeat(64) }],
      },
    ];
    const image = { type: "image", mediaType: "image/png", dataBase64: "AAAA", source: "shot.png" };
    expect(conversationFromEvents(events)).toEqual([
      { role: "user", content: [image, { type: "text", text: "what is in shot.png?" }] },
      { role: "assistant", content: [{ type: "text", text: "A cat." }] },
      {
        role: "user",
        content: [
          image,
          {
            type: "text",
            text: `[image sha256:${"c".repeat(12)} was attached, but its bytes are not in the log]`,
          },
          { type: "text", text: "and now?" },
        ],
      },
    ]);
  });
});

import type { AgentEventBody } from "@toad/core";
import { describe, expect, it } from "vitest";
import { initialState, type UiAction, uiReducer } from "../../src/ui/state/reducer.js";
import type { UiState } from "../../src/ui/state/types.js";
import { stamp, textTurn } from "./events.js";

function fold(bodies: AgentEventBody[], state: UiState = initialState()): UiState {
  return stamp(bodies).reduce((current, event) => uiReducer(current, { type: "event", event }), state);
}

const kinds = (state: UiState) => state.items.map((item) => item.kind);

describe("UI reducer over core events", () => {
  it("streams text into a live tail and commits finished paragraphs to the history", () => {
    const state = fold([
      { type: "session_started", cwd: "/repo", model: "auto", permissionMode: "ask" },
      { type: "user_message", text: "hi" },
      { type: "turn_start", turn: 1, model: "m", provider: "p" },
      { type: "text_delta", text: "# Title\n\nFirst " },
      { type: "text_delta", text: "paragraph.\n\nSecond" },
    ]);
    expect(kinds(state)).toEqual(["session", "user", "markdown", "markdown"]);
    expect(state.items[2]).toMatchObject({ kind: "markdown", text: "# Title\n\n" });
    expect(state.items[3]).toMatchObject({ kind: "markdown", text: "First paragraph.\n\n" });
    expect(state.live.text).toBe("Second");
    const ended = fold([{ type: "turn_end", turn: 1, stopReason: "end_turn" }], state);
    expect(ended.live.text).toBe("");
    expect(ended.items.at(-1)).toMatchObject({ kind: "markdown", text: "Second" });
  });

  it("commits thinking collapsed with its duration when the text starts", () => {
    const state = fold([
      { type: "turn_start", turn: 1, model: "m", provider: "p" },
      { type: "thinking_delta", text: "Let me ", redacted: false },
      { type: "thinking_delta", text: "think.", redacted: false },
      { type: "text_delta", text: "Answer" },
    ]);
    expect(state.items).toEqual([
      { kind: "thinking", id: expect.any(String), text: "Let me think.", durationMs: 2, redacted: false },
    ]);
    expect(state.live.thinking).toBeUndefined();
  });

  it("follows a tool call through approval to its result, then moves the card to the history", () => {
    const bodies: AgentEventBody[] = [
      { type: "turn_start", turn: 1, model: "m", provider: "p" },
      { type: "text_delta", text: "Fixing." },
      { type: "tool_call_start", callId: "c1", name: "edit_file" },
      { type: "tool_call_delta", callId: "c1", argumentsDelta: '{"path":' },
      { type: "tool_call_delta", callId: "c1", argumentsDelta: '"a.js"}' },
    ];
    const streaming = fold(bodies);
    expect(kinds(streaming)).toEqual(["markdown"]); // text before a tool call is committed
    expect(streaming.live.tools[0]).toMatchObject({ status: "streaming", argumentsJson: '{"path":"a.js"}' });

    const asking = fold(
      [
        { type: "tool_call_complete", callId: "c1", name: "edit_file", argumentsJson: '{"path":"a.js"}' },
        { type: "turn_end", turn: 1, stopReason: "tool_use" },
        {
          type: "approval_request",
          requestId: "r1",
          callId: "c1",
          tool: "edit_file",
          kind: "edit",
          summary: "Edit a.js",
          diff: "--- a/a.js\n+++ b/a.js\n",
        },
      ],
      streaming,
    );
    expect(asking.live.tools[0]).toMatchObject({
      status: "approval",
      approval: { requestId: "r1", kind: "edit" },
    });

    const done = fold(
      [
        { type: "approval_decision", requestId: "r1", decision: "allow", decidedBy: "user" },
        {
          type: "tool_result",
          callId: "c1",
          name: "edit_file",
          output: "Edited a.js",
          isError: false,
          durationMs: 12,
        },
      ],
      asking,
    );
    expect(done.live.tools).toEqual([]);
    expect(done.items.at(-1)).toMatchObject({
      kind: "tool",
      status: "done",
      output: "Edited a.js",
      durationMs: 12,
    });
  });

  it("keeps the model's call order in the history when results arrive out of order", () => {
    const state = fold([
      { type: "tool_call_complete", callId: "a", name: "read_file", argumentsJson: "{}" },
      { type: "tool_call_complete", callId: "b", name: "read_file", argumentsJson: "{}" },
      { type: "tool_result", callId: "b", name: "read_file", output: "B", isError: false, durationMs: 1 },
    ]);
    expect(state.items).toEqual([]);
    expect(state.live.tools.map((card) => card.status)).toEqual(["pending", "done"]);
    const both = fold(
      [{ type: "tool_result", callId: "a", name: "read_file", output: "A", isError: false, durationMs: 1 }],
      state,
    );
    expect(both.items.map((item) => (item.kind === "tool" ? item.callId : ""))).toEqual(["a", "b"]);
  });

  it("marks denied calls and keeps the todo list from todo_write results", () => {
    const todos = {
      todos: [
        { content: "read", status: "completed" },
        { content: "fix", status: "in_progress" },
      ],
    };
    const state = fold([
      { type: "tool_call_complete", callId: "t", name: "todo_write", argumentsJson: JSON.stringify(todos) },
      {
        type: "tool_result",
        callId: "t",
        name: "todo_write",
        output: "[x] read",
        isError: false,
        durationMs: 0,
      },
      { type: "tool_call_complete", callId: "d", name: "bash", argumentsJson: '{"command":"rm -rf /"}' },
      {
        type: "approval_request",
        requestId: "r",
        callId: "d",
        tool: "bash",
        kind: "command",
        summary: "x",
        command: "rm -rf /",
      },
      { type: "approval_decision", requestId: "r", decision: "deny", decidedBy: "user" },
      {
        type: "tool_result",
        callId: "d",
        name: "bash",
        output: "The user declined",
        isError: true,
        errorKind: "denied",
        durationMs: 0,
      },
    ]);
    expect(state.todos).toEqual([
      { content: "read", status: "completed" },
      { content: "fix", status: "in_progress" },
    ]);
    expect(state.items.at(-1)).toMatchObject({ kind: "tool", status: "denied" });
  });

  it("sums usage into cost and takes the context size from the last request", () => {
    const state = fold([...textTurn(1, "one"), ...textTurn(2, "two")]);
    expect(state.usage).toMatchObject({ costUsd: 0.002, requests: 2, contextTokens: 170, inputTokens: 200 });
    expect(state.activeModel).toBe("claude-sonnet-4-5");
  });

  it("voids the live partial answer on a discarding retry and says so", () => {
    const state = fold([
      { type: "text_delta", text: "partial" },
      { type: "retry", attempt: 1, delayMs: 10, reason: "overloaded", discardPartial: true },
    ]);
    expect(state.live.text).toBe("");
    expect(state.items.at(-1)).toMatchObject({ kind: "notice", level: "warn" });
  });

  it("settles everything live when a run ends, and notes an interruption", () => {
    const actions: UiAction[] = [
      { type: "run_started" },
      ...stamp([{ type: "text_delta", text: "half an answ" }]).map((event) => ({
        type: "event" as const,
        event,
      })),
      { type: "run_finished", exit: "cancelled" },
    ];
    const state = actions.reduce(uiReducer, initialState());
    expect(state.running).toBe(false);
    expect(state.items.map((item) => item.kind)).toEqual(["markdown", "notice"]);
  });

  it("resets the history for a new session but keeps mode, model and the queue", () => {
    let state = fold(textTurn(1, "hello"), initialState({ mode: "auto-edit", model: "m1" }));
    state = uiReducer(state, { type: "set_queue", queued: ["next"] });
    const reset = uiReducer(state, { type: "reset" });
    expect(reset.items).toEqual([]);
    expect(reset.usage.costUsd).toBe(0);
    expect(reset).toMatchObject({ mode: "auto-edit", model: "m1", queued: ["next"], epoch: state.epoch + 1 });
  });
});

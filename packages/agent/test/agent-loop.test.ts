import type { AgentEventBody } from "@toad/core";
import { describe, expect, it } from "vitest";
import { type AgentRunOptions, type Approver, PermissionPolicy, runAgent } from "../src/index.js";
import { callTool, collectingSink, endTurn, fakeTools, scriptedModel, sleep, usage } from "./doubles.js";

function baseOptions(overrides: Partial<AgentRunOptions>): AgentRunOptions {
  const sink = collectingSink();
  return {
    prompt: "do it",
    history: [],
    system: "You are TOAD.",
    model: scriptedModel([]),
    tools: fakeTools({}),
    policy: new PermissionPolicy("full-auto"),
    emit: sink.emit,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const ok = (output: string) => async () => ({ ok: true as const, output });
const types = (events: AgentEventBody[]) => events.map((event) => event.type);

describe("runAgent", () => {
  it("runs tool calls and feeds their results into the next turn until the model ends", async () => {
    const model = scriptedModel([
      () => [
        { type: "text_delta", text: "Reading." },
        ...callTool("c1", "read", { path: "a" }),
        usage(0.01),
        endTurn(1, "tool_use"),
      ],
      () => [{ type: "text_delta", text: "All done." }, usage(0.02), endTurn(2, "end_turn")],
    ]);
    const sink = collectingSink();
    const result = await runAgent(
      baseOptions({
        model,
        emit: sink.emit,
        tools: fakeTools({ read: { effect: "read", run: ok("file a") } }),
      }),
    );
    expect(result).toEqual({ exit: "end_turn", turns: 2, costUsd: 0.03, text: "All done." });
    expect(types(sink.events)).toEqual([
      "user_message",
      "turn_start",
      "text_delta",
      "tool_call_start",
      "tool_call_delta",
      "tool_call_complete",
      "usage",
      "turn_end",
      "tool_result",
      "turn_start",
      "text_delta",
      "usage",
      "turn_end",
    ]);
    expect(model.requests[1]?.turn).toBe(2);
    expect(model.requests[1]?.messages.at(-1)).toEqual({
      role: "user",
      content: [{ type: "tool_result", callId: "c1", output: "file a", isError: false }],
    });
  });

  it("runs the reads of one turn concurrently and writes one at a time, in order", async () => {
    const slowRead = {
      effect: "read" as const,
      run: async () => {
        await sleep(150);
        return { ok: true as const, output: "r" };
      },
    };
    const write = {
      effect: "edit" as const,
      run: async () => {
        await sleep(20);
        return { ok: true as const, output: "w" };
      },
    };
    const tools = fakeTools({ read: slowRead, write });
    const model = scriptedModel([
      () => [
        ...callTool("r1", "read", {}),
        ...callTool("r2", "read", {}),
        ...callTool("r3", "read", {}),
        ...callTool("w1", "write", {}),
        ...callTool("w2", "write", {}),
        endTurn(1, "tool_use"),
      ],
      () => [endTurn(2, "end_turn")],
    ]);
    const started = Date.now();
    await runAgent(baseOptions({ model, tools }));
    expect(Date.now() - started).toBeLessThan(400); // three 150 ms reads overlapped
    expect(tools.log.slice(0, 3).every((entry) => entry.startsWith("start r"))).toBe(true);
    expect(tools.log.slice(6)).toEqual(["start w1", "end w1", "start w2", "end w2"]);
  });

  it("answers an unknown tool and malformed arguments with tool errors, not a crash", async () => {
    const sink = collectingSink();
    const model = scriptedModel([
      () => [...callTool("a", "nope", {}), ...callTool("b", "read", '{"path": "x'), endTurn(1, "tool_use")],
      () => [endTurn(2, "end_turn")],
    ]);
    await runAgent(
      baseOptions({ model, emit: sink.emit, tools: fakeTools({ read: { effect: "read", run: ok("") } }) }),
    );
    const results = sink.events.filter((event) => event.type === "tool_result");
    expect(results.map((r) => [r.callId, r.isError, r.errorKind])).toEqual([
      ["a", true, "unknown_tool"],
      ["b", true, "invalid_arguments"],
    ]);
    expect(results[0]?.output).toMatch(/no tool named "nope"; available: read/);
  });

  it("refuses calls that need approval when a headless run has no one to ask", async () => {
    const sink = collectingSink();
    const model = scriptedModel([
      () => [...callTool("c", "bash", { command: "rm -rf build" }), endTurn(1, "tool_use")],
      () => [endTurn(2, "end_turn")],
    ]);
    const tools = fakeTools({ bash: { effect: "command", run: ok("ran") } });
    await runAgent(baseOptions({ model, tools, emit: sink.emit, policy: new PermissionPolicy("ask") }));
    const result = sink.events.find((event) => event.type === "tool_result");
    expect(result).toMatchObject({ isError: true, errorKind: "denied" });
    expect(result?.type === "tool_result" && result.output).toMatch(/--permission-mode/);
    expect(tools.log).toEqual([]);
  });

  it("asks the approver, records request and decision, and remembers 'always'", async () => {
    const sink = collectingSink();
    const questions: string[] = [];
    const approver: Approver = {
      async ask(question) {
        questions.push(question.preview.summary);
        return questions.length === 1
          ? { decision: "deny", reason: "not that one" }
          : { decision: "allow_always" };
      },
    };
    const model = scriptedModel([
      () => [...callTool("c1", "bash", { command: "npm publish" }), endTurn(1, "tool_use")],
      () => [...callTool("c2", "bash", { command: "npm test" }), endTurn(2, "tool_use")],
      () => [...callTool("c3", "bash", { command: "npm test -- a" }), endTurn(3, "tool_use")],
      () => [endTurn(4, "end_turn")],
    ]);
    const tools = fakeTools({ bash: { effect: "command", run: ok("ran") } });
    await runAgent(
      baseOptions({ model, tools, approver, emit: sink.emit, policy: new PermissionPolicy("ask") }),
    );
    expect(questions).toHaveLength(2); // c3 passed under the "always" grant for `npm test`
    expect(sink.events.filter((e) => e.type === "approval_decision").map((e) => e.decision)).toEqual([
      "deny",
      "allow_always",
    ]);
    const results = sink.events.filter((event) => event.type === "tool_result");
    expect(results.map((r) => [r.callId, r.isError])).toEqual([
      ["c1", true],
      ["c2", false],
      ["c3", false],
    ]);
    expect(results[0]?.output).toContain("not that one");
  });

  it("keeps plan mode read-only", async () => {
    const sink = collectingSink();
    const model = scriptedModel([
      () => [...callTool("w", "write", { path: "a" }), endTurn(1, "tool_use")],
      () => [endTurn(2, "end_turn")],
    ]);
    const tools = fakeTools({ write: { effect: "edit", run: ok("written") } });
    await runAgent(baseOptions({ model, tools, emit: sink.emit, policy: new PermissionPolicy("plan") }));
    expect(tools.log).toEqual([]);
    expect(sink.events.find((e) => e.type === "tool_result")).toMatchObject({ errorKind: "denied" });
  });

  it("stops at the budget with a clear error and answers the calls it did not run", async () => {
    const sink = collectingSink();
    const model = scriptedModel([() => [...callTool("c", "read", {}), usage(0.6), endTurn(1, "tool_use")]]);
    const result = await runAgent(
      baseOptions({
        model,
        emit: sink.emit,
        budgetUsd: 1,
        costSoFarUsd: 0.5,
        tools: fakeTools({ read: { effect: "read", run: ok("") } }),
      }),
    );
    expect(result.exit).toBe("budget");
    const error = sink.events.find((event) => event.type === "error");
    expect(error).toMatchObject({ code: "budget_exceeded" });
    expect(error?.type === "error" && error.message).toContain("$1.1000");
    expect(sink.events.at(-1)).toMatchObject({ type: "tool_result", errorKind: "not_run" });
  });

  it("stops after max turns", async () => {
    const loop = () => [...callTool(`c${Math.random()}`, "read", {}), endTurn(1, "tool_use")];
    const model = scriptedModel([loop, loop, loop, loop]);
    const result = await runAgent(
      baseOptions({ model, maxTurns: 3, tools: fakeTools({ read: { effect: "read", run: ok("") } }) }),
    );
    expect(result).toMatchObject({ exit: "max_turns", turns: 3 });
  });

  it("does not run calls whose arguments were cut by max tokens", async () => {
    const sink = collectingSink();
    const model = scriptedModel([
      () => [...callTool("c", "write", '{"path": "a", "content": "unfinish'), endTurn(1, "max_tokens")],
      () => [endTurn(2, "end_turn")],
    ]);
    const tools = fakeTools({ write: { effect: "edit", run: ok("") } });
    await runAgent(baseOptions({ model, tools, emit: sink.emit }));
    expect(tools.log).toEqual([]);
    expect(sink.events.find((e) => e.type === "tool_result")).toMatchObject({ errorKind: "not_run" });
  });

  it("cancels a running command and leaves every call answered", async () => {
    const sink = collectingSink();
    const controller = new AbortController();
    const model = scriptedModel([
      () => [...callTool("c", "bash", { command: "sleep 10" }), endTurn(1, "tool_use")],
    ]);
    const tools = fakeTools({
      bash: {
        effect: "command",
        run: async (_args, signal) => {
          await sleep(5000, signal);
          return { ok: false, errorKind: "cancelled", message: "killed" };
        },
      },
    });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await runAgent(baseOptions({ model, tools, emit: sink.emit, signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.exit).toBe("cancelled");
    expect(sink.events.at(-1)).toMatchObject({ type: "tool_result", callId: "c", errorKind: "cancelled" });
  });

  it("drops calls voided by a retry that discards partial output", async () => {
    const model = scriptedModel([
      () => [
        ...callTool("lost", "read", {}),
        { type: "retry", attempt: 1, delayMs: 0, reason: "cut", discardPartial: true },
        ...callTool("kept", "read", {}),
        endTurn(1, "tool_use"),
      ],
      () => [endTurn(2, "end_turn")],
    ]);
    const tools = fakeTools({ read: { effect: "read", run: ok("") } });
    await runAgent(baseOptions({ model, tools }));
    expect(tools.log).toEqual(["start kept", "end kept"]);
  });

  it("continues a session from its history", async () => {
    const model = scriptedModel([() => [endTurn(3, "end_turn")]]);
    const history: AgentEventBody[] = [
      { type: "user_message", text: "first" },
      { type: "turn_start", turn: 1, model: "m", provider: "p" },
      { type: "text_delta", text: "answer one" },
      { type: "turn_end", turn: 1, stopReason: "end_turn" },
    ];
    await runAgent(baseOptions({ model, history, prompt: "second" }));
    expect(model.requests[0]?.turn).toBe(2);
    expect(model.requests[0]?.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });
});

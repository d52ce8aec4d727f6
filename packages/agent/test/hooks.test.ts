import type { AgentEventBody, UsageEvent } from "@toad/core";
import { describe, expect, it } from "vitest";
import {
  type AgentHooks,
  type AgentRunOptions,
  type AgentTools,
  combineHooks,
  PermissionPolicy,
  runAgent,
} from "../src/index.js";
import { callTool, collectingSink, endTurn, fakeTools, scriptedModel, usage } from "./doubles.js";

/** The loop's hook points, driven by in-process hooks (command hooks are tested in @toad/extensions). */
function run(overrides: Partial<AgentRunOptions>) {
  const sink = collectingSink();
  const options: AgentRunOptions = {
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
  return { sink, result: runAgent(options) };
}

const echo = fakeTools({
  shell: { effect: "command", run: async (args) => ({ ok: true, output: `ran ${String(args.command)}` }) },
});
const results = (events: AgentEventBody[]) => events.filter((e) => e.type === "tool_result");

describe("hook points in the loop", () => {
  it("PreToolUse blocks a call with a reason the model reads, and rewrites another's input", async () => {
    const model = scriptedModel([
      () => [
        ...callTool("c1", "shell", { command: "rm -rf /" }),
        ...callTool("c2", "shell", { command: "npm test" }),
        endTurn(1, "tool_use"),
      ],
      () => [{ type: "text_delta", text: "ok" }, endTurn(2, "end_turn")],
    ]);
    const hooks: AgentHooks = {
      async preToolUse(call) {
        if (call.argumentsJson.includes("rm -rf")) return { action: "block", reason: "no recursive deletes" };
        return { action: "continue", argumentsJson: JSON.stringify({ command: "npm test -- --ci" }) };
      },
    };
    const { sink, result } = run({ model, tools: echo, hooks });
    await result;
    expect(echo.log).toEqual(["start c2", "end c2"]);
    expect(results(sink.events)).toMatchObject([
      {
        callId: "c1",
        isError: true,
        errorKind: "blocked_by_hook",
        output: "Blocked by a hook: no recursive deletes",
      },
      { callId: "c2", isError: false, output: "ran npm test -- --ci" },
    ]);
    expect(sink.events.filter((e) => e.type === "approval_decision")).toMatchObject([
      { decision: "deny", decidedBy: "hook", reason: "no recursive deletes" },
      { decision: "allow", decidedBy: "hook", editedArgumentsJson: '{"command":"npm test -- --ci"}' },
    ]);
    // The model's next request carries the block reason as the call's result.
    expect(JSON.stringify(model.requests[1]?.messages)).toContain("no recursive deletes");
  });

  it("adds prompt and tool context, reports failing hooks as errors, and lets a stop hook send the model back once", async () => {
    const model = scriptedModel([
      () => [...callTool("c1", "shell", { command: "ls" }), endTurn(1, "tool_use")],
      () => [{ type: "text_delta", text: "done" }, endTurn(2, "end_turn")],
      () => [{ type: "text_delta", text: "really done" }, endTurn(3, "end_turn")],
    ]);
    const stopInputs: boolean[] = [];
    const hooks = combineHooks(
      {
        userPromptSubmit: async () => ({ action: "continue", context: ["branch: main"] }),
        postToolUse: async () => ({ context: ["a.ts(1,1): error TS2322"] }),
        stop: async (input) => {
          stopInputs.push(input.stopHookActive);
          return input.stopHookActive ? { action: "stop" } : { action: "continue", reason: "tests not run" };
        },
      },
      {
        preToolUse: async () => ({
          action: "continue",
          failures: [{ source: "PreToolUse: x.sh", message: "exit 1" }],
        }),
      },
    );
    const { sink, result } = run({ model, tools: echo, hooks });
    expect(await result).toMatchObject({ exit: "end_turn", turns: 3, text: "really done" });
    expect(sink.events[0]).toEqual({
      type: "user_message",
      text: "do it\n\n<hook_context>\nbranch: main\n</hook_context>",
    });
    expect(results(sink.events)[0]?.output).toBe(
      "ran ls\n\n<hook_context>\na.ts(1,1): error TS2322\n</hook_context>",
    );
    expect(sink.events.filter((e) => e.type === "error")).toEqual([
      { type: "error", code: "hook_failed", message: "PreToolUse: x.sh: exit 1", retryable: false },
    ]);
    expect(stopInputs).toEqual([false, true]);
    expect(model.requests[2]?.messages.at(-1)).toEqual({
      role: "user",
      content: [{ type: "text", text: "A stop hook asks you to continue: tests not run" }],
    });
  });

  it("a blocked prompt never reaches the log's conversation or the model", async () => {
    const model = scriptedModel([]);
    const { sink, result } = run({
      model,
      hooks: { userPromptSubmit: async () => ({ action: "block", reason: "contains a secret" }) },
    });
    expect(await result).toMatchObject({ exit: "refusal", turns: 0 });
    expect(model.requests).toHaveLength(0);
    expect(sink.events).toEqual([
      {
        type: "error",
        code: "prompt_blocked",
        message: "A hook blocked the prompt: contains a secret",
        retryable: false,
      },
    ]);
  });

  it("counts usage a tool reports (a subagent's turns) in the run's cost and budget", async () => {
    const spend: UsageEvent = { ...(usage(0.5) as UsageEvent), model: "sub" };
    const tools: AgentTools = {
      specs: () => [{ name: "task", description: "task", inputSchema: { type: "object" } }],
      prepare: () => ({
        ok: true,
        call: {
          effect: "read",
          preview: async () => ({ ok: true, preview: { summary: "task" } }),
          async execute(services) {
            await services?.reportUsage(spend);
            return { ok: true, output: "sub result" };
          },
        },
      }),
    };
    const model = scriptedModel([
      () => [
        ...callTool("c1", "task", {}),
        ...callTool("c2", "task", {}),
        usage(0.1),
        endTurn(1, "tool_use"),
      ],
      () => [usage(0.1), endTurn(2, "end_turn")],
    ]);
    const { sink, result } = run({ model, tools, budgetUsd: 1 });
    expect(await result).toMatchObject({ exit: "budget", turns: 1 });
    expect((await result).costUsd).toBeCloseTo(1.1, 10);
    expect(sink.events.filter((e) => e.type === "usage").map((e) => e.model)).toEqual([
      "scripted",
      "sub",
      "sub",
    ]);
    expect(model.requests).toHaveLength(1);
  });
});

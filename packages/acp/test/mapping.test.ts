import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyHunks,
  diffsFromUnified,
  lastTodos,
  mcpConfigsFromClient,
  replayUpdates,
  toolDisplay,
  updatesForEvent,
} from "@toad/acp";
import type { AgentEventBody, Message } from "@toad/core";
import { parseUnifiedDiff, unifiedDiff } from "@toad/tools";
import { describe, expect, it } from "vitest";

const ROOT = "/work/repo";

describe("tool calls as the editor shows them", () => {
  it("gives each tool a kind, a title and absolute locations", () => {
    expect(toolDisplay("read_file", { path: "src/a.ts", start_line: 10, end_line: 20 }, ROOT)).toEqual({
      kind: "read",
      title: "Read src/a.ts (lines 10-20)",
      locations: [{ path: "/work/repo/src/a.ts", line: 10 }],
    });
    expect(toolDisplay("edit_file", { path: "a.ts" }, ROOT)).toMatchObject({
      kind: "edit",
      title: "Edit a.ts",
      locations: [{ path: "/work/repo/a.ts" }],
    });
    expect(
      toolDisplay("batch_edit", { edits: [{ path: "a.ts" }, { path: "b.ts" }, { path: "a.ts" }] }, ROOT),
    ).toMatchObject({
      title: "Edit 2 files",
      locations: [{ path: "/work/repo/a.ts" }, { path: "/work/repo/b.ts" }],
    });
    expect(
      toolDisplay("apply_patch", { patch: "--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\n" }, ROOT),
    ).toMatchObject({ title: "Edit x.ts", locations: [{ path: "/work/repo/x.ts" }] });
    expect(toolDisplay("bash", { command: "npm test" }, ROOT)).toEqual({
      kind: "execute",
      title: "npm test",
      locations: [],
    });
    expect(toolDisplay("grep", { pattern: "TODO" }, ROOT).kind).toBe("search");
    expect(toolDisplay("mcp__fs__read_text_file", {}, ROOT)).toMatchObject({
      kind: "other",
      title: "read_text_file (MCP fs)",
    });
  });
});

describe("agent events as session updates", () => {
  const ctx = { workspaceRoot: ROOT, takeContent: () => [] };
  const one = (event: AgentEventBody) => updatesForEvent(event, ctx);

  it("streams text and thoughts as chunks and tool calls with their status", () => {
    expect(one({ type: "text_delta", text: "Hi" })).toEqual([
      { sessionUpdate: "agent_message_chunk", content: { type: "text", text: "Hi" } },
    ]);
    expect(one({ type: "thinking_delta", text: "hmm", redacted: false })[0]?.sessionUpdate).toBe(
      "agent_thought_chunk",
    );
    expect(one({ type: "thinking_delta", text: "", redacted: true })).toEqual([]);
    expect(one({ type: "tool_call_start", callId: "c1", name: "bash" })).toEqual([
      { sessionUpdate: "tool_call", toolCallId: "c1", title: "bash", kind: "execute", status: "pending" },
    ]);
    expect(
      one({ type: "tool_call_complete", callId: "c1", name: "bash", argumentsJson: '{"command":"ls"}' }),
    ).toEqual([
      {
        sessionUpdate: "tool_call_update",
        toolCallId: "c1",
        title: "ls",
        kind: "execute",
        locations: [],
        rawInput: { command: "ls" },
      },
    ]);
    const failed = one({
      type: "tool_result",
      callId: "c1",
      name: "bash",
      output: "denied",
      isError: true,
      errorKind: "denied",
      durationMs: 1,
    });
    expect(failed[0]).toMatchObject({ status: "failed", rawOutput: { errorKind: "denied" } });
    expect(
      one({
        type: "usage",
        model: "m",
        inputTokens: 1,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
      }),
    ).toEqual([]);
  });

  it("replays a stored conversation: messages, thoughts, tool calls with their results", () => {
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "fix it" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", text: "look first", signature: "s", redacted: false },
          { type: "text", text: "Reading." },
          { type: "tool_use", callId: "c1", name: "read_file", argumentsJson: '{"path":"a.ts"}' },
        ],
      },
      { role: "user", content: [{ type: "tool_result", callId: "c1", output: "1\tx", isError: false }] },
    ];
    expect(replayUpdates(messages, ROOT).map((update) => update.sessionUpdate)).toEqual([
      "user_message_chunk",
      "agent_thought_chunk",
      "agent_message_chunk",
      "tool_call",
      "tool_call_update",
    ]);
    expect(replayUpdates(messages, ROOT)[3]).toMatchObject({ title: "Read a.ts", kind: "read" });
  });
});

describe("diffs for the editor", () => {
  it("applies a unified diff back to the old text, trailing newline included", () => {
    const before = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
    const after = "one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n";
    const parsed = parseUnifiedDiff(unifiedDiff("f.txt", before, after));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(applyHunks(before, parsed.files[0]?.hunks ?? [])).toBe(after);
    expect(applyHunks("changed since\n", parsed.files[0]?.hunks ?? [])).toBeUndefined();
    const noNewline = parseUnifiedDiff(unifiedDiff("g.txt", "a\nb", "a\nc"));
    if (!noNewline.ok) throw new Error(noNewline.message);
    expect(applyHunks("a\nb", noNewline.files[0]?.hunks ?? [])).toBe("a\nc");
  });

  it("turns an edit's preview into old and new texts of real files", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "toad-acp-diff-")));
    try {
      await writeFile(join(dir, "a.js"), "let x = 1;\n");
      const diffs = await diffsFromUnified(
        unifiedDiff("a.js", "let x = 1;\n", "let x = 2;\n") + unifiedDiff("new.js", null, "hi\n"),
        dir,
      );
      expect(diffs).toEqual([
        { path: join(dir, "a.js"), oldText: "let x = 1;\n", newText: "let x = 2;\n" },
        { path: join(dir, "new.js"), oldText: null, newText: "hi\n" },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("session details", () => {
  it("restores the plan of the last successful todo_write", () => {
    const call = (callId: string, todos: unknown) =>
      ({
        type: "tool_call_complete",
        callId,
        name: "todo_write",
        argumentsJson: JSON.stringify({ todos }),
      }) as const;
    const result = (callId: string, isError: boolean) =>
      ({ type: "tool_result", callId, name: "todo_write", output: "", isError, durationMs: 0 }) as const;
    const events: AgentEventBody[] = [
      call("a", [{ content: "first", status: "pending" }]),
      result("a", false),
      call("b", [{ content: "broken", status: "nope" }]),
      result("b", true),
    ];
    expect(lastTodos(events)).toEqual([{ id: "1", content: "first", status: "pending" }]);
  });

  it("turns the client's MCP servers into configs with tool-safe unique names", () => {
    expect(
      mcpConfigsFromClient([
        { name: "My Files!", command: "srv", args: ["."], env: [{ name: "A", value: "1" }] },
        {
          type: "http",
          name: "My Files!",
          url: "http://127.0.0.1:1/mcp",
          headers: [{ name: "X", value: "y" }],
        },
        { type: "sse", name: "", url: "http://127.0.0.1:2/sse", headers: [] },
      ]),
    ).toEqual([
      { name: "My_Files", type: "stdio", command: "srv", args: ["."], env: { A: "1" } },
      { name: "My_Files-2", type: "http", url: "http://127.0.0.1:1/mcp", headers: { X: "y" } },
      { name: "server3", type: "sse", url: "http://127.0.0.1:2/sse", headers: {} },
    ]);
  });
});

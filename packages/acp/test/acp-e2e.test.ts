import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { methods, PROTOCOL_VERSION } from "@agentclientprotocol/sdk";
import { type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, FakeEditor, makeWorkspace } from "./editor.js";

/**
 * End to end: the ACP SDK's client drives the built `toad acp` as a
 * subprocess through whole sessions, against the scripted model server.
 */
const MODEL = "claude-sonnet-4-5";
const call = (name: string, args: Record<string, unknown>) => ({
  type: "tool_call" as const,
  name,
  arguments: args,
});
const say = (text: string) => ({ type: "text" as const, text });

const everything = join(
  dirname(createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/package.json")),
  "dist",
  "index.js",
);

const TURNS: ScriptedTurn[] = [
  // Prompt 1: plan, read through the editor, edit (approved), run in the editor's terminal (approved),
  // try something destructive (rejected), finish.
  {
    match: "Fix add()",
    content: [
      say("Let me plan. "),
      call("todo_write", {
        todos: [
          { content: "Read calc.js", status: "in_progress" },
          { content: "Fix add", status: "pending" },
        ],
      }),
      call("read_file", { path: "calc.js" }),
    ],
  },
  {
    match: { toolResult: "unsaved buffer" },
    content: [call("edit_file", { path: "calc.js", old_string: "a - b", new_string: "a + b" })],
  },
  { match: { toolResult: "calc.js" }, content: [call("bash", { command: "echo from-the-terminal" })] },
  { match: { toolResult: "from-the-terminal" }, content: [call("bash", { command: "rm -rf build" })] },
  { match: { toolResult: "declined" }, content: [say("Fixed add(): it subtracted.")] },
  // Prompt 2: cancelled while the editor asks for permission.
  { match: "slow", content: [call("bash", { command: "sleep 30" })] },
  // Prompt 3, after session/load in a new process: the history is there, and the client's MCP server works.
  {
    match: { anyText: "Fixed add(): it subtracted." },
    content: [call("mcp__everything__echo", { message: "hi" })],
  },
  { match: { toolResult: "Echo: hi" }, content: [say("I remember the fix.")] },
  // Prompt 4: an MCP prompt run as a slash command; the model gets the prompt's text.
  { match: "Paris", content: [say("It is sunny in Paris.")] },
];

describe("toad acp driven by an ACP client", () => {
  let llm: MockLlmServer;
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>;
  let sessionId = "";

  beforeAll(async () => {
    assertBuilt();
    llm = await startMockLlm({ script: { turns: TURNS } });
    workspace = await makeWorkspace(
      { "calc.js": "exports.add = (a, b) => a - b;\n", "README.md": "# calc\n" },
      llm.url,
    );
  });
  afterAll(async () => {
    await llm?.close();
    await workspace?.cleanup();
  });

  it("initializes, prompts with streamed updates, asks permission, edits, and is cancelled", async () => {
    const editor = new FakeEditor(workspace.repo, workspace.env, ["--model", MODEL]);
    try {
      const init = await editor.agent.request(methods.agent.initialize, {
        protocolVersion: PROTOCOL_VERSION,
        clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: true },
        clientInfo: { name: "fake-editor", version: "1" },
      });
      expect(init.protocolVersion).toBe(1);
      expect(init.agentCapabilities).toMatchObject({
        loadSession: true,
        promptCapabilities: { embeddedContext: true },
      });

      const created = await editor.agent.request(methods.agent.session.new, {
        cwd: workspace.repo,
        mcpServers: [],
      });
      sessionId = created.sessionId;
      expect(created.modes?.currentModeId).toBe("ask");
      const calc = join(workspace.repo, "calc.js");
      // What the user sees in the editor, not yet saved: read_file must see this.
      editor.buffers.set(calc, "exports.add = (a, b) => a - b; // unsaved buffer\n");

      editor.answers = ["allow-once", "allow-once", "reject-once"];
      const first = await editor.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: "text", text: "Fix add() in calc.js" }],
      });
      expect(first.stopReason).toBe("end_turn");

      const text = editor
        .of("agent_message_chunk")
        .map((update) => (update.content.type === "text" ? update.content.text : ""));
      expect(text.join("")).toBe("Let me plan. Fixed add(): it subtracted.");
      expect(editor.of("plan")[0]?.entries).toEqual([
        { content: "Read calc.js", status: "in_progress", priority: "medium" },
        { content: "Fix add", status: "pending", priority: "medium" },
      ]);

      // read_file went through the editor's buffer, with an absolute path and a 1-based line.
      expect(editor.reads[0]).toMatchObject({ path: calc, line: 1 });
      const calls = editor.of("tool_call");
      expect(calls.map((update) => [update.title, update.kind, update.status])).toEqual([
        ["todo_write", "think", "pending"],
        ["read_file", "read", "pending"],
        ["edit_file", "edit", "pending"],
        ["bash", "execute", "pending"],
        ["bash", "execute", "pending"],
      ]);
      const [, readCall, editCall, echoCall, rmCall] = calls.map((update) => update.toolCallId);
      const updatesOf = (id: string | undefined) =>
        editor.of("tool_call_update").filter((update) => update.toolCallId === id);
      expect(updatesOf(readCall).find((update) => update.title)?.title).toBe("Read calc.js");
      expect(updatesOf(readCall).at(-1)?.status).toBe("completed");

      // The edit: asked with a diff, approved, run, shown as a diff, written back through the editor.
      const editAsk = editor.permissions.find((request) => request.toolCall.toolCallId === editCall);
      expect(editAsk?.toolCall.kind).toBe("edit");
      expect(editAsk?.options.map((option) => option.kind)).toEqual([
        "allow_once",
        "allow_always",
        "reject_once",
      ]);
      expect(editAsk?.toolCall.content?.[0]).toMatchObject({
        type: "diff",
        path: calc,
        oldText: "exports.add = (a, b) => a - b;\n",
        newText: "exports.add = (a, b) => a + b;\n",
      });
      expect(
        updatesOf(editCall)
          .map((update) => update.status)
          .filter(Boolean),
      ).toEqual(["in_progress", "completed"]);
      expect(updatesOf(editCall).at(-1)?.content?.[0]).toMatchObject({
        type: "diff",
        path: calc,
        oldText: "exports.add = (a, b) => a - b;\n",
        newText: "exports.add = (a, b) => a + b;\n",
      });
      expect(await readFile(calc, "utf8")).toBe("exports.add = (a, b) => a + b;\n");
      expect(editor.writes).toEqual([{ path: calc, content: "exports.add = (a, b) => a + b;\n" }]);

      // The approved command ran in the editor's terminal and is shown there.
      expect(editor.terminals[0]).toEqual({ command: "bash", args: ["-c", "echo from-the-terminal"] });
      const echoDone = updatesOf(echoCall).at(-1);
      expect(echoDone?.status).toBe("completed");
      expect(echoDone?.content?.[0]).toEqual({ type: "terminal", terminalId: "term-1" });
      expect(JSON.stringify(echoDone?.content)).toContain("from-the-terminal");

      // The rejected command never ran.
      expect(updatesOf(rmCall).at(-1)?.status).toBe("failed");
      expect(editor.terminals).toHaveLength(1);

      // Prompt 2: the user stops while the editor asks; the prompt ends "cancelled", not with an error.
      editor.answers = ["cancel"];
      const started = Date.now();
      const second = await editor.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: "text", text: "run the slow thing" }],
      });
      expect(second.stopReason).toBe("cancelled");
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(editor.terminals).toHaveLength(1);
      const sleepCall = editor.of("tool_call").at(-1)?.toolCallId;
      expect(updatesOf(sleepCall).at(-1)?.status).toBe("failed");
    } finally {
      expect(await editor.close()).toBe(0);
    }
  });

  it("loads the session in a new process: history replayed, plan restored, conversation continued", async () => {
    const editor = new FakeEditor(workspace.repo, workspace.env, ["--model", MODEL]);
    try {
      await editor.agent.request(methods.agent.initialize, {
        protocolVersion: PROTOCOL_VERSION,
        clientCapabilities: {},
      });
      const loaded = await editor.agent.request(methods.agent.session.load, {
        sessionId,
        cwd: workspace.repo,
        mcpServers: [{ name: "everything", command: process.execPath, args: [everything, "stdio"], env: [] }],
      });
      expect(loaded.modes?.currentModeId).toBe("ask");
      const user = editor
        .of("user_message_chunk")
        .map((update) => (update.content.type === "text" ? update.content.text : ""));
      expect(user).toEqual(["Fix add() in calc.js", "run the slow thing"]);
      const agentText = editor
        .of("agent_message_chunk")
        .map((update) => (update.content.type === "text" ? update.content.text : ""));
      expect(agentText.join("")).toContain("Fixed add(): it subtracted.");
      expect(editor.of("tool_call").map((update) => update.title)).toContain("Edit calc.js");
      expect(editor.of("plan").at(-1)?.entries).toHaveLength(2);

      editor.updates.length = 0;
      const third = await editor.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: "text", text: "Do you remember what you did?" }],
      });
      expect(third.stopReason).toBe("end_turn");
      const echo = editor.of("tool_call_update").at(-1);
      expect(echo).toMatchObject({ status: "completed" });
      expect(JSON.stringify(echo?.content)).toContain("Echo: hi");
      const reply = editor
        .of("agent_message_chunk")
        .map((update) => (update.content.type === "text" ? update.content.text : ""));
      expect(reply.join("")).toBe("I remember the fix.");
      // The read-only MCP tool needed no permission; the editor offered no terminal or files here.
      expect(editor.permissions).toHaveLength(0);

      // The MCP server's prompts are offered as slash commands and run as such.
      const commands = editor.of("available_commands_update").at(-1)?.availableCommands ?? [];
      expect(commands.find((command) => command.name === "mcp__everything__args-prompt")?.input).toEqual({
        hint: "<city> <state>",
      });
      const fourth = await editor.agent.request(methods.agent.session.prompt, {
        sessionId,
        prompt: [{ type: "text", text: "/mcp__everything__args-prompt Paris" }],
      });
      expect(fourth.stopReason).toBe("end_turn");
      const sent = JSON.stringify(llm.requests.at(-1)?.body);
      expect(sent).toContain("What's weather in Paris?");
      expect(sent).not.toContain("/mcp__everything__args-prompt");
    } finally {
      expect(await editor.close()).toBe(0);
    }
    expect(llm.remainingTurns()).toBe(0);
  });

  it("answers unknown sessions and bad requests with JSON-RPC errors", async () => {
    const editor = new FakeEditor(workspace.repo, workspace.env);
    try {
      await editor.agent.request(methods.agent.initialize, {
        protocolVersion: PROTOCOL_VERSION,
        clientCapabilities: {},
      });
      await expect(
        editor.agent.request(methods.agent.session.prompt, {
          sessionId: "nope",
          prompt: [{ type: "text", text: "x" }],
        }),
      ).rejects.toMatchObject({ code: -32002 });
      await expect(
        editor.agent.request(methods.agent.session.load, {
          sessionId: "nope",
          cwd: workspace.repo,
          mcpServers: [],
        }),
      ).rejects.toMatchObject({ code: -32002 });
      await expect(
        editor.agent.request(methods.agent.session.new, { cwd: "relative/dir", mcpServers: [] }),
      ).rejects.toMatchObject({ code: -32602 });
      const listed = await editor.agent.request(methods.agent.session.list, { cwd: workspace.repo });
      expect(listed.sessions.map((session) => session.sessionId)).toContain(sessionId);

      // Modes are TOAD's permission modes.
      await editor.agent.request(methods.agent.session.load, {
        sessionId,
        cwd: workspace.repo,
        mcpServers: [],
      });
      await editor.agent.request(methods.agent.session.setMode, { sessionId, modeId: "plan" });
      await expect(
        editor.agent.request(methods.agent.session.setMode, { sessionId, modeId: "yolo" }),
      ).rejects.toMatchObject({ code: -32602 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(editor.of("current_mode_update").map((update) => update.currentModeId)).toEqual(["plan"]);

      // A failed model request (the script is used up: HTTP 500, not retryable) is the prompt's error answer.
      await expect(
        editor.agent.request(methods.agent.session.prompt, {
          sessionId,
          prompt: [{ type: "text", text: "more?" }],
        }),
      ).rejects.toMatchObject({ code: -32603, message: expect.stringContaining("script exhausted") });
    } finally {
      expect(await editor.close()).toBe(0);
    }
  });
});

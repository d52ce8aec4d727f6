import { PermissionPolicy, runToolCalls } from "@toad/agent";
import type { AgentEventBody } from "@toad/core";
import {
  expandMentions,
  LIST_RESOURCES_TOOL,
  McpHub,
  mcpAgentTools,
  READ_RESOURCE_TOOL,
  resolvePromptCommand,
} from "@toad/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServer, runTool, waitFor } from "./helpers.js";

/**
 * The MCP client against the real reference server from npm
 * (@modelcontextprotocol/server-everything), spawned over stdio.
 */
describe("MCP client with server-everything over stdio", () => {
  let hub: McpHub;
  const warnings: string[] = [];
  beforeAll(() => {
    hub = new McpHub({
      servers: [everythingServer()],
      env: process.env,
      cwd: process.cwd(),
      logger: { warn: (message) => warnings.push(message) },
    });
  });
  afterAll(() => hub.close());

  it("offers the server's tools as mcp__everything__<tool> with their schemas unchanged", async () => {
    const tools = await hub.tools();
    const names = tools.specs().map((spec) => spec.name);
    expect(names).toEqual(
      expect.arrayContaining(["mcp__everything__echo", "mcp__everything__get-sum", LIST_RESOURCES_TOOL]),
    );
    const echo = tools.specs().find((spec) => spec.name === "mcp__everything__echo");
    expect(echo?.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string" } } });
    expect(warnings).toEqual([]);
  });

  it("maps annotations to effects: readOnlyHint reads, anything else runs a local program", async () => {
    const tools = await hub.tools();
    const effect = (name: string, args = "{}") => {
      const prepared = tools.prepare(
        { callId: "c", name, argumentsJson: args },
        new AbortController().signal,
      );
      return prepared.ok ? prepared.call.effect : undefined;
    };
    expect(effect("mcp__everything__echo")).toBe("read");
    expect(effect("mcp__everything__simulate-research-query")).toBe("command");
    expect(effect(READ_RESOURCE_TOOL, '{"server":"everything","uri":"demo://x"}')).toBe("read");
  });

  it("calls tools and returns their text, unicode intact", async () => {
    const tools = await hub.tools();
    expect(await runTool(tools, "mcp__everything__echo", { message: "hello é世😀" })).toEqual({
      ok: true,
      output: "Echo: hello é世😀",
    });
    const sum = await runTool(tools, "mcp__everything__get-sum", { a: 2, b: 3 });
    expect(sum.ok && sum.output).toContain("5");
    const image = await runTool(tools, "mcp__everything__get-tiny-image", {});
    expect(image.ok && image.output).toMatch(/\[image image\/png, \d+ bytes\]/);
  });

  it("gives the model readable errors: the server's isError results, malformed and unknown calls", async () => {
    const tools = await hub.tools();
    const invalid = await runTool(tools, "mcp__everything__echo", { message: 42 });
    expect(invalid).toMatchObject({ ok: false, errorKind: "mcp_tool_error" });
    expect(!invalid.ok && invalid.message).toMatch(/validation/i);
    const malformed = tools.prepare(
      { callId: "c", name: "mcp__everything__echo", argumentsJson: '{"message": ' },
      new AbortController().signal,
    );
    expect(malformed.ok).toBe(false);
    expect(!malformed.ok && malformed.outcome).toMatchObject({ errorKind: "invalid_arguments" });
    expect(await runTool(tools, "mcp__everything__nope", {})).toMatchObject({ errorKind: "unknown_tool" });
  });

  it("lists and reads resources, as tools and as @server:uri mentions", async () => {
    const [listed] = await hub.listResources();
    const uri = "demo://resource/static/document/architecture.md";
    expect(listed?.resources.map((resource) => resource.uri)).toContain(uri);
    const read = await hub.readResource("everything", uri);
    expect(read.ok && read.value.contents[0]).toMatchObject({ uri, mimeType: "text/markdown" });

    const tools = await hub.tools();
    const list = await runTool(tools, LIST_RESOURCES_TOOL, {});
    expect(list.ok && list.output).toContain(`everything  ${uri}  architecture.md`);
    const viaTool = await runTool(tools, READ_RESOURCE_TOOL, { server: "everything", uri });
    expect(viaTool.ok && viaTool.output.length).toBeGreaterThan(100);

    const expanded = await expandMentions(`Summarize @everything:${uri}. Mail me@example.com`, hub);
    expect(expanded.attached).toEqual([`everything:${uri}`]);
    expect(expanded.text).toContain(`<resource server="everything" uri="${uri}">`);
    const missing = await expandMentions("see @everything:demo://nope", hub);
    expect(missing.problems[0]).toMatch(/demo:\/\/nope/);
  });

  it("runs the server's prompts as slash commands, arguments in order", async () => {
    const result = await resolvePromptCommand("/mcp__everything__args-prompt Paris", hub);
    expect(result?.ok && result.value).toContain("Paris");
    const missing = await resolvePromptCommand("/mcp__everything__args-prompt", hub);
    expect(missing?.ok === false && missing.error.message).toContain("needs city");
    expect(await resolvePromptCommand("/not-a-prompt x", hub)).toBeUndefined();
  });

  it("survives a killed server: the next call restarts it", async () => {
    const tools = await hub.tools();
    const connection = hub.connection("everything");
    const pid = connection?.pid;
    if (!connection || !pid) throw new Error("the server is not running");
    const startsBefore = connection.starts;
    process.kill(pid, "SIGKILL");
    await waitFor(() => connection.state !== "ready");
    expect(tools.specs().map((spec) => spec.name)).toContain("mcp__everything__echo");
    expect(await runTool(tools, "mcp__everything__echo", { message: "again" })).toEqual({
      ok: true,
      output: "Echo: again",
    });
    expect(connection.pid).not.toBe(pid);
    expect(connection.starts).toBe(startsBefore + 1);
  });

  it("a server killed in the middle of a call gives a clear error, then restarts", async () => {
    const tools = await hub.tools();
    const pid = hub.connection("everything")?.pid;
    if (!pid) throw new Error("the server is not running");
    const running = runTool(tools, "mcp__everything__trigger-long-running-operation", {
      duration: 10,
      steps: 10,
    });
    setTimeout(() => process.kill(pid, "SIGKILL"), 200);
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, errorKind: "mcp_crashed" });
    expect(!outcome.ok && outcome.message).toMatch(/MCP server "everything" exited while running/);
    expect(!outcome.ok && outcome.message).toContain("restarted on the next call");
    expect(await runTool(tools, "mcp__everything__echo", { message: "back" })).toMatchObject({ ok: true });
  });

  it("puts MCP calls through the permission policy like built-in tools", async () => {
    const tools = await hub.tools();
    const events: AgentEventBody[] = [];
    const calls = [
      { callId: "a", name: "mcp__everything__echo", argumentsJson: '{"message":"ok"}' },
      { callId: "b", name: "mcp__everything__toggle-simulated-logging", argumentsJson: "{}" },
    ];
    const run = (mode: "ask" | "plan" | "full-auto") =>
      runToolCalls(calls, {
        tools,
        policy: new PermissionPolicy(mode),
        approver: undefined,
        record: async (event) => {
          events.push(event);
        },
        signal: new AbortController().signal,
      });
    await run("ask");
    const results = events.filter((event) => event.type === "tool_result");
    expect(results.map((event) => [event.callId, event.isError, event.errorKind])).toEqual([
      ["a", false, undefined],
      ["b", true, "denied"],
    ]);
    events.length = 0;
    await run("plan");
    expect(events.filter((event) => event.type === "tool_result").map((event) => event.isError)).toEqual([
      false,
      true,
    ]);
    events.length = 0;
    await run("full-auto");
    expect(events.filter((event) => event.type === "tool_result").map((event) => event.isError)).toEqual([
      false,
      false,
    ]);
  });
});

describe("MCP client failures", () => {
  it("a server that hangs past its timeout: a timeout error, then a fresh process", async () => {
    const hub = new McpHub({
      servers: [everythingServer({ timeoutMs: 300 })],
      env: process.env,
      cwd: process.cwd(),
    });
    try {
      const tools = mcpAgentTools(hub);
      await hub.start();
      const firstPid = hub.connection("everything")?.pid;
      const started = Date.now();
      const outcome = await runTool(tools, "mcp__everything__trigger-long-running-operation", {
        duration: 5,
        steps: 1,
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(outcome).toMatchObject({ ok: false, errorKind: "mcp_timeout" });
      expect(!outcome.ok && outcome.message).toContain("did not answer");
      expect(await runTool(tools, "mcp__everything__echo", { message: "x" })).toMatchObject({ ok: true });
      expect(hub.connection("everything")?.pid).not.toBe(firstPid);
    } finally {
      await hub.close();
    }
  });

  it("a server that cannot start is reported once and the others keep working", async () => {
    const warnings: string[] = [];
    const hub = new McpHub({
      servers: [
        { name: "broken", type: "stdio", command: "/nonexistent/mcp-server", args: [], env: {} },
        everythingServer(),
      ],
      env: process.env,
      cwd: process.cwd(),
      logger: { warn: (message) => warnings.push(message) },
    });
    try {
      const tools = await hub.tools();
      expect(tools.specs().some((spec) => spec.name === "mcp__everything__echo")).toBe(true);
      expect(tools.specs().some((spec) => spec.name.startsWith("mcp__broken__"))).toBe(false);
      await hub.tools();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/MCP server "broken" could not start: .*ENOENT/);
      expect(hub.connection("broken")?.state).toBe("failed");
      // Not retried on every prompt: a broken server would otherwise delay each one.
      expect(hub.connection("broken")?.starts).toBe(1);
    } finally {
      await hub.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BUILTIN_TOOL_NAMES,
  createRegistry,
  defineTool,
  executeToolCall,
  ok,
  prepareToolCall,
  toolSpecs,
  toToolResultEvent,
} from "../src/index.js";
import { makeWorkspace, type Workspace } from "./helpers.js";

describe("tool specs", () => {
  it("offers every built-in tool with an object JSON Schema generated from its zod schema", async () => {
    const ws = await makeWorkspace();
    try {
      const specs = toolSpecs(ws.registry);
      expect(specs.map((spec) => spec.name)).toEqual([...BUILTIN_TOOL_NAMES]);
      for (const spec of specs) {
        expect(spec.description.length).toBeGreaterThan(20);
        // Provider APIs want a plain object schema at the top (no anyOf, no $schema).
        expect(spec.inputSchema.type).toBe("object");
        expect(spec.inputSchema).not.toHaveProperty("$schema");
        expect(spec.inputSchema).not.toHaveProperty("anyOf");
      }
      const edit = specs.find((spec) => spec.name === "edit_file");
      expect(edit?.inputSchema.required).toEqual(["path", "old_string", "new_string"]);
    } finally {
      await ws.cleanup();
    }
  });
});

describe("executeToolCall", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "a.txt": "hello\n" } });
  });
  afterEach(() => ws.cleanup());

  const raw = (name: string, argumentsJson: string) =>
    executeToolCall(ws.registry, { callId: "c1", name, argumentsJson }, ws.ctx);

  it("answers invalid JSON text with a typed invalid_arguments error", async () => {
    const outcome = await raw("read_file", '{"path": "a.txt"');
    expect(outcome).toMatchObject({
      callId: "c1",
      name: "read_file",
      isError: true,
      errorKind: "invalid_arguments",
    });
    expect(outcome.output).toContain("not valid JSON");
  });

  it("answers arguments that break the schema with the failing fields", async () => {
    const outcome = await raw("read_file", JSON.stringify({ path: 42, start_line: 0 }));
    expect(outcome.errorKind).toBe("invalid_arguments");
    expect(outcome.output).toMatch(/path/);
    expect(outcome.output).toMatch(/start_line/);
    const missing = await raw("edit_file", JSON.stringify({ path: "a.txt" }));
    expect(missing.errorKind).toBe("invalid_arguments");
    expect(missing.output).toContain("old_string");
    const notObject = await raw("read_file", "[1,2]");
    expect(notObject.errorKind).toBe("invalid_arguments");
  });

  it("answers an unknown tool with the list of tools", async () => {
    const outcome = await raw("delete_everything", "{}");
    expect(outcome.errorKind).toBe("unknown_tool");
    expect(outcome.output).toContain("read_file");
  });

  it("takes empty argument text as an empty object (tools whose arguments all have defaults)", async () => {
    const outcome = await raw("list_dir", "");
    expect(outcome.isError).toBe(false);
    expect(outcome.output).toContain("a.txt");
  });

  it("maps an outcome to the core tool_result event", async () => {
    const outcome = await raw("read_file", JSON.stringify({ path: "missing.txt" }));
    expect(toToolResultEvent(outcome)).toEqual({
      type: "tool_result",
      callId: "c1",
      name: "read_file",
      output: outcome.output,
      isError: true,
      errorKind: "not_found",
      durationMs: outcome.durationMs,
    });
  });

  it("turns a throwing tool into an internal error outcome instead of a throw", async () => {
    const broken = defineTool({
      name: "broken",
      description: "always throws, to test the pipeline",
      effect: "read",
      schema: z.object({}),
      preview: async () => ok({ summary: "broken" }),
      execute: async () => {
        throw new Error("kaboom");
      },
    });
    const outcome = await executeToolCall(
      createRegistry([broken]),
      { callId: "x", name: "broken", argumentsJson: "{}" },
      ws.ctx,
    );
    expect(outcome).toMatchObject({ isError: true, errorKind: "internal" });
    expect(outcome.output).toContain("kaboom");
  });

  it("does not run a call whose signal was aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await executeToolCall(
      ws.registry,
      { callId: "c", name: "write_file", argumentsJson: JSON.stringify({ path: "b.txt", content: "x" }) },
      { ...ws.ctx, signal: controller.signal },
    );
    expect(outcome.errorKind).toBe("aborted");
    await expect(ws.read("b.txt")).rejects.toThrow();
  });
});

describe("prepareToolCall: build, validate, describe for approval", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ files: { "src/app.js": "const a = 1;\nconst b = 2;\n" } });
  });
  afterEach(() => ws.cleanup());

  const prepare = (name: string, args: unknown) =>
    prepareToolCall(ws.registry, { callId: "p", name, argumentsJson: JSON.stringify(args) }, ws.ctx);

  it("declares each call's effect, refined by its arguments", () => {
    const effect = (name: string, args: unknown) => {
      const prepared = prepare(name, args);
      return prepared.ok ? prepared.call.effect : prepared.outcome.errorKind;
    };
    expect(effect("read_file", { path: "src/app.js" })).toBe("read");
    expect(effect("grep", { pattern: "a" })).toBe("read");
    expect(effect("glob", { pattern: "*.js" })).toBe("read");
    expect(effect("list_dir", {})).toBe("read");
    expect(effect("todo_write", { todos: [] })).toBe("read");
    expect(effect("edit_file", { path: "x", old_string: "a", new_string: "b" })).toBe("edit");
    expect(effect("write_file", { path: "x", content: "" })).toBe("edit");
    expect(effect("apply_patch", { patch: "x" })).toBe("edit");
    expect(effect("batch_edit", { edits: [{ path: "x", old_string: "a", new_string: "b" }] })).toBe("edit");
    expect(effect("bash", { command: "ls" })).toBe("command");
    expect(effect("bash", { command: "curl example.test", network: true })).toBe("network");
    expect(effect("run_tests", {})).toBe("command");
    expect(effect("git", { action: "status" })).toBe("read");
    expect(effect("git", { action: "diff" })).toBe("read");
    expect(effect("git", { action: "commit", message: "m" })).toBe("command");
  });

  it("previews an edit as a unified diff without touching the file", async () => {
    const prepared = prepare("edit_file", {
      path: "src/app.js",
      old_string: "const b = 2;",
      new_string: "const b = 3;",
    });
    if (!prepared.ok) throw new Error(prepared.outcome.output);
    const preview = await prepared.call.preview();
    if (!preview.ok) throw new Error(preview.outcome.output);
    expect(preview.preview.summary).toBe("Edit src/app.js");
    expect(preview.preview.diff).toBe(
      "--- a/src/app.js\n+++ b/src/app.js\n@@ -1,2 +1,2 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n",
    );
    expect(await ws.read("src/app.js")).toBe("const a = 1;\nconst b = 2;\n");
    expect(ws.checkpoints).toEqual([]);

    const outcome = await prepared.call.execute();
    expect(outcome.isError).toBe(false);
    expect(outcome.diff).toBe(preview.preview.diff);
    expect(outcome.changedPaths).toEqual(["src/app.js"]);
    expect(await ws.read("src/app.js")).toBe("const a = 1;\nconst b = 3;\n");
  });

  it("refuses to apply an approved edit when the file changed after the preview", async () => {
    const args = { path: "src/app.js", old_string: "const a = 1;", new_string: "const a = 10;" };
    const first = prepare("edit_file", args);
    if (!first.ok) throw new Error(first.outcome.output);
    expect((await first.call.preview()).ok).toBe(true);
    // Someone edits the file while the approval prompt is open.
    await ws.write("src/app.js", "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    // The loop may prepare the call again to run it: the ledger still knows what was approved.
    const again = prepare("edit_file", args);
    if (!again.ok) throw new Error(again.outcome.output);
    const outcome = await again.call.execute();
    expect(outcome).toMatchObject({ isError: true, errorKind: "conflict" });
    expect(await ws.read("src/app.js")).toBe("const a = 1;\nconst b = 2;\nconst c = 3;\n");

    // Previewed and unchanged: it applies.
    const third = prepare("edit_file", args);
    if (!third.ok) throw new Error(third.outcome.output);
    await third.call.preview();
    expect((await third.call.execute()).isError).toBe(false);
    expect(await ws.read("src/app.js")).toBe("const a = 10;\nconst b = 2;\nconst c = 3;\n");
  });

  it("gives each tool a static effect that is safe to gate by name alone", () => {
    const effects = Object.fromEntries(ws.registry.list().map((tool) => [tool.name, tool.effect]));
    expect(effects).toEqual({
      read_file: "read",
      write_file: "edit",
      edit_file: "edit",
      apply_patch: "edit",
      batch_edit: "edit",
      list_dir: "read",
      glob: "read",
      grep: "read",
      bash: "command",
      git: "command",
      run_tests: "command",
      todo_write: "read",
    });
  });

  it("previews a command with the command line", async () => {
    const prepared = prepare("bash", { command: "npm test", description: "Run the tests" });
    if (!prepared.ok) throw new Error(prepared.outcome.output);
    const preview = await prepared.call.preview();
    expect(preview).toEqual({ ok: true, preview: { summary: "Run the tests", command: "npm test" } });
  });

  it("reports from the preview an edit that cannot apply, so nobody is asked to approve it", async () => {
    const prepared = prepare("edit_file", { path: "src/app.js", old_string: "nope", new_string: "x" });
    if (!prepared.ok) throw new Error(prepared.outcome.output);
    const preview = await prepared.call.preview();
    expect(preview.ok).toBe(false);
    if (!preview.ok) expect(preview.outcome.errorKind).toBe("no_match");
  });
});

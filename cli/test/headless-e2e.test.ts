import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AgentEvent, parseEvent } from "@toad/core";
import { builtinModels } from "@toad/llm";
import { openSqliteStore } from "@toad/store";
import { type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, finished, makeSandbox, runToad, type Sandbox, startToad } from "./harness.js";

/**
 * End to end: the built `toad` command as a real process, against the
 * scripted model server speaking the Anthropic wire format, in temp git
 * repositories, with the real SQLite store and the real tools and sandbox.
 */
const MODEL = "claude-sonnet-4-5";
const USAGE = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 500, cacheWriteTokens: 200 };
const call = (name: string, args: Record<string, unknown>) => ({
  type: "tool_call" as const,
  name,
  arguments: args,
});

let llm: MockLlmServer | undefined;
let sandbox: Sandbox | undefined;
beforeAll(assertBuilt);
afterEach(async () => {
  await llm?.close();
  await sandbox?.cleanup();
  llm = undefined;
  sandbox = undefined;
});

async function setUp(turns: ScriptedTurn[], files: Record<string, string>): Promise<Sandbox> {
  llm = await startMockLlm({ script: { turns } });
  sandbox = await makeSandbox(files, llm.url);
  return sandbox;
}

async function storedEvents(box: Sandbox): Promise<AgentEvent[]> {
  const store = await openSqliteStore({ path: join(box.env.TOAD_DATA_DIR ?? "", "toad.db") });
  try {
    const [session] = await store.list({ cwd: box.repo });
    return session ? await store.events(session.id) : [];
  } finally {
    await store.close();
  }
}

describe("toad -p (headless, embedded)", () => {
  it("reads a failing test, fixes the code, runs the tests and finishes; cost is usage × prices", async () => {
    const box = await setUp(
      [
        {
          content: [call("read_file", { path: "test.js" }), call("read_file", { path: "calc.js" })],
          usage: USAGE,
        },
        { content: [call("run_tests", {})], usage: USAGE },
        {
          content: [call("edit_file", { path: "calc.js", old_string: "a - b", new_string: "a + b" })],
          usage: USAGE,
        },
        { content: [call("run_tests", {})], usage: USAGE },
        { content: [{ type: "text", text: "Fixed add(): it subtracted." }], usage: USAGE },
      ],
      {
        "package.json": JSON.stringify({ name: "calc", scripts: { test: "node test.js" } }),
        "calc.js": "exports.add = (a, b) => a - b;\n",
        "test.js":
          'const assert = require("node:assert");\nassert.strictEqual(require("./calc.js").add(2, 3), 5);\n',
      },
    );
    const run = await runToad(
      [
        "-p",
        "make the tests pass",
        "--model",
        MODEL,
        "--permission-mode",
        "full-auto",
        "--output-format",
        "json",
      ],
      box,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await readFile(join(box.repo, "calc.js"), "utf8")).toBe("exports.add = (a, b) => a + b;\n");

    const events = await storedEvents(box);
    const results = events.filter((e) => e.type === "tool_result");
    expect(results.map((r) => [r.name, r.isError])).toEqual([
      ["read_file", false],
      ["read_file", false],
      ["run_tests", false],
      ["edit_file", false],
      ["run_tests", false],
    ]);
    // run_tests succeeds as a tool either way; its output says how the tests went.
    expect(results[2]?.output).toContain("Tests failed.");
    expect(results[4]?.output).toContain("Tests passed.");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

    const prices = builtinModels()[MODEL]?.prices;
    if (!prices) throw new Error(`${MODEL} is not in the registry`);
    const perTurn =
      (USAGE.inputTokens * prices.input +
        USAGE.outputTokens * prices.output +
        USAGE.cacheReadTokens * prices.cacheRead +
        USAGE.cacheWriteTokens * prices.cacheWrite) /
      1e6;
    const result = JSON.parse(run.stdout) as {
      costUsd: number;
      turns: number;
      text: string;
      sessionId: string;
    };
    expect(result).toMatchObject({ turns: 5, text: "Fixed add(): it subtracted." });
    expect(result.costUsd).toBeCloseTo(5 * perTurn, 10);
    const usageCost = events.reduce((sum, e) => sum + (e.type === "usage" ? e.costUsd : 0), 0);
    expect(usageCost).toBeCloseTo(5 * perTurn, 10);
    expect(llm?.requests).toHaveLength(5);
  });

  it("refuses every path escape", async () => {
    const box = await setUp(
      [
        {
          content: [
            call("read_file", { path: "../secret.txt" }),
            call("read_file", { path: "/etc/hostname" }),
            call("read_file", { path: "link.txt" }),
            call("write_file", { path: "../planted.txt", content: "x" }),
            call("write_file", { path: "link.txt", content: "x" }),
          ],
        },
        { content: [{ type: "text", text: "Could not." }] },
      ],
      { "README.md": "hi\n" },
    );
    await writeFile(join(box.root, "secret.txt"), "top secret\n");
    await symlink(join(box.root, "secret.txt"), join(box.repo, "link.txt"));
    const run = await runToad(["-p", "escape", "--permission-mode", "full-auto", "--model", MODEL], box);
    expect(run.code).toBe(0);
    const results = (await storedEvents(box)).filter((e) => e.type === "tool_result");
    expect(results).toHaveLength(5);
    for (const result of results) {
      expect(result.isError).toBe(true);
      expect(result.errorKind).toBe("outside_workspace");
      expect(result.output).not.toContain("top secret");
    }
    expect(await readFile(join(box.root, "secret.txt"), "utf8")).toBe("top secret\n");
  });

  it("loses no recorded event when SIGKILLed mid-turn, and --continue goes on from it", async () => {
    const longText = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const box = await setUp(
      [
        { content: [{ type: "text", text: longText }], tokensPerSecond: 200 },
        { content: [{ type: "text", text: "Picking up where we stopped." }] },
      ],
      { "a.txt": "a\n" },
    );
    const child = startToad(
      ["-p", "write a long answer", "--output-format", "stream-json", "--model", MODEL],
      box,
    );
    const printed: AgentEvent[] = [];
    let buffer = "";
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) printed.push(parseEvent(line));
        if (printed.filter((e) => e.type === "text_delta").length >= 20) resolve();
      });
    });
    child.kill("SIGKILL");
    const killed = await finished(child);
    expect(killed.signal).toBe("SIGKILL");

    const stored = await storedEvents(box);
    for (const event of printed) expect(stored[event.seq - 1]).toEqual(event);
    expect(stored.some((e) => e.type === "turn_end")).toBe(false);
    const partial = stored
      .filter((e) => e.type === "text_delta")
      .map((e) => e.text)
      .join("");

    const resumed = await runToad(["-p", "go on", "--continue", "--output-format", "json"], box);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      text: "Picking up where we stopped.",
      sessionId: stored[0]?.sessionId,
    });
    const request = llm?.requests.at(-1)?.body as {
      messages: { role: string; content: { text?: string }[] }[];
    };
    expect(request.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(request.messages[1])).toContain(partial.slice(0, 200));
    expect(JSON.stringify(request.messages[2])).toContain("go on");
  });

  it("prints one core event per line in stream-json and takes the task from stdin", async () => {
    const box = await setUp([{ content: [{ type: "text", text: "Hello from TOAD." }] }], {});
    const run = await runToad(["-p", "--output-format", "stream-json", "--model", MODEL], box, "say hello\n");
    expect(run.code).toBe(0);
    const events = run.stdout.trimEnd().split("\n").map(parseEvent);
    const kinds = events.map((e) => e.type).filter((type, i, all) => type !== all[i - 1]);
    expect(kinds).toEqual([
      "session_started",
      "user_message",
      "turn_start",
      "text_delta",
      "usage",
      "turn_end",
    ]);
    expect(events.map((e) => (e.type === "text_delta" ? e.text : "")).join("")).toBe("Hello from TOAD.");
    expect(events[1]).toMatchObject({ text: "say hello" });
  });

  it("exits non-zero with the variable to set when no API key is configured", async () => {
    const box = await setUp([], {});
    delete box.env.ANTHROPIC_API_KEY;
    const run = await runToad(["-p", "hi"], box);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ANTHROPIC_API_KEY/);
  });

  it("rejects bad flags with exit code 2", async () => {
    const box = await setUp([], {});
    const run = await runToad(["-p", "hi", "--max-turns", "none"], box);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('toad: --max-turns must be a positive integer (got "none")\n');
  });
});

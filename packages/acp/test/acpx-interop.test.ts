import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, makeWorkspace } from "./editor.js";

/**
 * A third-party ACP client, acpx (npm; 0.1.15 is the newest that runs on
 * Node 20), drives `toad acp` headless: the same wire a real editor speaks.
 */
const ACPX = join(dirname(createRequire(import.meta.url).resolve("acpx/package.json")), "dist", "cli.js");
const TOAD_BIN = fileURLToPath(new URL("../../../cli/bin/toad.js", import.meta.url));

const TURNS: ScriptedTurn[] = [
  { content: [{ type: "tool_call", name: "read_file", arguments: { path: "calc.js" } }] },
  {
    content: [
      {
        type: "tool_call",
        name: "edit_file",
        arguments: { path: "calc.js", old_string: "a - b", new_string: "a + b" },
      },
    ],
  },
  { content: [{ type: "tool_call", name: "bash", arguments: { command: "echo hi-from-the-terminal" } }] },
  { content: [{ type: "text", text: "Fixed." }] },
];

let llm: MockLlmServer | undefined;
let workspace: Awaited<ReturnType<typeof makeWorkspace>> | undefined;
beforeAll(assertBuilt);
afterEach(async () => {
  await llm?.close();
  await workspace?.cleanup();
});

async function acpx(policy: "--approve-all" | "--deny-all") {
  llm = await startMockLlm({ script: { turns: TURNS } });
  workspace = await makeWorkspace({ "calc.js": "exports.add = (a, b) => a - b;\n" }, llm.url);
  const repo = workspace.repo;
  const agent = `${process.execPath} ${TOAD_BIN} acp --model claude-sonnet-4-5`;
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [ACPX, "--agent", agent, "--cwd", repo, policy, "--format", "json", "exec", "fix add"],
      { cwd: repo, env: workspace?.env, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  const messages = run.stdout
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { method?: string; result?: { stopReason?: string } });
  return {
    ...run,
    repo,
    messages,
    methods: messages.flatMap((message) => (message.method ? [message.method] : [])),
  };
}

describe("toad acp driven by acpx", () => {
  it("approve-all: reads and writes through acpx's files, runs in its terminal, ends the turn", async () => {
    const run = await acpx("--approve-all");
    expect(run.code).toBe(0);
    expect(await readFile(join(run.repo, "calc.js"), "utf8")).toBe("exports.add = (a, b) => a + b;\n");
    expect(run.methods).toEqual(
      expect.arrayContaining([
        "initialize",
        "session/new",
        "session/prompt",
        "fs/read_text_file",
        "session/request_permission",
        "fs/write_text_file",
        "terminal/create",
        "terminal/wait_for_exit",
        "terminal/output",
        "terminal/release",
      ]),
    );
    expect(run.stdout).toContain("hi-from-the-terminal");
    expect(run.messages.some((message) => message.result?.stopReason === "end_turn")).toBe(true);
  });

  it("deny-all: nothing is written and nothing runs", async () => {
    const run = await acpx("--deny-all");
    expect(await readFile(join(run.repo, "calc.js"), "utf8")).toBe("exports.add = (a, b) => a - b;\n");
    expect(run.methods).toContain("session/request_permission");
    expect(run.methods).not.toContain("fs/write_text_file");
    expect(run.methods).not.toContain("terminal/create");
  });
});

import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createLocalSandbox, probeBubblewrap } from "@toad/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTodoList, detectTestCommand } from "../src/index.js";
import { gitIn, makeGitWorkspace, makeWorkspace, type Workspace } from "./helpers.js";

/** Host pids whose command line has `marker` as an argument. */
async function pidsRunning(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").includes(marker)) pids.push(Number(entry));
  }
  return pids;
}

describe("bash", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({
      files: { "a.txt": "alpha\n" },
      tools: { limits: { commandTimeoutMs: 400, commandOutputBytes: 1_000 } },
    });
  });
  afterEach(() => ws.cleanup());

  it("runs in the workspace and reports exit code, stdout and stderr", async () => {
    const outcome = await ws.call("bash", { command: "cat a.txt; echo oops >&2; exit 2" });
    expect(outcome.isError).toBe(false);
    expect(outcome.output).toBe("Exit code 2\n[stdout]\nalpha\n[stderr]\noops");
  });

  it("streams live output to the context", async () => {
    const chunks: string[] = [];
    ws.ctx.onOutput = (chunk) => chunks.push(chunk.text);
    await ws.call("bash", { command: "echo one; echo two" });
    expect(chunks.join("")).toBe("one\ntwo\n");
  });

  it("kills the command and its grandchildren on timeout", async () => {
    const marker = `33.${process.pid}7`;
    const outcome = await ws.call("bash", { command: `(sleep ${marker}) & echo started; wait` });
    expect(outcome).toMatchObject({ isError: true, errorKind: "timeout" });
    expect(outcome.output).toContain("timed out after 400 ms");
    expect(outcome.output).toContain("started");
    expect(await pidsRunning(marker)).toEqual([]);
  });

  it("caps huge output to head and tail with the cut marked", async () => {
    const outcome = await ws.call("bash", { command: "seq 1 100000" });
    expect(outcome.output.startsWith("Exit code 0\n[stdout]\n1\n2\n3\n")).toBe(true);
    expect(outcome.output).toMatch(/\[\.\.\. \d+ bytes omitted \.\.\.\]/);
    expect(outcome.output).toContain("99999\n100000");
    expect(outcome.output.length).toBeLessThan(1_300);
  });

  it("is cancelled by the context's signal", async () => {
    const controller = new AbortController();
    ws.ctx.signal = controller.signal;
    setTimeout(() => controller.abort(), 100);
    const outcome = await ws.call("bash", { command: "sleep 5", timeout_ms: 10_000 });
    expect(outcome.errorKind).toBe("aborted");
  });
});

const bwrap = await probeBubblewrap(process.cwd());
if (!bwrap.ok) process.stderr.write(`[tools] skipping bash-under-bubblewrap test: ${bwrap.reason}\n`);

describe.skipIf(!bwrap.ok)("bash under bubblewrap", () => {
  it("writes inside the workspace and cannot write outside it or reach the network", async () => {
    const ws = await makeWorkspace({ files: {} });
    try {
      ws.ctx.sandbox = await createLocalSandbox({ workspaceRoot: ws.root, logger: { warn: () => {} } });
      const outside = path.join(path.dirname(ws.root), "escape.txt");
      const outcome = await ws.call("bash", {
        command: `echo in > inside.txt; echo out > ${outside}; echo x > /usr/toad-escape; exec 3<>/dev/tcp/127.0.0.1/1 || true`,
      });
      expect(await ws.read("inside.txt")).toBe("in\n");
      expect(existsSync(outside)).toBe(false);
      expect(outcome.output).toContain("Read-only file system");
    } finally {
      await ws.cleanup();
    }
  });
});

describe("git", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeGitWorkspace({ "a.txt": "one\n", "b.txt": "two\n" });
  });
  afterAll(() => ws.cleanup());

  it("status, diff, staged diff and log in a real repository", async () => {
    await ws.call("edit_file", { path: "a.txt", old_string: "one", new_string: "uno" });
    await ws.write("c.txt", "three\n");
    expect((await ws.call("git", { action: "status" })).output).toBe("## main\n M a.txt\n?? c.txt");
    const diff = await ws.call("git", { action: "diff" });
    expect(diff.output).toContain("--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+uno");
    expect((await ws.call("git", { action: "diff", staged: true })).output).toBe("(no differences)");
    const log = await ws.call("git", { action: "log" });
    expect(log.output).toMatch(/^[0-9a-f]{7,} \d{4}-\d{2}-\d{2} Toad Test\n {4}initial$/);
  });

  it("commits the given paths, then everything", async () => {
    const first = await ws.call("git", { action: "commit", message: "Change a", paths: ["a.txt"] });
    expect(first.isError, first.output).toBe(false);
    expect(first.output).toMatch(/\[main [0-9a-f]+\] Change a/);
    expect((await ws.call("git", { action: "status" })).output).toBe("## main\n?? c.txt");
    const second = await ws.call("git", { action: "commit", message: "Add c", all: true });
    expect(second.output).toContain("Add c");
    expect(gitIn(ws.root, "log", "--format=%s")).toBe("Add c\nChange a\ninitial\n");
    expect((await ws.call("git", { action: "status" })).output).toBe("## main");
  });

  it("reports git failures and refuses bad arguments", async () => {
    const nothing = await ws.call("git", { action: "commit", message: "empty" });
    expect(nothing).toMatchObject({ isError: true, errorKind: "command_failed" });
    expect(nothing.output).toContain("nothing to commit");
    expect((await ws.call("git", { action: "commit" })).errorKind).toBe("invalid_arguments");
    const injected = await ws.call("git", { action: "diff", ref: "--output=/tmp/toad-pwned" });
    expect(injected.errorKind).toBe("invalid_arguments");
    expect(existsSync("/tmp/toad-pwned")).toBe(false);
  });
});

describe("run_tests", () => {
  it("detects package.json scripts.test, runs it in the sandbox and reports the verdict", async () => {
    const ws = await makeWorkspace({
      files: {
        "package.json": JSON.stringify({ name: "demo", private: true, scripts: { test: "node check.js" } }),
        "check.js":
          "const ok = require('./math.js').add(2, 2) === 4;\nconsole.log(ok ? 'all good' : 'add is broken');\nprocess.exit(ok ? 0 : 1);\n",
        "math.js": "exports.add = (a, b) => a - b;\n",
      },
    });
    try {
      const failing = await ws.call("run_tests", {});
      expect(failing.isError).toBe(false);
      expect(failing.output).toContain(
        "$ npm test   (detected from package.json scripts.test (node check.js))",
      );
      expect(failing.output).toContain("add is broken");
      expect(failing.output).toMatch(/Exit code 1[\s\S]*Tests failed\.$/);
      await ws.call("edit_file", { path: "math.js", old_string: "a - b", new_string: "a + b" });
      const passing = await ws.call("run_tests", {});
      expect(passing.output).toContain("all good");
      expect(passing.output).toMatch(/Tests passed\.$/);
    } finally {
      await ws.cleanup();
    }
  });

  it("runs make test with extra arguments, or a given command", async () => {
    const ws = await makeWorkspace({ files: { Makefile: "test:\n\t@echo running $(ONLY)\n" } });
    try {
      const made = await ws.call("run_tests", { args: ["ONLY=unit tests"] });
      expect(made.output).toContain("$ make test 'ONLY=unit tests'");
      expect(made.output).toContain("running unit tests");
      const given = await ws.call("run_tests", { command: "echo custom" });
      expect(given.output).toContain("custom");
    } finally {
      await ws.cleanup();
    }
  });

  it("says when it finds no test command", async () => {
    const ws = await makeWorkspace({ files: { "README.md": "hi" } });
    try {
      expect((await ws.call("run_tests", {})).errorKind).toBe("not_found");
    } finally {
      await ws.cleanup();
    }
  });

  it("detects each ecosystem's command", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "package.json": '{"scripts":{"test":"vitest run"}}', "pnpm-lock.yaml": "" }, "pnpm test"],
      [{ "package.json": '{"scripts":{"test":"jest"}}', "yarn.lock": "" }, "yarn test"],
      [
        {
          "package.json": '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}',
          "go.mod": "module x",
        },
        "go test ./...",
      ],
      [{ "pyproject.toml": "[tool.pytest.ini_options]\n" }, "python3 -m pytest -q"],
      [{ "setup.py": "", "tests/test_x.py": "" }, "python3 -m pytest -q"],
      [{ "Cargo.toml": "[package]\n" }, "cargo test"],
      [{ "pom.xml": "<project/>" }, "mvn -q test"],
      [{ "build.gradle": "", gradlew: "" }, "./gradlew test"],
    ];
    for (const [files, command] of cases) {
      const ws = await makeWorkspace({ files });
      try {
        expect((await detectTestCommand(ws.root))?.command, JSON.stringify(files)).toBe(command);
      } finally {
        await ws.cleanup();
      }
    }
  });
});

describe("todo_write", () => {
  it("replaces the caller-owned task list and renders it", async () => {
    const ws = await makeWorkspace();
    try {
      const updates: number[] = [];
      ws.ctx.todos = createTodoList([], (items) => updates.push(items.length));
      const outcome = await ws.call("todo_write", {
        todos: [
          { content: "Read the failing test", status: "completed" },
          { content: "Fix add()", status: "in_progress" },
          { content: "Run the tests", status: "pending" },
        ],
      });
      expect(outcome.output).toBe("[x] Read the failing test\n[~] Fix add()\n[ ] Run the tests");
      expect(ws.ctx.todos.get().map((item) => item.id)).toEqual(["1", "2", "3"]);
      expect(updates).toEqual([3]);
      const bad = await ws.call("todo_write", { todos: [{ content: "x", status: "done" }] });
      expect(bad.errorKind).toBe("invalid_arguments");
      expect(ws.ctx.todos.get()).toHaveLength(3);
    } finally {
      await ws.cleanup();
    }
  });
});

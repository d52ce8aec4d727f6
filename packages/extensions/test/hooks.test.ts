import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, say, startHarness, toolCall } from "./harness.js";

/**
 * Hook commands end to end: real shell scripts bound in real hooks.json
 * files, a real session (models layer over the scripted model server, the
 * built-in tools, the store), checked through what the tools did, what the
 * log holds and what the model was sent.
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const hooksJson = (hooks: Record<string, unknown[]>) => JSON.stringify({ hooks });
const command = (cmd: string, timeout?: number) => ({
  type: "command",
  command: cmd,
  ...(timeout !== undefined && { timeout }),
});

const GUARD = `#!/bin/sh
input=$(cat)
printf '%s' "$input" > "$TOAD_PROJECT_DIR/guard-input.json"
case "$input" in
  *"rm -rf"*) echo "recursive deletes are not allowed here; delete files one by one" >&2; exit 2 ;;
esac
exit 0
`;

const ADD_LICENSE = `#!/bin/sh
exec node -e '
let raw = "";
process.stdin.on("data", (d) => (raw += d)).on("end", () => {
  const input = JSON.parse(raw).toolInput;
  const content = "// SPDX-License-Identifier: MIT\\n" + input.content;
  process.stdout.write(JSON.stringify({ updatedInput: { ...input, content }, additionalContext: "license header added by hook" }));
});'
`;

describe("hook commands", () => {
  it("a PreToolUse hook blocks a command with a reason the model reads; another rewrites an input", async () => {
    harness = await startHarness(
      [
        {
          content: [
            toolCall("bash", { command: "rm -rf src" }),
            toolCall("write_file", { path: "src/new.js", content: "export const x = 1;\n" }),
          ],
        },
        { match: { toolResult: "recursive deletes" }, content: [say("Deleted nothing; wrote the file.")] },
      ],
      {
        "repo/src/a.js": "keep me\n",
        "repo/.toad/guard.sh": GUARD,
        "repo/.toad/add-license.sh": ADD_LICENSE,
        "repo/.toad/hooks.json": hooksJson({
          PreToolUse: [
            { matcher: "bash", hooks: [command(".toad/guard.sh")] },
            { matcher: "write_file|edit_file", hooks: [command(".toad/add-license.sh")] },
          ],
        }),
      },
    );
    const { repo } = harness;
    const run = await harness.run("clean up and add new.js");
    expect(run.exit).toBe("end_turn");

    // The block: the command never ran, and its result is the hook's reason.
    expect(await readFile(join(repo, "src/a.js"), "utf8")).toBe("keep me\n");
    const results = run.events.filter((e) => e.type === "tool_result");
    expect(results[0]).toMatchObject({
      name: "bash",
      isError: true,
      errorKind: "blocked_by_hook",
      output: "Blocked by a hook: recursive deletes are not allowed here; delete files one by one",
    });
    const sent = JSON.stringify(harness.llm.requests[1]?.body);
    expect(sent).toContain("recursive deletes are not allowed here");

    // The rewrite: the file holds what the hook made of the input, and the hook's context is in the result.
    expect(await readFile(join(repo, "src/new.js"), "utf8")).toBe(
      "// SPDX-License-Identifier: MIT\nexport const x = 1;\n",
    );
    expect(results[1]).toMatchObject({ name: "write_file", isError: false });
    expect(results[1]?.output).toContain("license header added by hook");
    expect(run.events.filter((e) => e.type === "approval_decision")).toMatchObject([
      { decision: "deny", decidedBy: "hook" },
      { decision: "allow", decidedBy: "hook", editedArgumentsJson: expect.stringContaining("SPDX") },
    ]);

    // What a hook gets on stdin: the event as JSON (TOAD's names and Claude Code's).
    const input = JSON.parse(await readFile(join(repo, "guard-input.json"), "utf8"));
    expect(input).toMatchObject({
      event: "PreToolUse",
      hook_event_name: "PreToolUse",
      sessionId: run.sessionId,
      cwd: repo,
      toolName: "bash",
      tool_name: "bash",
      toolInput: { command: "rm -rf src" },
      tool_input: { command: "rm -rf src" },
    });
  });

  it("SessionStart, UserPromptSubmit and PostToolUse add context; a Stop hook sends the model back once", async () => {
    harness = await startHarness(
      [
        { content: [toolCall("write_file", { path: "a.txt", content: "a\n" })] },
        { content: [say("Done.")] },
        { match: "run the tests first", content: [say("Ran them: all green.")] },
      ],
      {
        "config/hooks.json": hooksJson({
          SessionStart: [{ hooks: [command("echo 'session-start: on branch main'")] }],
          UserPromptSubmit: [{ hooks: [command(`printf '{"additionalContext":"ticket ABC-1"}'`)] }],
          PostToolUse: [
            { matcher: "write_file", hooks: [command(`printf '{"additionalContext":"formatted"}'`)] },
          ],
          Stop: [
            {
              hooks: [
                command(
                  `if [ -e stopped ]; then exit 0; fi; touch stopped; printf '{"decision":"block","reason":"run the tests first"}'`,
                ),
              ],
            },
          ],
        }),
      },
    );
    const run = await harness.run("write a.txt");
    expect(run).toMatchObject({ exit: "end_turn", text: "Ran them: all green." });
    const firstUser = run.events.find((e) => e.type === "user_message");
    expect(firstUser?.type === "user_message" && firstUser.text).toBe(
      "write a.txt\n\n<hook_context>\nsession-start: on branch main\n</hook_context>\n<hook_context>\nticket ABC-1\n</hook_context>",
    );
    const result = run.events.find((e) => e.type === "tool_result");
    expect(result?.type === "tool_result" && result.output).toContain(
      "<hook_context>\nformatted\n</hook_context>",
    );
    expect(harness.llm.requests).toHaveLength(3);
    expect(JSON.stringify(harness.llm.requests[2]?.body)).toContain(
      "A stop hook asks you to continue: run the tests first",
    );

    // SessionStart runs on a session's first prompt only.
    harness.llm.addTurns({ content: [say("Again.")] });
    const again = await harness.run("and again", { sessionId: run.sessionId });
    const last = again.events.filter((e) => e.type === "user_message").at(-1);
    expect(last?.type === "user_message" && last.text).toBe(
      "and again\n\n<hook_context>\nticket ABC-1\n</hook_context>",
    );
  });

  it("reports failing hooks: a timed-out guard blocks its call and its process group is killed", async () => {
    harness = await startHarness(
      [
        { content: [toolCall("bash", { command: "echo hi > out.txt" })] },
        { content: [say("The guard failed.")] },
      ],
      {
        "repo/.toad/hooks.json": hooksJson({
          UserPromptSubmit: [{ hooks: [command("echo 'no database' >&2; exit 1")] }],
          PreToolUse: [{ hooks: [command("sleep 30 & echo $! > grandchild.pid; sleep 30", 0.5)] }],
          PostToolUse: [{ hooks: [command("echo '{not json'")] }],
        }),
      },
    );
    const started = Date.now();
    const run = await harness.run("write out.txt");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.exit).toBe("end_turn");
    expect(existsSync(join(harness.repo, "out.txt"))).toBe(false);

    const errors = run.events.filter((e) => e.type === "error").map((e) => e.type === "error" && e.message);
    expect(errors).toEqual([
      expect.stringMatching(
        /^UserPromptSubmit hook "echo 'no database' >&2; exit 1" \(.*hooks\.json\): exited with code 1: no database$/,
      ),
      expect.stringMatching(
        /^PreToolUse hook "sleep 30 .*" \(.*\): timed out after 0\.5s; its process group was killed$/,
      ),
    ]);
    const result = run.events.find((e) => e.type === "tool_result");
    expect(result).toMatchObject({ isError: true, errorKind: "blocked_by_hook" });
    expect(result?.type === "tool_result" && result.output).toMatch(
      /failed \(timed out after 0\.5s.*so the call was not run/,
    );

    // The hook's background child went with its group.
    const pid = Number(await readFile(join(harness.repo, "grandchild.pid"), "utf8"));
    await expect.poll(() => isAlive(pid), { timeout: 2_000 }).toBe(false);
  });

  it("a PostToolUse hook printing broken JSON is reported, and the call's result stands", async () => {
    harness = await startHarness(
      [{ content: [toolCall("write_file", { path: "b.txt", content: "b\n" })] }, { content: [say("ok")] }],
      { "repo/.toad/hooks.json": hooksJson({ PostToolUse: [{ hooks: [command("echo '{not json'")] }] }) },
    );
    const run = await harness.run("write b.txt");
    expect(await readFile(join(harness.repo, "b.txt"), "utf8")).toBe("b\n");
    expect(run.events.find((e) => e.type === "tool_result")).toMatchObject({ isError: false });
    const error = run.events.find((e) => e.type === "error");
    expect(error).toMatchObject({ code: "hook_failed" });
    expect(error?.type === "error" && error.message).toMatch(/PostToolUse hook .*printed invalid JSON/);
  });

  it("a broken hooks.json stops the run with the file and the problem, before any model call", async () => {
    harness = await startHarness([{ content: [say("never")] }], {
      "repo/.toad/hooks.json": hooksJson({
        PreToolUse: [{ matcher: "bash(", hooks: [command("true")] }],
        BeforeEverything: [],
      }),
    });
    const run = await harness.run("anything");
    expect(run.exit).toBe("refusal");
    expect(harness.llm.requests).toHaveLength(0);
    const error = run.events.find((e) => e.type === "error");
    expect(error).toMatchObject({ code: "prompt_blocked" });
    const message = error?.type === "error" ? error.message : "";
    expect(message).toContain(join(harness.repo, ".toad/hooks.json"));
    expect(message).toContain("hooks.PreToolUse[0].matcher: is not a valid regular expression");
    expect(message).toContain("hooks.BeforeEverything: unknown event");
  });
});

/** Running, as opposed to gone or a zombie waiting for init to reap it. */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

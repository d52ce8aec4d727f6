import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Approver, PermissionPolicy, runToolCalls } from "@toad/agent";
import type { AgentEventBody } from "@toad/core";
import { afterEach, describe, expect, it } from "vitest";
import { localTools } from "../src/index.js";

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("edit then run with the real edit tools", () => {
  it("runs the call as the person edited it, held to the edited diff", async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), "toad-edit-run-")));
    await writeFile(join(dir, "a.txt"), "hello\n");
    const tools = await localTools({
      workspaceRoot: dir,
      beforeWrite: async () => {},
      logger: { warn: () => {} },
    });
    const approver: Approver = {
      ask: async () => ({
        decision: "allow",
        editedArgumentsJson: JSON.stringify({
          path: "a.txt",
          old_string: "hello",
          new_string: "hello, edited",
        }),
      }),
    };
    const events: AgentEventBody[] = [];
    await runToolCalls(
      [
        {
          callId: "c1",
          name: "edit_file",
          argumentsJson: JSON.stringify({ path: "a.txt", old_string: "hello", new_string: "hello, model" }),
        },
      ],
      {
        tools,
        policy: new PermissionPolicy("ask"),
        approver,
        record: async (body) => {
          events.push(body);
        },
        signal: new AbortController().signal,
      },
    );
    expect(events.find((e) => e.type === "tool_result")).toMatchObject({ isError: false });
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("hello, edited\n");
  });
});

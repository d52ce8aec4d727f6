import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  conversationFromEvents,
  type ModelClient,
  type ModelRequest,
  type ModelStreamEvent,
} from "@toad/core";
import { openSqliteStore, type SessionRecord, type SessionStore } from "@toad/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localTools, SessionRunner } from "../src/index.js";

/** A model double that plays core events (provider adapters are tested over HTTP in packages/llm). */
function scripted(
  turns: ((request: ModelRequest) => ModelStreamEvent[])[],
): ModelClient & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  return {
    seen,
    async *stream(request) {
      seen.push(request);
      yield { type: "turn_start", turn: request.turn, model: "scripted", provider: "test" };
      const turn = turns.shift();
      if (turn) yield* turn(request);
    },
  };
}

const quiet = { warn: () => {} };
const tools = (session: SessionRecord, beforeWrite: (paths: readonly string[]) => Promise<void>) =>
  localTools({ workspaceRoot: session.cwd, beforeWrite, logger: quiet });

let dir: string;
let store: SessionStore;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "toad-session-")));
  store = await openSqliteStore({ path: join(dir, "toad.db") });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("SessionRunner", () => {
  it("logs every event, checkpoints edits, and continues from the log", async () => {
    await writeFile(join(dir, "a.txt"), "old");
    const model = scripted([
      () => [
        {
          type: "tool_call_complete",
          callId: "c1",
          name: "write_file",
          argumentsJson: '{"path":"a.txt","content":"new"}',
        },
        {
          type: "usage",
          model: "m",
          inputTokens: 1,
          outputTokens: 1,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: 0.25,
        },
        { type: "turn_end", turn: 1, stopReason: "tool_use" },
      ],
      () => [
        { type: "text_delta", text: "Wrote it." },
        { type: "turn_end", turn: 2, stopReason: "end_turn" },
      ],
      () => [
        { type: "text_delta", text: "Still here." },
        { type: "turn_end", turn: 3, stopReason: "end_turn" },
      ],
    ]);
    const runner = new SessionRunner({ store, model, tools });
    const session = await runner.create({ cwd: dir, model: "scripted", permissionMode: "auto-edit" });
    const seen: number[] = [];
    const result = await runner.send(session.id, {
      prompt: "change a.txt",
      signal: new AbortController().signal,
      onEvent: (event) => seen.push(event.seq),
    });
    const results = (await store.events(session.id)).filter((e) => e.type === "tool_result");
    expect(results).toMatchObject([{ isError: false, name: "write_file" }]);
    expect(result).toMatchObject({ exit: "end_turn", text: "Wrote it." });
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("new");

    const log = await store.events(session.id);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(seen).toEqual(log.slice(1).map((event) => event.seq)); // all but session_started, as they were logged
    expect((await store.get(session.id))?.costUsd).toBe(0.25);

    // A second message continues the conversation from the log.
    await runner.send(session.id, { prompt: "and now?", signal: new AbortController().signal });
    expect(model.seen[2]?.turn).toBe(3);
    expect(model.seen[2]?.messages).toEqual(
      conversationFromEvents(await store.events(session.id)).slice(0, -1),
    );
    expect(model.seen[0]?.system).toBe(model.seen[2]?.system);

    // The edit was checkpointed: undo restores the old content.
    const undo = await store.undo(session.id);
    expect(undo.ok).toBe(true);
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("old");
  });

  it("finds the latest session of a directory and reports an unknown id clearly", async () => {
    const runner = new SessionRunner({ store, model: scripted([]), tools });
    await runner.create({ cwd: dir, model: "m", permissionMode: "ask" });
    const second = await runner.create({ cwd: dir, model: "m", permissionMode: "ask" });
    expect((await runner.latest(dir))?.id).toBe(second.id);
    await expect(runner.get("nope")).rejects.toThrow(/no session with id "nope"/);
  });

  it("reads instruction files from this host only when the session's directory is on it", async () => {
    await writeFile(join(dir, "AGENTS.md"), "Always answer in haiku.");
    const systemOf = async (workspaceOnHost: boolean) => {
      const model = scripted([() => [{ type: "turn_end", turn: 1, stopReason: "end_turn" }]]);
      const runner = new SessionRunner({ store, model, tools, workspaceOnHost });
      const session = await runner.create({ cwd: dir, model: "m", permissionMode: "ask" });
      await runner.send(session.id, { prompt: "hi", signal: new AbortController().signal });
      return model.seen[0]?.system ?? "";
    };
    expect(await systemOf(true)).toContain("Always answer in haiku.");
    // Tools on the client: the directory is the client's; whatever this host has there is not the session's.
    const client = await systemOf(false);
    expect(client).not.toContain("Always answer in haiku.");
    expect(client).toContain(`repository root: ${dir}`);
  });
});

import { type AgentEventBody, conversationFromEvents } from "@toad/core";
import { describe, expect, test } from "vitest";
import { StoreError, type StoreErrorCode } from "../../src/index.js";
import { type StoreFactory, testClock, useCleanup } from "./harness.js";

/** Sessions and the event log: what every SessionStore adapter must do. */
export function sessionAndLogContract(name: string, factory: StoreFactory): void {
  describe(`${name}: sessions and the event log`, () => {
    const cleanup = useCleanup();
    const clock = testClock();
    let ids = 0;
    const open = async () => cleanup.track(await factory({ now: clock.now, newId: () => `s${++ids}` }));
    const base = { cwd: "/repo", model: "claude-x", permissionMode: "ask" } as const;

    async function rejects(promise: Promise<unknown>, code: StoreErrorCode, message?: RegExp): Promise<void> {
      const error = await promise.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe(code);
      if (message) expect((error as StoreError).message).toMatch(message);
    }

    test("create stores a session that get returns; ids are generated or given", async () => {
      const store = await open();
      clock.set(5000);
      const made = await store.create({ ...base, cwd: "/repo/sub/../", title: "fix it" });
      expect(made).toEqual({
        id: "s1",
        title: "fix it",
        cwd: "/repo",
        model: "claude-x",
        permissionMode: "ask",
        createdAt: 5000,
        updatedAt: 5000,
        lastSeq: 0,
        costUsd: 0,
      });
      expect(await store.get("s1")).toEqual(made);
      expect((await store.create({ ...base, id: "mine-1" })).id).toBe("mine-1");
      expect(await store.get("nope")).toBeUndefined();
      await rejects(store.create({ ...base, id: "mine-1" }), "session_exists");
    });

    test("bad session input is refused with a clear error and creates nothing", async () => {
      const store = await open();
      await rejects(store.create({ ...base, cwd: "repo" }), "invalid_input", /absolute/);
      await rejects(store.create({ ...base, model: "" }), "invalid_input", /model/);
      await rejects(store.create({ ...base, id: "a/b" }), "invalid_input", /session id/);
      const mode = "yolo" as unknown as "ask";
      await rejects(store.create({ ...base, permissionMode: mode }), "invalid_input", /permissionMode/);
      expect(await store.list()).toEqual([]);
    });

    test("list is most recently active first, filters by cwd, honours limit; latest picks per cwd", async () => {
      const store = await open();
      clock.set(1000);
      await store.create({ ...base, id: "old" });
      clock.set(2000);
      await store.create({ ...base, id: "other", cwd: "/elsewhere" });
      clock.set(3000);
      await store.create({ ...base, id: "new" });
      clock.set(4000);
      await store.append("old", { type: "user_message", text: "still going" });

      expect((await store.list()).map((s) => s.id)).toEqual(["old", "new", "other"]);
      expect((await store.list({ cwd: "/repo/" })).map((s) => s.id)).toEqual(["old", "new"]);
      expect((await store.list({ limit: 1 })).map((s) => s.id)).toEqual(["old"]);
      expect((await store.latest("/repo"))?.id).toBe("old");
      expect((await store.latest("/elsewhere"))?.id).toBe("other");
      expect(await store.latest("/nowhere")).toBeUndefined();
      await rejects(store.list({ limit: 0 }), "invalid_input");
    });

    test("sessions created in the same millisecond list newest first", async () => {
      const store = await open();
      for (const id of ["a", "b", "c"]) await store.create({ ...base, id });
      expect((await store.list()).map((s) => s.id)).toEqual(["c", "b", "a"]);
    });

    test("append stamps gapless seqs from 1 and the time; events reads back in order", async () => {
      const store = await open();
      await store.create({ ...base, id: "a" });
      await store.create({ ...base, id: "b" });
      const stamped = [];
      for (let i = 0; i < 5; i++) {
        clock.set(10_000 + i);
        stamped.push(await store.append(i % 2 ? "b" : "a", { type: "text_delta", text: `t${i}` }));
      }
      expect(stamped.map((e) => [e.sessionId, e.seq, e.timestamp])).toEqual([
        ["a", 1, 10_000],
        ["b", 1, 10_001],
        ["a", 2, 10_002],
        ["b", 2, 10_003],
        ["a", 3, 10_004],
      ]);
      const events = await store.events("a");
      expect(events).toEqual(stamped.filter((e) => e.sessionId === "a"));
      expect((await store.events("a", { afterSeq: 1 })).map((e) => e.seq)).toEqual([2, 3]);
      expect((await store.events("a", { afterSeq: 1, limit: 1 })).map((e) => e.seq)).toEqual([2]);
      expect(await store.events("a", { afterSeq: 3 })).toEqual([]);
      expect(await store.get("a")).toMatchObject({ lastSeq: 3, updatedAt: 10_004 });
    });

    test("the session tracks cost (sum of usage costUsd) and takes its title from the first user message", async () => {
      const store = await open();
      await store.create({ ...base, id: "a" });
      const usage = (costUsd: number): AgentEventBody => ({
        type: "usage",
        model: "claude-x",
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd,
      });
      await store.append("a", { type: "user_message", text: "\n  Fix   the failing test\nin src/" });
      await store.append("a", usage(0.25));
      await store.append("a", { type: "user_message", text: "and another thing" });
      await store.append("a", usage(0.5));
      expect(await store.get("a")).toMatchObject({
        title: "Fix the failing test",
        costUsd: 0.75,
        lastSeq: 4,
      });

      await store.create({ ...base, id: "titled", title: "given" });
      await store.append("titled", { type: "user_message", text: "x".repeat(200) });
      expect((await store.get("titled"))?.title).toBe("given");
      await store.append("a", { type: "user_message", text: "y".repeat(200) });
      await store.create({ ...base, id: "long" });
      await store.append("long", { type: "user_message", text: "y".repeat(200) });
      expect((await store.get("long"))?.title).toBe(`${"y".repeat(79)}…`);
    });

    test("a body that is not a core event is refused and the log is untouched", async () => {
      const store = await open();
      await store.create({ ...base, id: "a" });
      await store.append("a", { type: "text_delta", text: "ok" });
      const bad: unknown[] = [
        { type: "no_such_event" },
        { type: "text_delta" },
        { type: "text_delta", text: 3 },
        { type: "text_delta", text: "x", extra: true },
        {
          type: "usage",
          model: "m",
          inputTokens: 1,
          outputTokens: 1,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: Number.NaN,
        },
        { type: "text_delta", text: "x", seq: 99 },
        null,
      ];
      for (const body of bad) await rejects(store.append("a", body as AgentEventBody), "invalid_event");
      expect((await store.events("a")).map((e) => e.seq)).toEqual([1]);
      expect((await store.get("a"))?.lastSeq).toBe(1);
      await rejects(store.append("ghost", { type: "text_delta", text: "x" }), "session_not_found");
      await rejects(store.events("ghost"), "session_not_found");
      await rejects(store.events("a", { afterSeq: -1 }), "invalid_input");
    });

    test("events handed out are copies: changing one does not change the log", async () => {
      const store = await open();
      await store.create({ ...base, id: "a" });
      const appended = await store.append("a", { type: "text_delta", text: "original" });
      if (appended.type === "text_delta") appended.text = "changed";
      const [read] = await store.events("a");
      if (read?.type === "text_delta") read.text = "changed too";
      expect(await store.events("a")).toMatchObject([{ text: "original" }]);
    });

    test("the log replays into the conversation with conversationFromEvents", async () => {
      const store = await open();
      const session = await store.create({ ...base });
      const bodies: AgentEventBody[] = [
        { type: "session_started", cwd: "/repo", model: "claude-x", permissionMode: "ask" },
        { type: "user_message", text: "read a.txt" },
        { type: "turn_start", turn: 1, model: "claude-x", provider: "anthropic" },
        { type: "thinking_delta", text: "let me look", signature: "sig", redacted: false },
        { type: "text_delta", text: "Reading " },
        { type: "text_delta", text: "it." },
        { type: "tool_call_start", callId: "c1", name: "read_file" },
        { type: "tool_call_delta", callId: "c1", argumentsDelta: '{"path":"a.txt"}' },
        { type: "tool_call_complete", callId: "c1", name: "read_file", argumentsJson: '{"path":"a.txt"}' },
        { type: "turn_end", turn: 1, stopReason: "tool_use" },
        {
          type: "tool_result",
          callId: "c1",
          name: "read_file",
          output: "hello",
          isError: false,
          durationMs: 3,
        },
        { type: "turn_start", turn: 2, model: "claude-x", provider: "anthropic" },
        { type: "text_delta", text: "It says hello." },
        { type: "turn_end", turn: 2, stopReason: "end_turn" },
      ];
      for (const body of bodies) await store.append(session.id, body);
      const replayed = conversationFromEvents(await store.events(session.id));
      expect(replayed).toEqual(conversationFromEvents(bodies));
      expect(replayed.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    });
  });
}

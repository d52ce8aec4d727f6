import type { AgentEventBody, ModelClient, ModelRequest, ModelStreamEvent } from "@toad/core";
import { inProcessClient, SessionServiceDefinition, SessionState, ToolLocation } from "@toad/proto";
import { MemorySessionStore } from "@toad/store";
import { describe, expect, it } from "vitest";
import {
  createSessionService,
  MemoryKeyValueStore,
  MemorySessionBus,
  RunRecords,
  runHadEnded,
  SessionSettingsStore,
} from "../src/index.js";

/** Answers every request with one line naming the last user message, so the log shows what was asked. */
const echo: ModelClient & { seen: string[]; requests: ModelRequest[] } = {
  seen: [],
  requests: [],
  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    echo.requests.push(request);
    const last = request.messages
      .filter((message) => message.role === "user")
      .at(-1)
      ?.content.at(-1);
    const text = last?.type === "text" ? last.text : "";
    echo.seen.push(text);
    yield { type: "turn_start", turn: request.turn, model: "m", provider: "test" };
    yield { type: "text_delta", text: `done: ${text.slice(0, 20)}` };
    yield { type: "turn_end", turn: request.turn, stopReason: "end_turn" };
  },
};

function world() {
  const store = new MemorySessionStore();
  const kv = new MemoryKeyValueStore();
  const runRecords = new RunRecords(kv);
  const bus = new MemorySessionBus();
  const service = createSessionService({
    store,
    settings: new SessionSettingsStore(kv),
    bus,
    modelFor: () => echo,
    runRecords,
  });
  return { store, bus, runRecords, service, client: inProcessClient(SessionServiceDefinition, service) };
}

/** What a replica killed mid-run leaves behind: the run's record and the events it had logged. */
async function orphan(w: ReturnType<typeof world>, bodies: AgentEventBody[], prompt = "count to ten") {
  const session = await w.client.createSession({
    cwd: "/repo",
    model: "m",
    toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
  });
  await w.runRecords.begin({
    runId: `run-${session.id}`,
    sessionId: session.id,
    prompt,
    startSeq: 1,
    maxTurns: 0,
    metadata: {},
    startedAt: 0,
    recoveries: 0,
  });
  for (const body of bodies) await w.store.append(session.id, body);
  return session.id;
}

async function settle(w: ReturnType<typeof world>, sessionId: string) {
  for (let i = 0; i < 100 && w.service.activeRuns() > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return w.store.events(sessionId);
}

describe("recovering runs a killed replica left behind", () => {
  it("continues an interrupted run from its log without a new message, voiding the cut turn", async () => {
    const w = world();
    const id = await orphan(w, [
      { type: "user_message", text: "count to ten" },
      { type: "turn_start", turn: 1, model: "m", provider: "test" },
      { type: "text_delta", text: "one two thr" },
    ]);
    // Until it is recovered, the session reads as running: a client following it keeps waiting.
    expect((await w.client.getSession({ sessionId: id })).state).toBe(SessionState.SESSION_STATE_RUNNING);
    expect(await w.service.recover()).toBe(1);
    const events = await settle(w, id);
    expect(events.map((event) => event.type)).toEqual([
      "session_started",
      "user_message",
      "turn_start",
      "text_delta",
      "retry",
      "turn_start",
      "text_delta",
      "turn_end",
    ]);
    expect(events[4]).toMatchObject({ type: "retry", discardPartial: true });
    expect(events[5]).toMatchObject({ type: "turn_start", turn: 2 });
    // The model was asked the user's question again, with the cut partial answer gone.
    expect(echo.requests.at(-1)?.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "count to ten" }] },
    ]);
    expect(await w.runRecords.get(id)).toBeUndefined();
    expect((await w.client.getSession({ sessionId: id })).state).toBe(SessionState.SESSION_STATE_IDLE);
    expect(await w.service.recover()).toBe(0);
  });

  it("a run cut before its message reached the log starts over with the user's message", async () => {
    const w = world();
    const id = await orphan(w, [], "fix the bug");
    await w.service.recover();
    const events = await settle(w, id);
    expect(events.filter((event) => event.type === "user_message")).toMatchObject([{ text: "fix the bug" }]);
  });

  it("a run cut between turns continues from its tool results, with nothing voided or added", async () => {
    const w = world();
    const id = await orphan(w, [
      { type: "user_message", text: "look around" },
      { type: "turn_start", turn: 1, model: "m", provider: "test" },
      { type: "tool_call_complete", callId: "c1", name: "list_dir", argumentsJson: "{}" },
      { type: "turn_end", turn: 1, stopReason: "tool_use" },
      {
        type: "tool_result",
        callId: "c1",
        name: "list_dir",
        output: "a.txt",
        isError: false,
        durationMs: 1,
      },
    ]);
    await w.service.recover();
    const events = await settle(w, id);
    expect(events.slice(6).map((event) => event.type)).toEqual(["turn_start", "text_delta", "turn_end"]);
    expect(echo.requests.at(-1)?.messages.at(-1)).toEqual({
      role: "user",
      content: [{ type: "tool_result", callId: "c1", output: "a.txt", isError: false }],
    });
  });

  it("a run that had ended is only unrecorded; a run another replica serves is left alone", async () => {
    const w = world();
    const ended = await orphan(w, [
      { type: "user_message", text: "hi" },
      { type: "turn_start", turn: 1, model: "m", provider: "test" },
      { type: "turn_end", turn: 1, stopReason: "end_turn" },
    ]);
    const alive = await orphan(w, [{ type: "user_message", text: "busy" }]);
    const stop = await w.bus.serveRun(alive, () => ({ ok: true, state: "running", pendingCalls: [] }));
    expect(await w.service.recover()).toBe(0);
    expect((await w.store.events(ended)).length).toBe(4);
    expect(await w.runRecords.get(ended)).toBeUndefined();
    expect(await w.runRecords.get(alive)).toBeDefined();
    expect((await w.store.events(alive)).length).toBe(2);
    await stop();
  });

  it("reads the end of a run from its last events", () => {
    const at = (body: AgentEventBody, seq: number) => ({ ...body, sessionId: "s", seq, timestamp: 0 });
    const start = at({ type: "turn_start", turn: 1, model: "m", provider: "p" }, 1);
    const call = at({ type: "tool_call_complete", callId: "c", name: "bash", argumentsJson: "{}" }, 2);
    const end = (stopReason: "end_turn" | "tool_use") => at({ type: "turn_end", turn: 1, stopReason }, 3);
    expect(runHadEnded([start, end("end_turn")])).toBe(true);
    expect(runHadEnded([start, call, end("end_turn")])).toBe(false); // it was about to run the call
    expect(runHadEnded([start, call, end("tool_use")])).toBe(false);
    expect(runHadEnded([at({ type: "error", code: "max_turns", message: "", retryable: false }, 1)])).toBe(
      true,
    );
    expect(runHadEnded([])).toBe(false);
  });
});

#!/usr/bin/env node
// CPU per text delta spent between the model stream and the store, in process:
// the session service's coalescingModel, the agent loop and SessionRunner, over
// MemorySessionStore (stamp + validate + serialize, no I/O), with an onEvent
// that converts each event to proto as the gRPC feed does.
//
//   node bench/session/loop.mjs [--deltas 20000] [--rounds 3]
//
// Imports the built dist: `npx turbo run build --filter=@toad/platform` first.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { numberArg } from "../args.mjs";

const { SessionRunner } = await import("@toad/session");
const { MemorySessionStore } = await import("@toad/store");
const { eventToProto } = await import("@toad/core/proto");
const { coalescingModel } = await import(
  new URL("../../packages/platform/dist/session/coalescing-model.js", import.meta.url).href
);

const deltas = numberArg("deltas", 20_000);
const rounds = numberArg("rounds", 3);

const model = {
  async *stream(request) {
    yield { type: "turn_start", turn: request.turn, model: "bench", provider: "bench" };
    for (let i = 0; i < deltas; i++) {
      // A model server's chunks arrive on their own ticks: no coalescing unless the loop falls behind.
      await new Promise((resolve) => setImmediate(resolve));
      yield { type: "text_delta", text: `token ${i} ` };
    }
    yield { type: "turn_end", turn: request.turn, stopReason: "end_turn" };
  },
};
const tools = async () => ({
  specs: () => [],
  run: async () => ({ ok: false, errorKind: "x", message: "" }),
});

const cwd = await mkdtemp(join(tmpdir(), "toad-bench-loop-"));
try {
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const store = new MemorySessionStore();
    const runner = new SessionRunner({ store, model: coalescingModel(model), tools, workspaceOnHost: false });
    const session = await runner.create({ cwd, model: "bench", permissionMode: "auto-edit" });
    let events = 0;
    const cpu0 = process.cpuUsage();
    await runner.send(session.id, {
      prompt: "go",
      signal: new AbortController().signal,
      maxTurns: 1,
      onEvent: (event) => {
        eventToProto(event);
        events++;
      },
    });
    const cpu = process.cpuUsage(cpu0);
    results.push({ events, cpuUsPerEvent: ((cpu.user + cpu.system) / events).toFixed(2) });
  }
  console.table(results);
} finally {
  await rm(cwd, { recursive: true, force: true });
}

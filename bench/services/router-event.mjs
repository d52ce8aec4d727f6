#!/usr/bin/env node
// CPU per text delta on the router's per-event path, in process: the model
// event as the proto message it streams (stampEvent + eventToProto, or the
// message built directly) and its wire bytes (the kit's AgentEvent encoder).
//
//   npx turbo run build --filter=@toad/proto --filter=@toad/core && node bench/services/router-event.mjs
import { stampEvent } from "@toad/core";
import { eventToProto } from "@toad/core/proto";
import { encodeAgentEvent } from "@toad/proto";

const N = 1_000_000;
const events = Array.from({ length: 64 }, (_, i) => ({ type: "text_delta", text: `word ${i} ` }));
const ways = {
  "stampEvent + eventToProto + encode": (event) =>
    encodeAgentEvent(
      eventToProto(stampEvent(event, { sessionId: "s-0123456789", seq: 0, timestamp: Date.now() })),
    ),
  "direct message + encode": (event) =>
    encodeAgentEvent({
      sessionId: "s-0123456789",
      seq: 0,
      timestampMs: Date.now(),
      kind: { $case: "textDelta", value: { text: event.text } },
    }),
};
for (let round = 0; round < 3; round++) {
  for (const [name, way] of Object.entries(ways)) {
    let bytes = 0;
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) bytes += way(events[i & 63]).length;
    const used = process.cpuUsage(before);
    console.log(
      `${name.padEnd(36)} ${(((used.user + used.system) * 1000) / N).toFixed(0).padStart(5)} ns per event (${bytes} bytes)`,
    );
  }
}

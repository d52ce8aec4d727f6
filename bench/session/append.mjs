#!/usr/bin/env node
// CPU per streamed event on the session service's write path, in process:
// RedisSessionStore.append (stamp + validate + serialize + the APPEND script),
// eventToProto (the gRPC feed) and NatsSessionBus.publish (with a traceparent
// header), against a private durable Redis (AOF, appendfsync always) and NATS.
//
//   node bench/session/append.mjs [--sessions 50] [--deltas 200] [--turns 3] [--rounds 3]
//
// Each session runs `turns` turns of: turn_start, `deltas` text deltas,
// usage, turn_end, all sessions at once (one append in flight per session, as
// a run does). Prints µs of CPU per event for this Node process, redis-server
// and nats-server. Imports the built dist: `npx turbo run build --filter=@toad/platform` first.
import { performance } from "node:perf_hooks";
import { numberArg } from "../args.mjs";
import { cpuMsOf, startNats, startRedis } from "../gateway/processes.mjs";

const { RedisSessionStore, NatsSessionBus, connectRedis } = await import("@toad/platform");
const { eventToProto } = await import("@toad/core/proto");

const sessions = numberArg("sessions", 50);
const deltas = numberArg("deltas", 200);
const turns = numberArg("turns", 3);
const rounds = numberArg("rounds", 3);

const redisProc = await startRedis({ durable: true });
const natsProc = await startNats();
try {
  const redis = connectRedis({ url: redisProc.url });
  const store = new RedisSessionStore(redis, { ownsConnection: true });
  const bus = await NatsSessionBus.connect({ servers: natsProc.url });
  const headers = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

  async function runSession(index, round) {
    const session = await store.create({
      cwd: `/work/project-${index % 5}`,
      model: "bench/model",
      permissionMode: "auto-edit",
    });
    let events = 0;
    const emit = async (body) => {
      const event = await store.append(session.id, body);
      eventToProto(event);
      await bus.publish(event, headers);
      events++;
    };
    await emit({ type: "user_message", text: `round ${round} session ${index}: do the thing` });
    for (let turn = 1; turn <= turns; turn++) {
      await emit({ type: "turn_start", turn, model: "bench/model", provider: "bench" });
      for (let d = 0; d < deltas; d++) await emit({ type: "text_delta", text: `token ${d} ` });
      await emit({
        type: "usage",
        model: "bench/model",
        inputTokens: 1000,
        outputTokens: deltas,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.001,
      });
      await emit({ type: "turn_end", turn, stopReason: turn === turns ? "end_turn" : "tool_use" });
    }
    return events;
  }

  // Warm-up: JIT, script cache, connections.
  await Promise.all(Array.from({ length: 10 }, (_, i) => runSession(i, -1)));

  const results = [];
  for (let round = 0; round < rounds; round++) {
    const node0 = process.cpuUsage();
    const redis0 = cpuMsOf(redisProc.pid);
    const nats0 = cpuMsOf(natsProc.pid);
    const t0 = performance.now();
    const counts = await Promise.all(Array.from({ length: sessions }, (_, i) => runSession(i, round)));
    const wall = performance.now() - t0;
    const node = process.cpuUsage(node0);
    const total = counts.reduce((a, b) => a + b, 0);
    const perEvent = (ms) => ((ms * 1000) / total).toFixed(1);
    results.push({
      events: total,
      wallMs: Math.round(wall),
      eventsPerS: Math.round((total / wall) * 1000),
      nodeUs: perEvent((node.user + node.system) / 1000),
      redisUs: perEvent(cpuMsOf(redisProc.pid) - redis0),
      natsUs: perEvent(cpuMsOf(natsProc.pid) - nats0),
    });
  }
  console.table(results);
  await bus.close();
  await store.close();
} finally {
  await natsProc.stop();
  await redisProc.stop();
}

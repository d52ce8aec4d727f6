#!/usr/bin/env node
// CPU of the router's `complete` in process, without gRPC: the router wiring
// (services/router dist: packages/llm over node:http, the cost book on a
// private Redis with AOF) answers a captured request (complete-request.bin: the
// CompleteRequest the session service sent the router in calls.mjs, 12 tools)
// from the scripted model server of the gateway benchmark, sequentially.
// Prints CPU µs per turn of 2 deltas and, from a second server with many
// deltas, CPU µs per extra delta.
//
//   npx turbo run build && node bench/router/turn.mjs [--turns 400] [--long 200] [--rate 1000] [--profile FILE]

import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CompleteRequest } from "@toad/proto";
import { wireRouter } from "@toad/service-router";
import { Metadata } from "nice-grpc-common";
import { startRedis, startScript } from "../gateway/processes.mjs";

const { values } = parseArgs({
  options: {
    turns: { type: "string", default: "400" },
    long: { type: "string", default: "200" },
    // Deltas per second of the long server: 1000 (calls.mjs) sends each in its own write.
    rate: { type: "string", default: "1000" },
    profile: { type: "string" },
  },
});
const TURNS = Number(values.turns);
const LONG = Number(values.long);
const request = CompleteRequest.decode(readFileSync(new URL("complete-request.bin", import.meta.url)));

const dir = await mkdtemp(join(tmpdir(), "toad-bench-router-"));
const stops = [];
try {
  const redis = await startRedis({ durable: true });
  stops.push(redis.stop);
  const server = async (words) => {
    const model = await startScript("model-server.mjs", ["--words", String(words), "--rate", values.rate], {
      PATH: process.env.PATH,
    });
    stops.push(model.stop);
    return model.info.url;
  };
  const router = async (url) => {
    const env = {
      HOME: join(dir, "home"),
      TOAD_CONFIG_HOME: join(dir, "config"),
      ANTHROPIC_API_KEY: "sk-ant-bench",
      ANTHROPIC_BASE_URL: url,
      REDIS_URL: redis.url,
    };
    const wiring = await wireRouter(env);
    stops.push(wiring.close);
    return wiring.implementation;
  };
  const short = await router(await server(2));
  const long = await router(await server(LONG));
  const metadata = new Metadata();
  metadata.set("toad-org-id", "bench");
  const turn = async (impl) => {
    let events = 0;
    const signal = new AbortController().signal;
    for await (const _event of impl.complete(request, { metadata, signal })) events++;
    return events;
  };
  /** CPU µs per turn (user + system of this process) over `n` sequential turns. */
  const measure = async (impl, n) => {
    for (let i = 0; i < 30; i++) await turn(impl);
    const before = process.cpuUsage();
    let events = 0;
    for (let i = 0; i < n; i++) events += await turn(impl);
    const used = process.cpuUsage(before);
    return { us: (used.user + used.system) / n, events: events / n };
  };
  let session;
  if (values.profile) {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
  }
  const a = await measure(short, TURNS);
  const b = await measure(long, Math.max(20, Math.round(TURNS / 10)));
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(values.profile, JSON.stringify(profile));
  }
  // Per delta the model sent (merged deltas make fewer events).
  const perDelta = (b.us - a.us) / (LONG - 2);
  console.log(
    `turn of 2 deltas: ${a.us.toFixed(0)} µs CPU (${a.events} events); ` +
      `turn of ${LONG}: ${b.us.toFixed(0)} µs (${b.events} events); per extra delta ${perDelta.toFixed(1)} µs`,
  );
} finally {
  for (const stop of stops.reverse()) await stop();
  await rm(dir, { recursive: true, force: true });
}

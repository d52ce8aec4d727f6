#!/usr/bin/env node
// What one call costs each process of the platform, measured alone: one client
// makes the same call again and again, sequentially, so nothing else shares the
// CPU (and a V8 profile taken with --profile is not blurred by contention).
//
//   npx turbo run build && node bench/gateway/calls.mjs [--calls 200] [--words 2] [--profile DIR]
//
// Prints, per kind of call, CPU ms per call of every process (user + kernel,
// from /proc) and the wall time per call: createSession alone, then a session
// with one turn of `--words` text deltas (createSession + sendMessage to its end).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ToolLocation } from "@toad/proto";
import { openClient, runSession } from "./clients.mjs";
import { startPlatform } from "./platform.mjs";
import { cpuSplitOf } from "./processes.mjs";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    words: { type: "string", default: "2" },
    profile: { type: "string" },
  },
});
const CALLS = Number(values.calls);
const WORDS = Number(values.words);
const WARMUP = 20;

const dir = await mkdtemp(join(tmpdir(), "toad-bench-calls-"));
const stops = [];
try {
  const platform = await startPlatform({ dir, words: WORDS, rate: 1000, profileDir: values.profile, stops });
  const pids = {
    router: platform.router.pid,
    session: platform.session.pid,
    gateway: platform.gateway.pid,
    redis: platform.redis.pid,
    nats: platform.nats.pid,
    "model server": platform.model.pid,
    client: process.pid,
  };
  const cpuNow = () => Object.values(pids).map((pid) => cpuSplitOf(pid));

  /** Runs `call` WARMUP times, then CALLS times measured; prints CPU ms per call by process. */
  const measure = async (label, call) => {
    // A token each: the per-token rate limit must not refuse the warm-up or the run.
    const client = openClient(platform.address, await platform.issueToken(label));
    try {
      for (let i = 0; i < WARMUP; i++) await call(client, `warm-${i}`);
      const before = cpuNow();
      const started = performance.now();
      for (let i = 0; i < CALLS; i++) await call(client, String(i));
      const wall = (performance.now() - started) / CALLS;
      const after = cpuNow();
      const parts = Object.keys(pids).map((name, i) => {
        const ms = after[i].user + after[i].system - before[i].user - before[i].system;
        return `${name} ${(ms / CALLS).toFixed(2)}`;
      });
      console.log(`${label}: wall ${wall.toFixed(2)} ms; CPU ms per call: ${parts.join(", ")}`);
    } finally {
      client.close();
    }
  };

  const createSession = (client, index) =>
    client.createSession({
      cwd: `/bench/calls/${index}`,
      model: "claude-sonnet-4-5",
      toolLocation: ToolLocation.TOOL_LOCATION_CLIENT,
    });
  await measure("createSession", createSession);
  await measure(`session with one turn of ${WORDS} deltas`, async (client, index) => {
    const result = await runSession(client, { index, words: WORDS });
    if (result.problems.length > 0) throw new Error(result.problems.join("; "));
  });
} catch (error) {
  console.error(`bench/gateway/calls: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// 200 concurrent scripted sessions through the gateway, every service its own
// process, on private Redis and NATS: errors, the latency the platform adds to
// each streamed event, and memory per idle session.
//
//   npx turbo run build && node bench/gateway/run.mjs [--sessions 200] [--words 300] \
//     [--rate 10] [--stagger-ms 20000] [--max-starts N] [--no-durable] [--profile DIR]
//
// Two regimes. The defaults are 200 concurrent sessions: the starts spread
// over 20 s (10 a second) and 30 s turns, so from 20 s to 30 s all 200
// sessions stream at once. `--words 40 --stagger-ms 1000` is a start burst:
// 200 sessions start within one second (about 6 s of CPU for the starts
// alone on two cores) while the first ones stream. `--max-starts N` sets the
// gateway's limit on session starts in flight (TOAD_GATEWAY_MAX_STARTS; 0
// lifts it): in a burst the starts over it wait at the gateway, and the run
// prints how long starts took. `bench/gateway/calls.mjs` prints what one call
// costs each process.
//
// - Processes: router, session, context, indexer, sandbox and gateway
//   (services/*/dist/main.js); Redis (AOF, fsync before every reply, as
//   services/README.md asks; --no-durable turns AOF off) and NATS JetStream
//   from the machine's binaries on free ports; the scripted model server
//   (@toad/testkit) in its own process, streaming `--words` text deltas at
//   `--rate` per second per session.
// - Clients (this process): each session has its own API token and gRPC
//   connection. It creates a session (tools on the client) and sends one
//   message; sessions start spread over `--stagger-ms`.
// - Added latency per event: the model server writes the moment each text
//   delta leaves it into the delta's text (CLOCK_MONOTONIC, µs); the client
//   subtracts it from the moment it reads the event. Same clock, same machine:
//   the number is router + session service (store append, bus) + gateway +
//   three gRPC hops, and nothing else.
// - Where slow events came from: p99 per time window of the run, each
//   service's longest event-loop delay, and Redis' own stalls over 5 ms
//   (LATENCY LATEST: an AOF fsync that took long blocks every append).
// - Session start: from the createSession call to the first event of the
//   message's stream; and the most sessions streaming at the same moment.
// - Memory per idle session: RSS of the session service and the gateway once
//   all sessions are idle (turn done, clients still connected) minus their RSS
//   after a warm-up, divided by the session count.
// - --profile DIR: router, session service and gateway write V8 CPU profiles
//   there when they stop (read them with bench/peers/profile-summary.mjs).

import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { numberArg } from "../args.mjs";
import { openClient, p99ByWindow, peakOverlap, percentile, runSession } from "./clients.mjs";
import { startPlatform } from "./platform.mjs";
import { cpuSplitOf, eventLoopDelayOf, rssOf } from "./processes.mjs";

const SESSIONS = numberArg("sessions", 200);
const WORDS = numberArg("words", 300);
const RATE = numberArg("rate", 10);
const STAGGER_MS = numberArg("stagger-ms", 20_000);
const MAX_STARTS = numberArg("max-starts", undefined);
const WARMUP = 4;
const DURABLE = !process.argv.includes("--no-durable");
const PROFILE_DIR = process.argv.includes("--profile")
  ? process.argv[process.argv.indexOf("--profile") + 1]
  : undefined;
const MiB = 1024 * 1024;
const WINDOW_MS = STAGGER_MS >= 10_000 ? 5000 : 1000;

/** Calls per Redis command so far (INFO commandstats). */
async function redisCalls(redis) {
  const calls = {};
  for (const [, command, count] of (await redis.info("commandstats")).matchAll(/cmdstat_(\S+?):calls=(\d+)/g))
    calls[command] = Number(count);
  return calls;
}

function diffCalls(after, before) {
  const diff = {};
  for (const [command, calls] of Object.entries(after)) {
    const made = calls - (before[command] ?? 0);
    if (made > 0) diff[command] = made;
  }
  return diff;
}

const dir = await mkdtemp(join(tmpdir(), "toad-bench-gateway-"));
const stops = [];
const stopAll = async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
};
process.on("SIGINT", () => stopAll().finally(() => process.exit(130)));

try {
  const { redis, nats, model, router, session, gateway, address, identityRedis, issueToken } =
    await startPlatform({
      dir,
      words: WORDS,
      rate: RATE,
      durable: DURABLE,
      maxStarts: MAX_STARTS,
      profileDir: PROFILE_DIR,
      stops,
    });
  const tokens = [];
  for (let i = 0; i < SESSIONS + WARMUP; i++) {
    tokens.push(await issueToken(`client-${i}`));
  }

  // Warm-up: the first calls compile the hot paths and open the upstream connections.
  const warm = await Promise.all(
    Array.from({ length: WARMUP }, async (_, i) => {
      const client = openClient(address, tokens[SESSIONS + i]);
      try {
        return await runSession(client, { index: `warmup-${i}`, words: WORDS });
      } finally {
        client.close();
      }
    }),
  );
  const warmProblems = warm.flatMap((result) => result.problems);
  if (warmProblems.length > 0) throw new Error(`the warm-up failed: ${warmProblems.join("; ")}`);
  await sleep(2000);
  const measured = [session, gateway];
  const rssBefore = measured.map((proc) => rssOf(proc.pid));
  const cpuUsers = {
    router: router.pid,
    session: session.pid,
    gateway: gateway.pid,
    redis: redis.pid,
    nats: nats.pid,
    "model server": model.pid,
    clients: process.pid,
  };
  const cpuBefore = Object.values(cpuUsers).map(cpuSplitOf);
  const looped = { router, session, gateway };
  await Promise.all(Object.values(looped).map(eventLoopDelayOf)); // starts their event-loop delay afresh
  const redisCallsBefore = await redisCalls(identityRedis);
  // Redis notes every event of its own over 5 ms (an AOF fsync, a slow command): LATENCY LATEST after the run.
  await identityRedis.config("SET", "latency-monitor-threshold", "5");
  await identityRedis.latency("RESET");

  const clients = tokens.slice(0, SESSIONS).map((token) => openClient(address, token));
  const started = performance.now();
  const results = await Promise.all(
    clients.map(async (client, index) => {
      await sleep((index * STAGGER_MS) / SESSIONS);
      return runSession(client, { index, words: WORDS });
    }),
  );
  const wallMs = performance.now() - started;
  const cpuMs = Object.values(cpuUsers).map((pid, i) => {
    const after = cpuSplitOf(pid);
    return { user: after.user - cpuBefore[i].user, system: after.system - cpuBefore[i].system };
  });
  const loopDelays = await Promise.all(Object.values(looped).map(eventLoopDelayOf));
  const redisCallsDuring = diffCalls(await redisCalls(identityRedis), redisCallsBefore);
  // [event, last time, last ms, max ms] per kind of event.
  const redisStalls = (await identityRedis.latency("LATEST")).map(
    ([event, , , max]) => `${event} max ${max} ms`,
  );

  // Idle: every turn is over and every client still holds its connection.
  await sleep(3000);
  const rssIdle = measured.map((proc) => rssOf(proc.pid));

  const latencies = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
  const startMs = results.map((result) => result.startMs).sort((a, b) => a - b);
  const peak = peakOverlap(results.flatMap((result) => (result.streamed ? [result.streamed] : [])));
  const failed = results.filter((result) => result.problems.length > 0);
  const ms = (micros) => (micros / 1000).toFixed(1);
  const perSession = (i) => (rssIdle[i] - rssBefore[i]) / SESSIONS;
  const total = perSession(0) + perSession(1);
  const lines = [
    `bench/gateway: ${SESSIONS} sessions × ${WORDS} text deltas at ${RATE}/s, started over ${STAGGER_MS} ms; ` +
      `redis ${DURABLE ? "AOF appendfsync always" : "no AOF"}; ${cpus().length} cores, load ${loadavg()
        .map((value) => value.toFixed(2))
        .join(" ")}`,
    `errors: ${failed.length} session(s)${failed.length > 0 ? ` (first: ${failed[0].problems.slice(0, 3).join("; ")})` : ""}`,
    `added latency per streamed event (${latencies.length} model chunks in ${results.reduce((sum, result) => sum + result.textEvents, 0)} text events): p50 ${ms(percentile(latencies, 50))} ms, ` +
      `p90 ${ms(percentile(latencies, 90))} ms, p99 ${ms(percentile(latencies, 99))} ms, max ${ms(latencies.at(-1) ?? Number.NaN)} ms`,
    `p99 by ${WINDOW_MS / 1000} s of the run (ms): ${p99ByWindow(results, started, WINDOW_MS).join(" ")}`,
    `session start (createSession call to first event; starts over the gateway's limit wait there): ` +
      `p50 ${percentile(startMs, 50).toFixed(0)} ms, p99 ${percentile(startMs, 99).toFixed(0)} ms; ` +
      `at most ${peak} sessions streaming at once`,
    `memory per idle session: ${(total / 1024).toFixed(1)} KiB (session service ${(perSession(0) / 1024).toFixed(1)} KiB, ` +
      `gateway ${(perSession(1) / 1024).toFixed(1)} KiB; RSS ${(rssBefore[0] / MiB).toFixed(0)}→${(rssIdle[0] / MiB).toFixed(0)} MiB, ` +
      `${(rssBefore[1] / MiB).toFixed(0)}→${(rssIdle[1] / MiB).toFixed(0)} MiB)`,
    `wall ${(wallMs / 1000).toFixed(1)} s; CPU per streamed event (whole run ÷ events, µs, user+kernel): ` +
      Object.keys(cpuUsers)
        .map((name, i) => {
          const per = (ms) => Math.round((ms * 1000) / Math.max(1, latencies.length));
          return `${name} ${per(cpuMs[i].user)}+${per(cpuMs[i].system)}`;
        })
        .join(", "),
    `event-loop delay during the run, max (p99), ms: ${Object.keys(looped)
      .map((name, i) => `${name} ${loopDelays[i].max.toFixed(0)} (${loopDelays[i].p99.toFixed(0)})`)
      .join(", ")}`,
    `redis stalls over 5 ms (LATENCY LATEST): ${redisStalls.length > 0 ? redisStalls.join(", ") : "none"}`,
    `redis commands (whole run): ${Object.entries(redisCallsDuring)
      .sort((a, b) => b[1] - a[1])
      .map(([command, calls]) => `${command} ${calls}`)
      .join(", ")}`,
    `targets: 0 errors ${failed.length === 0 ? "✓" : "✗"}, p99 < 50 ms ${percentile(latencies, 99) < 50_000 ? "✓" : "✗"}, ` +
      `< 5 MB per idle session ${total < 5 * MiB ? "✓" : "✗"}`,
  ];
  console.log(lines.join("\n"));
  for (const client of clients) client.close();
  await stopAll();
  process.exit(failed.length === 0 ? 0 : 1);
} catch (error) {
  console.error(`bench/gateway: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(2);
}

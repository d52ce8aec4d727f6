#!/usr/bin/env node
// Redis commands per session start, by kind: the whole platform (bench/gateway/platform.mjs),
// one client making `--sessions` sessions of one turn of `--words` deltas sequentially,
// INFO commandstats diffed around them (every process's commands: session, gateway, identity).
//
//   npx turbo run build && node bench/session/start-commands.mjs [--sessions 20] [--words 2]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openClient, runSession } from "../gateway/clients.mjs";
import { startPlatform } from "../gateway/platform.mjs";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "20" },
    words: { type: "string", default: "2" },
    monitor: { type: "boolean", default: false },
  },
});
const SESSIONS = Number(values.sessions);
const WORDS = Number(values.words);

async function commandStats(redis) {
  const calls = {};
  for (const [, command, count] of (await redis.info("commandstats")).matchAll(/cmdstat_(\S+?):calls=(\d+)/g))
    calls[command] = Number(count);
  return calls;
}

const dir = await mkdtemp(join(tmpdir(), "toad-bench-start-"));
const stops = [];
try {
  const platform = await startPlatform({ dir, words: WORDS, rate: 1000, stops });
  const client = openClient(platform.address, await platform.issueToken("start"));
  for (let i = 0; i < 3; i++) await runSession(client, { index: `warm-${i}`, words: WORDS });
  if (values.monitor) {
    // The commands of one session start, in order, with the client that sent each.
    const connection = platform.identityRedis.duplicate();
    const monitor = await connection.monitor();
    monitor.on("monitor", (_time, args, source) =>
      console.log(`${source.padEnd(16)} ${args.join(" ").slice(0, 110)}`),
    );
    await runSession(client, { index: "monitored", words: WORDS });
    await new Promise((resolve) => setTimeout(resolve, 200));
    monitor.disconnect();
    connection.disconnect();
  }
  const before = await commandStats(platform.identityRedis);
  for (let i = 0; i < SESSIONS; i++) {
    const { problems } = await runSession(client, { index: i, words: WORDS });
    if (problems.length > 0) throw new Error(problems.join("; "));
  }
  const after = await commandStats(platform.identityRedis);
  const rows = Object.entries(after)
    .map(([command, calls]) => [command, (calls - (before[command] ?? 0)) / SESSIONS])
    .filter(([command, perSession]) => perSession > 0 && command !== "info");
  rows.sort((a, b) => b[1] - a[1]);
  for (const [command, perSession] of rows) console.log(`${command.padEnd(12)} ${perSession.toFixed(2)}`);
  console.log(`total        ${rows.reduce((sum, [, n]) => sum + n, 0).toFixed(2)} per session start`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

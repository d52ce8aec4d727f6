#!/usr/bin/env node
/**
 * Appends/s of the SQLite session store, per durability setting, on a real
 * file: `npm run build` (or `npx tsc -p packages/store/tsconfig.build.json`
 * after core is built), then `node packages/store/bench/append.mjs [count]`.
 * Events are a realistic mix: mostly short text deltas, some tool results of
 * a few KB, a usage event per "turn". Each append is its own durable commit,
 * as in a live session. Also times reading the log back and checkpointing a
 * 1 MiB file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let store;
try {
  store = await import("@toad/store");
} catch (error) {
  process.stderr.write(`cannot load @toad/store (${error.message}); run \`npm run build\` first\n`);
  process.exit(1);
}
const { openSqliteStore } = store;

const count = Number(process.argv[2] ?? 5000);
const toolOutput = "line of tool output\n".repeat(150); // ~3 KB

function body(i) {
  if (i % 50 === 49) {
    return {
      type: "usage",
      model: "bench",
      inputTokens: 1200,
      outputTokens: 300,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.0042,
    };
  }
  if (i % 10 === 9) {
    return {
      type: "tool_result",
      callId: `c${i}`,
      name: "read_file",
      output: toolOutput,
      isError: false,
      durationMs: 2,
    };
  }
  return { type: "text_delta", text: `token ${i} of the streamed answer ` };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const rows = [];
for (const durability of ["full", "normal"]) {
  const dir = mkdtempSync(join(tmpdir(), "toad-bench-"));
  try {
    const db = openSqliteStore({ path: join(dir, "toad.db"), durability });
    const session = await db.create({ cwd: dir, model: "bench", permissionMode: "full-auto" });
    for (let i = 0; i < 100; i++) await db.append(session.id, body(i)); // warm up
    const latencies = new Float64Array(count);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await db.append(session.id, body(i));
      latencies[i] = performance.now() - t;
    }
    const seconds = (performance.now() - start) / 1000;
    latencies.sort();

    const readStart = performance.now();
    const events = await db.events(session.id);
    const readMs = performance.now() - readStart;

    const big = Buffer.alloc(1 << 20, "x");
    const cpStart = performance.now();
    await db.checkpoint(session.id, 1, [{ path: "big.bin", content: big }]);
    const firstCheckpointMs = performance.now() - cpStart;
    const repeatStart = performance.now();
    await db.checkpoint(session.id, 1, [{ path: "big.bin", content: big }]);
    const repeatCheckpointMs = performance.now() - repeatStart;
    await db.close();

    rows.push({
      durability,
      "appends/s": Math.round(count / seconds),
      "p50 ms": percentile(latencies, 0.5).toFixed(3),
      "p99 ms": percentile(latencies, 0.99).toFixed(3),
      [`read ${events.length} events ms`]: readMs.toFixed(1),
      "checkpoint 1 MiB ms": firstCheckpointMs.toFixed(1),
      "same again ms": repeatCheckpointMs.toFixed(1),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A markdown table on stdout (biome allows console only under the root bench/).
const columns = Object.keys(rows[0] ?? {});
const lines = [
  `SQLite session store, ${count} appends per run, ${process.platform} node ${process.version}`,
  "",
  `| ${columns.join(" | ")} |`,
  `|${columns.map(() => "---").join("|")}|`,
  ...rows.map((row) => `| ${columns.map((column) => row[column]).join(" | ")} |`),
];
process.stdout.write(`${lines.join("\n")}\n`);

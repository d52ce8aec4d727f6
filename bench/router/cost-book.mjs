#!/usr/bin/env node
// CPU per usage recorded by the router's cost book on a private Redis (AOF,
// fsync always), for an org and a session scope: one script for all scopes
// (the port's runScript) against one incrementFields per scope.
//
//   npx turbo run build --filter=@toad/platform && node bench/router/cost-book.mjs

import { CostBook, connectRedis, RedisKeyValueStore } from "@toad/platform";
import { startRedis } from "../gateway/processes.mjs";

const N = 3000;
const redis = await startRedis({ durable: true });
const conn = connectRedis({ url: redis.url });
try {
  const stepwise = new RedisKeyValueStore(conn, false);
  Object.assign(stepwise, { runScript: undefined });
  const books = {
    "one write per scope": new CostBook(stepwise),
    "one script": new CostBook(new RedisKeyValueStore(conn, false)),
  };
  const usage = {
    type: "usage",
    model: "claude-sonnet-4-5",
    inputTokens: 1000,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.00303,
  };
  for (let round = 0; round < 3; round++) {
    for (const [name, book] of Object.entries(books)) {
      for (let i = 0; i < 200; i++) await book.record(["org:o", `session:s${i}`], usage, Date.now());
      const before = process.cpuUsage();
      for (let i = 0; i < N; i++) await book.record(["org:o", `session:s${i}`], usage, Date.now());
      const used = process.cpuUsage(before);
      console.log(`${name}: ${((used.user + used.system) / N).toFixed(1)} µs CPU per usage`);
    }
  }
} finally {
  await conn.quit();
  await redis.stop();
}

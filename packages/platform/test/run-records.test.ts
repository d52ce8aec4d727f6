import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, RedisKeyValueStore, type RunRecord, RunRecords } from "../src/index.js";
import { startRedis, type TestServer } from "./support/servers.js";

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis({ durable: false });
});
afterAll(async () => {
  await redis.stop();
});

const recordOf = (sessionId: string, runId: string): RunRecord => ({
  runId,
  sessionId,
  prompt: "hi",
  startSeq: 1,
  maxTurns: 0,
  metadata: { "toad-org": "o" },
  startedAt: 1,
  recoveries: 0,
});

describe("run records on Redis (one script per begin and end)", () => {
  it("records, lists and removes a run; a replaced record stays with its new owner", async () => {
    const connection = connectRedis({ url: redis.url, keyPrefix: `t${randomUUID()}:` });
    const kv = new RedisKeyValueStore(connection, false);
    const fast = new RunRecords(kv, connection);
    const plain = new RunRecords(kv);
    await fast.begin(recordOf("s1", "r1"));
    await fast.begin(recordOf("s2", "r2"));
    // The same keys as the key-value path reads.
    expect(await plain.get("s1")).toEqual(recordOf("s1", "r1"));
    expect((await plain.all()).map((record) => record.sessionId).sort()).toEqual(["s1", "s2"]);
    await fast.end("s1", "r1");
    expect(await plain.get("s1")).toBeUndefined();
    // A recovery elsewhere replaced s2's record: the old run's end leaves it.
    await plain.begin(recordOf("s2", "r3"));
    await fast.end("s2", "r2");
    expect(await fast.get("s2")).toEqual(recordOf("s2", "r3"));
    expect((await fast.all()).map((record) => record.sessionId)).toEqual(["s2"]);
    await fast.end("s2", "r3");
    expect(await fast.all()).toEqual([]);
    // Ending a run whose record is gone already is fine.
    await fast.end("s2", "r3");
    await connection.quit();
  });
});
